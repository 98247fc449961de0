using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Infrastructure;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>The registry's answer about one certificate number, for the public page and the JSON API alike.</summary>
public sealed class VerificationService(VerificationRecords records, CertificateToken tokens, RegistryIdentity registry, TimeProvider clock)
{
    public async Task<VerificationAnswer> VerifyAsync(string? typedNumber, string? token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var tokenPresented = !string.IsNullOrWhiteSpace(token);
        if (!CertificateNumber.TryNormalize(typedNumber, out var number))
            return Empty(typedNumber?.Trim() ?? "", VerificationStatus.InvalidNumber, tokenPresented, now);

        var certificate = await records.FindAsync(number, ct);
        if (certificate is null) return Empty(number, VerificationStatus.NotFound, tokenPresented, now);

        bool? tokenValid = null;
        if (tokenPresented)
        {
            var check = tokens.Verify(token);
            tokenValid = check.IsValid && check.Claims!.Number == certificate.Number;
        }
        var status = certificate.StatusOn(RegistryCalendar.DayOf(now));
        var (en, fa) = Messages(status);
        var h = certificate.Holder;
        var holder = tokenValid == true
            ? new VerifiedHolder(false, $"{h.GivenNameFa} {h.FamilyNameFa}", $"{h.GivenNameLatin} {h.FamilyNameLatin}")
            : new VerifiedHolder(true, Initials(h.GivenNameFa, h.FamilyNameFa), Initials(h.GivenNameLatin, h.FamilyNameLatin));
        return new VerificationAnswer(certificate.Number, status, en, fa, holder,
            certificate.Standard,
            certificate.CurrentStandard,
            certificate.Center,
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
