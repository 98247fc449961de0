using System.Text.RegularExpressions;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>Field rules for practitioners and their records; references (centers, partners, certificates) are checked in the transaction.</summary>
public static partial class PractitionerValidation
{
    public const int CodeMaxLength = 32;

    [GeneratedRegex(@"^[A-Z][A-Z0-9\-]{2,31}$")]
    private static partial Regex CodePattern();

    public sealed record ValidPractitioner(ValidTrainee Person, string? Code, Guid? HomeCenterId, Guid? HomePartnerId);

    public sealed record ValidQualification(string StandardCode, QualificationKind Kind, QualificationSource Source, Guid? CertificateId,
        string? Reason, DateOnly ValidFrom, DateOnly? ValidTo);

    public sealed record ValidRefresherCourse(string? CourseCode, string? Title, decimal Hours, DateOnly CompletedOn, Guid? ProviderCenterId, Guid? ProviderPartnerId);

    public static ValidPractitioner? Validate(CreatePractitionerRequest r, DateOnly today, ValidationErrors errors)
    {
        ValidTrainee? person = null;
        if (r.Person is null) errors.Add("person", "Required: the person's identity (national ID, or passport number and nationality), names, birth date and gender.");
        else person = TraineeValidation.Validate(r.Person, today, errors, "person");
        var code = string.IsNullOrWhiteSpace(r.Code) ? null : PersianText.NormalizeDigits(r.Code.Trim()).ToUpperInvariant();
        if (code is not null && !CodePattern().IsMatch(code))
            errors.Add("code", "A practitioner code is 3–32 characters: capital letters, digits and '-', starting with a letter (e.g. PR-KHZ-0457).");
        if (r.HomeCenterId is not null && r.HomePartnerId is not null)
            errors.Add("homePartnerId", "A practitioner has one home organisation: give homeCenterId or homePartnerId, not both.");
        return errors.IsEmpty ? new ValidPractitioner(person!, code, r.HomeCenterId, r.HomePartnerId) : null;
    }

    public static ValidQualification? Validate(AddQualificationRequest r, ValidationErrors errors)
    {
        var code = StandardValidation.NormalizeCode(r.StandardCode);
        if (errors.Required("standardCode", r.StandardCode, 32) && !StandardValidation.IsValidCode(code))
            errors.Add("standardCode", "A national code is 3–32 characters: digits, capital letters, '.' and '-'.");
        errors.OneOf<QualificationKind>("kind", r.Kind, out var kind);
        errors.OneOf<QualificationSource>("source", r.Source, out var source);
        errors.MaxLength("reason", r.Reason, 500);
        if (r.ValidFrom is null) errors.Add("validFrom", "Required (YYYY-MM-DD): the first day the qualification counts.");
        if (r.ValidFrom is { } from && r.ValidTo is { } to && to < from) errors.Add("validTo", $"The last day ({to:yyyy-MM-dd}) is before the first ({from:yyyy-MM-dd}).");
        if (errors.IsEmpty)
        {
            if (source == QualificationSource.Certificate && r.CertificateId is null)
                errors.Add("certificateId", "Required when the source is a certificate: the holder's own valid certificate for this code.");
            if (source != QualificationSource.Certificate && r.CertificateId is not null)
                errors.Add("certificateId", "Only a qualification whose source is a certificate names one.");
            if (source == QualificationSource.AdminDecision && string.IsNullOrWhiteSpace(r.Reason))
                errors.Add("reason", "Required for an admin decision: why the registry qualifies this person.");
        }
        return errors.IsEmpty
            ? new ValidQualification(code, kind, source, r.CertificateId, string.IsNullOrWhiteSpace(r.Reason) ? null : r.Reason.Trim(), r.ValidFrom!.Value, r.ValidTo)
            : null;
    }

    public static ValidRefresherCourse? Validate(AddRefresherCourseRequest r, DateOnly today, ValidationErrors errors)
    {
        errors.MaxLength("courseCode", r.CourseCode, 64);
        errors.MaxLength("title", r.Title, 300);
        if (string.IsNullOrWhiteSpace(r.CourseCode) && string.IsNullOrWhiteSpace(r.Title)) errors.Add("title", "Give the course's code or its title (or both).");
        if (r.Hours is not { } hours || hours < 0.5m || hours > 1000) errors.Add("hours", "Required: between 0.5 and 1000.");
        else if (decimal.Round(hours, 1) != hours) errors.Add("hours", $"At most one decimal place (got {hours}).");
        if (r.CompletedOn is null) errors.Add("completedOn", "Required (YYYY-MM-DD).");
        else if (r.CompletedOn > today) errors.Add("completedOn", $"{r.CompletedOn:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd} in Tehran).");
        if (r.ProviderCenterId is not null && r.ProviderPartnerId is not null)
            errors.Add("providerPartnerId", "A course has one provider: give providerCenterId or providerPartnerId, not both.");
        return errors.IsEmpty
            ? new ValidRefresherCourse(Trim(r.CourseCode), Trim(r.Title), r.Hours!.Value, r.CompletedOn!.Value, r.ProviderCenterId, r.ProviderPartnerId)
            : null;
    }

    public static void Validate(AddVisitRequest r, ValidationErrors errors)
    {
        if (r.CenterId is null) errors.Add("centerId", "Required: the training center visited.");
        if (r.FirstDay is null) errors.Add("firstDay", "Required (YYYY-MM-DD).");
        if (r.LastDay is null) errors.Add("lastDay", "Required (YYYY-MM-DD).");
        if (r.FirstDay is { } first && r.LastDay is { } last && last < first) errors.Add("lastDay", $"The last day ({last:yyyy-MM-dd}) is before the first ({first:yyyy-MM-dd}).");
    }

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
