using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Infrastructure;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>The registry's answer about one certificate number, for the public page and the JSON API alike.</summary>
public sealed class VerificationService(Db db, CertificateRepository certificates, CertificateToken tokens, RegistryIdentity registry, TimeProvider clock)
{
    private sealed record EquivalentRow
    {
        public string Code { get; init; } = "";
        public int Version { get; init; }
        public string TitleFa { get; init; } = "";
        public string TitleEn { get; init; } = "";
        public bool Equivalent { get; init; }
    }

    // Follows supersession links to the version in use today; equivalent only if every hop was marked equivalent.
    private const string SelectCurrentEquivalent = """
        WITH RECURSIVE chain (id, next_id, equivalent, depth) AS (
            SELECT id, superseded_by_id, supersession_equivalent, 0 FROM standards WHERE id = @id
            UNION ALL
            SELECT s.id, s.superseded_by_id, s.supersession_equivalent, chain.depth + 1
            FROM standards s JOIN chain ON s.id = chain.next_id
            WHERE chain.depth < 20
        )
        SELECT s.code AS Code, s.version AS Version, s.title_fa AS TitleFa, s.title_en AS TitleEn,
               (SELECT COUNT(*) FROM chain WHERE next_id IS NOT NULL AND (equivalent IS NULL OR equivalent = @no)) = 0 AS Equivalent
        FROM chain JOIN standards s ON s.id = chain.id
        WHERE chain.next_id IS NULL AND chain.depth > 0
        """;

    public async Task<VerificationAnswer> VerifyAsync(string? typedNumber, string? token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var tokenPresented = !string.IsNullOrWhiteSpace(token);
        if (!CertificateNumber.TryNormalize(typedNumber, out var number))
            return Empty(typedNumber?.Trim() ?? "", VerificationStatus.InvalidNumber, tokenPresented, now);

        var (certificate, equivalent) = await db.ReadAsync(async s =>
        {
            var found = await certificates.FindByNumberAsync(s, number);
            // Asked whether or not the number exists, so a miss costs about what a hit does.
            var current = await s.QuerySingleOrDefaultAsync<EquivalentRow>(SelectCurrentEquivalent, new { id = found?.Standard.Id ?? Guid.Empty, no = false });
            return (found, current is null ? null : new CurrentEquivalent(current.Code, current.Version, current.TitleFa, current.TitleEn, current.Equivalent));
        }, ct);
        if (certificate is null) return Empty(number, VerificationStatus.NotFound, tokenPresented, now);

        bool? tokenValid = null;
        if (tokenPresented)
        {
            var check = tokens.Verify(token);
            tokenValid = check.IsValid && check.Claims!.Number == certificate.Number;
        }
        var status = EnumText.Parse<VerificationStatus>(EnumText.ToText(certificate.Status));
        var (en, fa) = Messages(status);
        var h = certificate.Holder;
        var holder = tokenValid == true
            ? new VerifiedHolder(false, $"{h.GivenNameFa} {h.FamilyNameFa}", $"{h.GivenNameLatin} {h.FamilyNameLatin}")
            : new VerifiedHolder(true, Initials(h.GivenNameFa, h.FamilyNameFa), Initials(h.GivenNameLatin, h.FamilyNameLatin));
        var standard = certificate.Standard;
        var center = certificate.Center;
        return new VerificationAnswer(certificate.Number, status, en, fa, holder,
            new VerifiedStandard(standard.Code, standard.Version, standard.TitleFa, standard.TitleEn, standard.IscoCode, standard.TheoryHours, standard.PracticalHours),
            equivalent,
            new VerifiedCenter(center.Code, center.NameFa, center.NameEn, center.ProvinceCode, center.Country),
            BilingualDate.Of(certificate.IssuedOn), BilingualDate.Of(certificate.ExpiresOn),
            certificate.Revocation is { } r ? new VerifiedRevocation(EnumText.ToText(r.ReasonCode), BilingualDate.Of(RegistryCalendar.DayOf(r.RevokedAt))) : null,
            certificate.SupersededByNumber is { } next ? new Replacement(next, registry.VerificationUrl(next, null)) : null,
            tokenPresented, tokenValid, now);
    }

    /// <summary>"Zahra Karimi" → "Z. K."; "زهرا کریمی" → "ز. ک.".</summary>
    public static string Initials(params string[] names) =>
        string.Join(' ', names.SelectMany(n => n.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(n => n[..1] + "."));

    private static VerificationAnswer Empty(string number, VerificationStatus status, bool tokenPresented, DateTimeOffset now)
    {
        var (en, fa) = Messages(status);
        return new VerificationAnswer(number, status, en, fa, null, null, null, null, null, null, null, null, tokenPresented, null, now);
    }

    private static (string En, string Fa) Messages(VerificationStatus status) => status switch
    {
        VerificationStatus.Valid => ("This certificate is genuine and valid.", "این گواهینامه معتبر و اصیل است."),
        VerificationStatus.Revoked => ("This certificate has been revoked and is no longer valid.", "این گواهینامه باطل شده و دیگر اعتبار ندارد."),
        VerificationStatus.Expired => ("This certificate was genuine but has expired.", "این گواهینامه اصیل بوده اما اعتبار آن به پایان رسیده است."),
        VerificationStatus.Superseded => ("This certificate was replaced by a corrected one; check the replacement.", "این گواهینامه با گواهینامه اصلاح‌شده‌ای جایگزین شده است؛ گواهینامه جدید را بررسی کنید."),
        VerificationStatus.NotFound => ("No certificate with this number exists in the registry.", "گواهینامه‌ای با این شماره در سامانه ثبت نشده است."),
        _ => ("This is not a valid certificate number: check for a typing mistake.", "این شماره گواهینامه معتبر نیست؛ آن را دوباره و با دقت وارد کنید."),
    };
}
