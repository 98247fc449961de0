using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>How a row names its trainee once checked: by id, or by a validated identity with its keyed hashes.</summary>
public sealed record CheckedTrainee(Guid? Id, ValidTrainee? Valid, IDictionary<string, string[]>? Errors,
    string? NationalIdHash, string? NationalIdEnc, string? PassportHash, string? PassportEnc)
{
    /// <summary>The key the identity is registered under: national-ID hash, or passport hash with nationality.</summary>
    public (string Hash, string? Nationality) IdentityKey =>
        Valid!.Identity!.IsNationalId ? (NationalIdHash!, null) : (PassportHash!, Valid.Identity.Nationality);
}

/// <summary>
/// A row after the checks that need no database: its own form, scores and trainee fields. The errors are kept apart because
/// they are reported in the order the rules apply (an externalRef recorded before wins over anything else the row says).
/// </summary>
public sealed class CheckedRow
{
    public int Index { get; private init; }
    public string Prefix => $"rows[{Index}]";
    public AssessmentRowInput? Row { get; private init; }

    /// <summary>Set when the row cannot even be looked up (null row, no externalRef): rejected whatever the database holds.</summary>
    public IDictionary<string, string[]>? Unreadable { get; private init; }

    public string ExternalRef { get; private init; } = "";
    public IDictionary<string, string[]>? ShapeErrors { get; private init; }
    public string StandardCode { get; private init; } = "";
    public DateOnly ExamDate { get; private init; }
    public CheckedTrainee? Trainee { get; private init; }

    public static CheckedRow Of(int index, AssessmentRowInput? row, DateOnly today, TraineeRepository trainees)
    {
        var prefix = $"rows[{index}]";
        var errors = new ValidationErrors();
        if (row is null) return new CheckedRow { Index = index, Unreadable = errors.Add(prefix, "A row is required here, not null.").ToDictionary() };
        if (!errors.Required($"{prefix}.externalRef", row.ExternalRef, 100)) return new CheckedRow { Index = index, Row = row, Unreadable = errors.ToDictionary() };

        ValidateShape(row, prefix, today, errors);
        if (!errors.IsEmpty) return new CheckedRow { Index = index, Row = row, ExternalRef = row.ExternalRef!.Trim(), ShapeErrors = errors.ToDictionary() };
        return new CheckedRow
        {
            Index = index, Row = row, ExternalRef = row.ExternalRef!.Trim(), StandardCode = row.StandardCode!.Trim().ToUpperInvariant(),
            ExamDate = row.ExamDate!.Value, Trainee = CheckTrainee(row.Trainee!, $"{prefix}.trainee", today, trainees),
        };
    }

    private static CheckedTrainee CheckTrainee(TraineeReference reference, string prefix, DateOnly today, TraineeRepository trainees)
    {
        if (reference.Id is { } id) return new CheckedTrainee(id, null, null, null, null, null, null);
        var errors = new ValidationErrors();
        var valid = TraineeValidation.Validate(ToIdentityInput(reference), today, errors, prefix);
        if (valid is null) return new CheckedTrainee(null, null, errors.ToDictionary(), null, null, null, null);
        var (nationalIdHash, nationalIdEnc, passportHash, passportEnc) = trainees.Protect(valid.Identity!);
        return new CheckedTrainee(null, valid, null, nationalIdHash, nationalIdEnc, passportHash, passportEnc);
    }

    private static TraineeIdentityInput ToIdentityInput(TraineeReference r) => new(
        r.NationalId, r.PassportNumber, r.Nationality, r.GivenNameFa, r.FamilyNameFa, r.GivenNameLatin, r.FamilyNameLatin,
        r.BirthDate, r.Gender, r.TargetGroups, null, null);

    private static void ValidateShape(AssessmentRowInput row, string prefix, DateOnly today, ValidationErrors errors)
    {
        errors.Required($"{prefix}.standardCode", row.StandardCode, 32);
        errors.MaxLength($"{prefix}.assessorName", row.AssessorName, 200);
        errors.MaxLength($"{prefix}.assessorId", row.AssessorId, 64);
        errors.MaxLength($"{prefix}.secondAssessorId", row.SecondAssessorId, 64);
        if (row.StandardVersion is < 1) errors.Add($"{prefix}.standardVersion", "Versions start at 1.");
        if (row.ExamDate is null) errors.Add($"{prefix}.examDate", "Required (YYYY-MM-DD).");
        else if (row.ExamDate > today) errors.Add($"{prefix}.examDate", $"{row.ExamDate:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd} in Tehran).");
        ValidateScore(row.TheoryScore, $"{prefix}.theoryScore", errors);
        ValidateScore(row.PracticalScore, $"{prefix}.practicalScore", errors);
        if (row.Trainee is null) errors.Add($"{prefix}.trainee", "Required: the trainee's id, or their national ID (or passport number and nationality) with names.");
    }

    private static void ValidateScore(decimal? score, string field, ValidationErrors errors)
    {
        if (score is null) { errors.Add(field, "Required (0–100, at most one decimal)."); return; }
        if (!errors.Range(field, score, 0, 100)) return;
        if (decimal.Round(score.Value, 1) != score.Value) errors.Add(field, $"At most one decimal place (got {score}).");
    }

    public static string SameDayMessage(string standardCode, DateOnly examDate, SameDayResult earlier) =>
        $"This center already recorded this person's result for standard {standardCode} on {examDate:yyyy-MM-dd} " +
        $"(assessment {earlier.AssessmentId}, externalRef '{earlier.ExternalRef}'). One result per person, standard and day: " +
        "to change it, void that assessment or correct its certificate.";
}
