namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>A trainee row as inserted (<see cref="TraineeSql.Rows"/>): one registered, or a batch's new people.</summary>
public sealed record NewTraineeRow(
    Guid Id, string? NationalIdHash, string? NationalIdEnc, string? PassportHash, string? PassportEnc, string? Nationality,
    string GivenNameFa, string FamilyNameFa, string GivenNameLatin, string FamilyNameLatin, DateOnly BirthDate, string Gender,
    string? Phone, string? Email, Guid? CreatedByCenterId, string SearchText, DateTimeOffset Now);

public sealed record TargetGroupRow(Guid TraineeId, string Code);

/// <summary>A center's link to a trainee, with the contact details it holds for the person.</summary>
public sealed record CenterLinkRow(Guid CenterId, Guid TraineeId, string? Phone, string? Email);

/// <summary>A trainee's identifiers as re-protected under the active key (<see cref="TraineeSql.UpdateProtected"/>).</summary>
internal sealed record ReprotectedIdentifiers(Guid Id, string? NationalIdHash, string? NationalIdEnc, string? PassportHash, string? PassportEnc);
