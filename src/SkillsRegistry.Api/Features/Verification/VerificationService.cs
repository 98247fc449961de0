using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Infrastructure;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>The registry's answer about one certificate number, for the public page and the JSON API alike.</summary>
public sealed class VerificationService(Db db, CertificateToken tokens, RegistryIdentity registry, TimeProvider clock)
{
    private sealed record Row
    {
        public string Number { get; init; } = "";
        public string Status { get; init; } = "";
        public DateOnly IssuedOn { get; init; }
        public DateOnly? ExpiresOn { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public string? RevocationReasonCode { get; init; }
        public string GivenNameFa { get; init; } = "";
        public string FamilyNameFa { get; init; } = "";
        public string GivenNameLatin { get; init; } = "";
        public string FamilyNameLatin { get; init; } = "";
        public string? SupersededByNumber { get; init; }
        public Guid StandardId { get; init; }
        public string StandardCode { get; init; } = "";
        public int StandardVersion { get; init; }
        public string TitleFa { get; init; } = "";
        public string TitleEn { get; init; } = "";
        public string IscoCode { get; init; } = "";
        public int TheoryHours { get; init; }
        public int PracticalHours { get; init; }
        public Guid? StandardSupersededById { get; init; }
        public string CenterCode { get; init; } = "";
        public string CenterNameFa { get; init; } = "";
        public string CenterNameEn { get; init; } = "";
        public string? ProvinceCode { get; init; }
        public string Country { get; init; } = "";
    }

    private sealed record EquivalentRow
    {
        public string Code { get; init; } = "";
        public int Version { get; init; }
        public string TitleFa { get; init; } = "";
        public string TitleEn { get; init; } = "";
        public bool Equivalent { get; init; }
    }

    private const string SelectByNumber = """
        SELECT c.number AS Number, c.status AS Status, c.issued_on AS IssuedOn, c.expires_on AS ExpiresOn, c.revoked_at AS RevokedAt,
               c.revocation_reason_code AS RevocationReasonCode,
               c.holder_given_name_fa AS GivenNameFa, c.holder_family_name_fa AS FamilyNameFa,
               c.holder_given_name_latin AS GivenNameLatin, c.holder_family_name_latin AS FamilyNameLatin, n.number AS SupersededByNumber,
               s.id AS StandardId, s.code AS StandardCode, s.version AS StandardVersion, s.title_fa AS TitleFa, s.title_en AS TitleEn,
               s.isco_code AS IscoCode, s.theory_hours AS TheoryHours, s.practical_hours AS PracticalHours, s.superseded_by_id AS StandardSupersededById,
               t.code AS CenterCode, t.name_fa AS CenterNameFa, t.name_en AS CenterNameEn, t.province_code AS ProvinceCode, t.country AS Country
        FROM certificates c
        JOIN standards s ON s.id = c.standard_id
        JOIN training_centers t ON t.id = c.center_id
        LEFT JOIN certificates n ON n.id = c.superseded_by_id
        WHERE c.number = @number
        """;

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

        var (row, equivalent) = await db.ReadAsync(async s =>
        {
            var found = await s.QuerySingleOrDefaultAsync<Row>(SelectByNumber, new { number });
            var current = found?.StandardSupersededById is null ? null
                : await s.QuerySingleOrDefaultAsync<EquivalentRow>(SelectCurrentEquivalent, new { id = found.StandardId, no = false });
            return (found, current is null ? null : new CurrentEquivalent(current.Code, current.Version, current.TitleFa, current.TitleEn, current.Equivalent));
        }, ct);
        if (row is null) return Empty(number, VerificationStatus.NotFound, tokenPresented, now);

        bool? tokenValid = null;
        if (tokenPresented)
        {
            var check = tokens.Verify(token);
            tokenValid = check.IsValid && check.Claims!.Number == row.Number;
        }
        var today = RegistryCalendar.DayOf(now);
        var status = EnumText.Parse<VerificationStatus>(EnumText.ToText(CertificateStatuses.Effective(row.Status, row.ExpiresOn, today)));
        var (en, fa) = Messages(status);
        var holder = tokenValid == true
            ? new VerifiedHolder(false, $"{row.GivenNameFa} {row.FamilyNameFa}", $"{row.GivenNameLatin} {row.FamilyNameLatin}")
            : new VerifiedHolder(true, Initials(row.GivenNameFa, row.FamilyNameFa), Initials(row.GivenNameLatin, row.FamilyNameLatin));
        return new VerificationAnswer(row.Number, status, en, fa, holder,
            new VerifiedStandard(row.StandardCode, row.StandardVersion, row.TitleFa, row.TitleEn, row.IscoCode, row.TheoryHours, row.PracticalHours),
            equivalent,
            new VerifiedCenter(row.CenterCode, row.CenterNameFa, row.CenterNameEn, row.ProvinceCode, row.Country),
            BilingualDate.Of(row.IssuedOn), BilingualDate.Of(row.ExpiresOn),
            row.RevokedAt is { } at ? new VerifiedRevocation(row.RevocationReasonCode!, BilingualDate.Of(RegistryCalendar.DayOf(at))) : null,
            row.SupersededByNumber is { } next ? new Replacement(next, registry.VerificationUrl(next, null)) : null,
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
