using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>The registry's answer about one certificate number, for the public page and the JSON API alike.</summary>
public sealed class VerificationService(VerificationRecords records, CertificateToken tokens, RegistryIdentity registry, TimeProvider clock,
    RegistryMetrics metrics)
{
    /// <summary>
    /// <paramref name="token"/>: the QR code's signed token, if presented; <paramref name="familyName"/>: the holder's family name
    /// as printed (Persian or Latin), if typed. Either unlocks the holder, center, dates and revocation reason; a wrong one
    /// changes nothing in the answer. <paramref name="language"/>: the language of <c>verdictMessage</c> and <c>message</c>.
    /// </summary>
    public Task<VerificationAnswer> VerifyAsync(string? typedNumber, string? token, string? familyName, CancellationToken ct) =>
        VerifyAsync(typedNumber, token, familyName, VerificationLanguage.Default, ct);

    /// <inheritdoc cref="VerifyAsync(string?, string?, string?, CancellationToken)"/>
    public async Task<VerificationAnswer> VerifyAsync(string? typedNumber, string? token, string? familyName, Language language, CancellationToken ct)
    {
        var answer = await AnswerAsync(typedNumber, token, familyName, language, ct);
        metrics.Verified(answer.Verdict);
        return answer;
    }

    private async Task<VerificationAnswer> AnswerAsync(string? typedNumber, string? token, string? familyName, Language language, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var tokenPresented = !string.IsNullOrWhiteSpace(token);
        var check = tokenPresented ? tokens.Verify(token) : null;
        if (!CertificateNumber.TryNormalize(typedNumber, out var number))
            return Empty(typedNumber?.Trim() ?? "", VerificationStatus.InvalidNumber, check, now, language);

        var certificate = await records.FindAsync(number, ct);
        if (certificate is null) return Empty(number, VerificationStatus.NotFound, check, now, language);

        bool? tokenValid = check is null ? null : check.IsValid && check.Claims!.Number == certificate.Number;
        var status = certificate.StatusOn(RegistryCalendar.DayOf(now));
        var verdict = VerdictOf(check, certificate.Number, status);
        var words = Words.Of(verdict, status, certificate.Number, check?.Claims?.Number, language);
        var h = certificate.Holder;
        var details = tokenValid == true || (check is null && FamilyNameMatches(familyName, h));
        var holder = tokenValid == true ? new VerifiedHolder(false, $"{h.GivenNameFa} {h.FamilyNameFa}", $"{h.GivenNameLatin} {h.FamilyNameLatin}")
            : details ? new VerifiedHolder(true, Initials(h.GivenNameFa, h.FamilyNameFa), Initials(h.GivenNameLatin, h.FamilyNameLatin))
            : null;
        var center = certificate.Center;
        return new VerificationAnswer(verdict, words.Verdict, words.VerdictEn, words.VerdictFa, certificate.Number, status, words.Status, words.StatusEn, words.StatusFa, holder,
            certificate.Standard,
            certificate.CurrentStandard,
            details ? center : null,
            details ? certificate.IssuedOn : null, details ? RegistryCalendar.SolarHijri(certificate.IssuedOn) : null,
            details ? certificate.ExpiresOn : null, details && certificate.ExpiresOn is { } expires ? RegistryCalendar.SolarHijri(expires) : null,
            details && certificate.Revocation is { } r ? new VerifiedRevocation(EnumText.ToText(r.ReasonCode), r.RevokedAt.ToUniversalTime()) : null,
            certificate.SupersededByNumber is { } next ? new Replacement(next, registry.VerificationUrl(next, null)) : null,
            tokenPresented, tokenValid, now, language, details ? AssessorOf(certificate.Assessor, language) : null);
    }

    private static VerifiedAssessor AssessorOf(AssessorOnRecord a, Language language)
    {
        string In(VerificationLanguage l) => l.Assessor(a.Standing, a.Role);
        return new VerifiedAssessor(a.Standing, a.Role, a.HomeOrganisation,
            In(VerificationLanguage.Of(language)), In(VerificationLanguage.English), In(VerificationLanguage.Persian));
    }

    private static VerificationVerdict VerdictOf(TokenCheck? check, string number, VerificationStatus status) => check switch
    {
        null => status switch
        {
            VerificationStatus.NotFound => VerificationVerdict.NotFound,
            VerificationStatus.InvalidNumber => VerificationVerdict.InvalidNumber,
            _ => VerificationVerdict.StatusOnly,
        },
        { IsValid: false } => VerificationVerdict.QrNotGenuine,
        _ when check.Claims!.Number != number => VerificationVerdict.QrOfAnotherCertificate,
        _ => status switch
        {
            VerificationStatus.Valid => VerificationVerdict.Genuine,
            VerificationStatus.Revoked => VerificationVerdict.GenuineButRevoked,
            VerificationStatus.Superseded => VerificationVerdict.GenuineButSuperseded,
            VerificationStatus.Expired => VerificationVerdict.GenuineButExpired,
            VerificationStatus.NotFound => VerificationVerdict.NotFound,
            _ => VerificationVerdict.InvalidNumber,
        },
    };

    /// <summary>The family name as printed, in Persian or Latin, typed on any keyboard (letters only, normalised).</summary>
    public static bool FamilyNameMatches(string? typed, HolderNames holder)
    {
        var key = NameKey(typed);
        return key.Length > 0 && (key == NameKey(holder.FamilyNameFa) || key == NameKey(holder.FamilyNameLatin));
    }

    private static string NameKey(string? name) => new(PersianText.NormalizeForSearch(name).Where(char.IsLetter).ToArray());

    /// <summary>"Zahra Karimi" → "Z. K."; "زهرا کریمی" → "ز. ک.".</summary>
    public static string Initials(params string[] names) =>
        string.Join(' ', names.SelectMany(n => n.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(n => n[..1] + "."));

    private static VerificationAnswer Empty(string number, VerificationStatus status, TokenCheck? check, DateTimeOffset now, Language language)
    {
        var verdict = VerdictOf(check, number, status);
        var words = Words.Of(verdict, status, number, check?.Claims?.Number, language);
        return new VerificationAnswer(verdict, words.Verdict, words.VerdictEn, words.VerdictFa, number, status, words.Status, words.StatusEn, words.StatusFa,
            null, null, null, null, null, null, null, null, null, null, check is not null, check is null ? null : false, now, language);
    }

    /// <summary>The verdict and status explained in the asked language, and in English and Persian.</summary>
    private sealed record Words(string Verdict, string VerdictEn, string VerdictFa, string Status, string StatusEn, string StatusFa)
    {
        public static Words Of(VerificationVerdict verdict, VerificationStatus status, string number, string? tokenNumber, Language language)
        {
            string VerdictIn(VerificationLanguage l) => l.VerdictMessage(verdict, status, number, tokenNumber);
            var asked = VerificationLanguage.Of(language);
            return new Words(VerdictIn(asked), VerdictIn(VerificationLanguage.English), VerdictIn(VerificationLanguage.Persian),
                asked.StatusMessage(status), VerificationLanguage.English.StatusMessage(status), VerificationLanguage.Persian.StatusMessage(status));
        }
    }
}
