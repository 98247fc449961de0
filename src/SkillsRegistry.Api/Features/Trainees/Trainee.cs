using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.ComponentModel.DataAnnotations;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Protection;

namespace SkillsRegistry.Api.Features.Trainees;

public enum TraineeGender { Female, Male }

/// <summary>
/// A trainee as submitted: the body of <c>POST /trainees</c> and <c>PUT /trainees/{id}</c>, and the trainee part of an
/// assessment row. Identity is either <c>nationalId</c> (Iranian national ID, Persian digits accepted) or
/// <c>passportNumber</c> + <c>nationality</c> (ISO 3166-1 alpha-2) for a foreign national — never both.
/// </summary>
public sealed record TraineeIdentityInput(
    string? NationalId,
    string? PassportNumber,
    string? Nationality,
    [property: Required, MaxLength(TraineeValidation.NameMaxLength)] string? GivenNameFa,
    [property: Required, MaxLength(TraineeValidation.NameMaxLength)] string? FamilyNameFa,
    [property: Required, MaxLength(TraineeValidation.NameMaxLength)] string? GivenNameLatin,
    [property: Required, MaxLength(TraineeValidation.NameMaxLength)] string? FamilyNameLatin,
    [property: Required] DateOnly? BirthDate,
    [property: Required, OneOf(typeof(TraineeGender))] string? Gender,
    IReadOnlyList<string>? TargetGroups,
    string? Phone,
    string? Email);

/// <summary>
/// A trainee as shown to an admin or to a center that may see them (it created the record or assessed the person).
/// <c>RowVersion</c> is the number in the ETag; send the ETag back in If-Match to update.
/// </summary>
public sealed record TraineeDto(
    Guid Id,
    string? NationalId,
    string? PassportNumber,
    string? Nationality,
    string GivenNameFa,
    string FamilyNameFa,
    string GivenNameLatin,
    string FamilyNameLatin,
    DateOnly BirthDate,
    TraineeGender Gender,
    IReadOnlyList<string> TargetGroups,
    string? Phone,
    string? Email,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long RowVersion);

/// <summary>A validated, normalised identity: exactly one of national ID or passport + nationality.</summary>
public sealed record TraineeIdentity(string? NationalId, string? PassportNumber, string? Nationality)
{
    public bool IsNationalId => NationalId is not null;

    /// <summary>Safe for audit records and messages: never the full identifier.</summary>
    public object Masked() => IsNationalId
        ? new { nationalId = Masking.Identifier(NationalId) }
        : new { passportNumber = Masking.Identifier(PassportNumber), nationality = Nationality };
}

/// <summary>A validated, normalised trainee (identity may be absent on an update that keeps it).</summary>
public sealed record ValidTrainee(
    TraineeIdentity? Identity,
    string GivenNameFa,
    string FamilyNameFa,
    string GivenNameLatin,
    string FamilyNameLatin,
    DateOnly BirthDate,
    TraineeGender Gender,
    IReadOnlyList<string> TargetGroups,
    string? Phone,
    string? Email)
{
    public string SearchText() => PersianText.SearchText(GivenNameFa, FamilyNameFa, GivenNameLatin, FamilyNameLatin);
}

/// <summary>
/// A trainees row (settable properties: the two engines report integer widths differently). The identifiers come
/// encrypted; <c>Phone</c>/<c>Email</c> are the contact details the reading caller supplied (see the repository).
/// </summary>
internal sealed class TraineeRow
{
    public const string NationalIdPurpose = "trainees.national_id";
    public const string PassportPurpose = "trainees.passport_number";

    public Guid Id { get; init; }
    public string? NationalIdEnc { get; init; }
    public string? PassportNumberEnc { get; init; }
    public string? Nationality { get; init; }
    public string GivenNameFa { get; init; } = "";
    public string FamilyNameFa { get; init; } = "";
    public string GivenNameLatin { get; init; } = "";
    public string FamilyNameLatin { get; init; } = "";
    public DateOnly BirthDate { get; init; }
    public string Gender { get; init; } = "";
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long RowVersion { get; init; }

    public TraineeIdentity IdentityWith(FieldProtector protector) => new(
        protector.DecryptOrNull(NationalIdEnc, NationalIdPurpose),
        Nationality is null ? null : protector.DecryptOrNull(PassportNumberEnc, PassportPurpose),
        Nationality);

    public TraineeDto ToDto(IReadOnlyList<string> targetGroups, FieldProtector protector)
    {
        var identity = IdentityWith(protector);
        return new(Id, identity.NationalId, identity.PassportNumber, Nationality, GivenNameFa, FamilyNameFa, GivenNameLatin, FamilyNameLatin,
            BirthDate, EnumText.Parse<TraineeGender>(Gender), targetGroups, Phone, Email, CreatedAt, UpdatedAt, RowVersion);
    }
}
