using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>
/// Records a batch row by row inside one transaction: a rejected row is reported and skipped, the others are recorded,
/// and every pass issues its certificate in the same transaction as its assessment.
/// </summary>
public sealed class AssessmentBatchProcessor(
    AssessmentRepository assessments, CenterRepository centers, StandardRepository standards, TraineeRepository trainees,
    CertificateIssuer issuer, ResultUniqueness uniqueness, TimeProvider clock)
{
    public const int MaxRows = 1000;

    /// <summary>Rule look-ups repeat across rows of one batch (same exam day, same standard); ask the database once.</summary>
    private sealed class BatchContext(DbSession session, CenterSummary center, Caller caller, Guid batchId, DateOnly today, DateTimeOffset now)
    {
        public DbSession Session { get; } = session;
        public CenterSummary Center { get; } = center;
        public Caller Caller { get; } = caller;
        public Guid BatchId { get; } = batchId;
        public DateOnly Today { get; } = today;
        public DateTimeOffset Now { get; } = now;
        public bool OnBehalf => !Caller.IsCenter;
        public Dictionary<DateOnly, LicenceCheck> Licences { get; } = [];
        public Dictionary<(string Code, int? Version, DateOnly On), StandardVersion?> Standards { get; } = [];
        public Dictionary<(string Code, DateOnly On), bool> Scope { get; } = [];
    }

    public async Task<AssessmentBatchResponse> ProcessAsync(DbSession s, CenterSummary center, IReadOnlyList<AssessmentRowInput?> rows, Caller caller)
    {
        var context = new BatchContext(s, center, caller, Guid.CreateVersion7(), RegistryCalendar.Today(clock), clock.GetUtcNow());
        var results = new List<AssessmentRowResult>(rows.Count);
        for (var i = 0; i < rows.Count; i++) results.Add(await ProcessRowAsync(context, i, rows[i]));
        return new AssessmentBatchResponse(context.BatchId, center.Id, context.OnBehalf, rows.Count,
            results.Count(r => r.Result == RowResult.Recorded),
            results.Count(r => r.Result == RowResult.AlreadyRecorded),
            results.Count(r => r.Result == RowResult.Rejected), results);
    }

    private async Task<AssessmentRowResult> ProcessRowAsync(BatchContext context, int index, AssessmentRowInput? row)
    {
        var prefix = $"rows[{index}]";
        var errors = new ValidationErrors();
        if (row is null) return Rejected(index, null, errors.Add(prefix, "A row is required here, not null."));
        if (!errors.Required($"{prefix}.externalRef", row.ExternalRef, 100)) return Rejected(index, row.ExternalRef, errors);
        var externalRef = row.ExternalRef!.Trim();

        // A result the center sent before is answered with what was recorded then, whatever else this row says.
        var earlier = await assessments.FindByExternalRefAsync(context.Session, context.Center.Id, externalRef);
        if (earlier is not null) return AlreadyRecorded(index, externalRef, earlier);

        ValidateShape(row, prefix, context.Today, errors);
        if (!errors.IsEmpty) return Rejected(index, externalRef, errors);
        var examDate = row.ExamDate!.Value;

        var standard = await CheckRulesAsync(context, row, prefix, examDate, errors);
        if (standard is null || !errors.IsEmpty) return Rejected(index, externalRef, errors);

        var traineeId = await ResolveTraineeAsync(context, row.Trainee!, $"{prefix}.trainee", errors);
        if (traineeId is null) return Rejected(index, externalRef, errors);

        if (await uniqueness.FindSameDayAsync(context.Session, context.Center.Id, traineeId.Value, standard.Code, examDate) is { } sameDay)
            return Rejected(index, externalRef, errors.Add($"{prefix}.examDate", SameDayMessage(standard.Code, examDate, sameDay)));

        var passed = row.TheoryScore >= standard.TheoryPassMark && row.PracticalScore >= standard.PracticalPassMark;
        var assessment = new NewAssessment(Guid.CreateVersion7(), context.Center.Id, externalRef, traineeId.Value, standard.Id, examDate,
            row.TheoryScore!.Value, row.PracticalScore!.Value, passed ? "passed" : "failed", row.AssessorName!.Trim(), row.AssessorId?.Trim(),
            context.BatchId, context.Caller.KeyId, context.OnBehalf, context.Now);
        if (!await assessments.TryInsertAsync(context.Session, assessment))
        {
            // A parallel submission recorded the same result between our check and our insert.
            var winner = await assessments.FindByExternalRefAsync(context.Session, context.Center.Id, externalRef);
            return AlreadyRecorded(index, externalRef, winner!);
        }
        if (!await uniqueness.TryClaimDayAsync(context.Session, assessment.Id, context.Center.Id, traineeId.Value, standard.Code, examDate))
        {
            // A parallel submission recorded this person's result for the day first: the same row again, or another one.
            if (await assessments.FindByExternalRefAsync(context.Session, context.Center.Id, externalRef) is { } same)
                return AlreadyRecorded(index, externalRef, same);
            var first = await uniqueness.FindSameDayAsync(context.Session, context.Center.Id, traineeId.Value, standard.Code, examDate);
            return Rejected(index, externalRef, errors.Add($"{prefix}.examDate", SameDayMessage(standard.Code, examDate, first!)));
        }
        context.Session.Audit(new AuditEntry(context.Caller, "record", "assessment", assessment.Id.ToString(), new
        {
            centerId = context.Center.Id, externalRef, traineeId, standardId = standard.Id, examDate,
            assessment.TheoryScore, assessment.PracticalScore, assessment.Outcome, onBehalf = context.OnBehalf, context.BatchId,
        }));

        IssuedCertificate? certificate = null;
        var held = passed ? await uniqueness.FindHeldCertificateAsync(context.Session, traineeId.Value, standard.Code, context.Today) : null;
        if (passed && held is null)
        {
            certificate = await issuer.IssueAsync(context.Session, new CertificateIssue(
                assessment.Id, traineeId.Value, standard.Id, standard.Code, standard.TitleFa, standard.TitleEn, context.Center.Id, context.Center.ProvinceCode, context.Center.Country,
                assessment.TheoryScore, assessment.PracticalScore, examDate, standard.ValidityMonths), context.Caller);
        }
        return new AssessmentRowResult(index, externalRef, RowResult.Recorded, assessment.Id,
            passed ? AssessmentOutcome.Passed : AssessmentOutcome.Failed, certificate?.Id, certificate?.Number, null)
        {
            HeldCertificateId = held?.Id, HeldCertificateNumber = held?.Number,
        };
    }

    private static string SameDayMessage(string standardCode, DateOnly examDate, SameDayResult earlier) =>
        $"This center already recorded this person's result for standard {standardCode} on {examDate:yyyy-MM-dd} " +
        $"(assessment {earlier.AssessmentId}, externalRef '{earlier.ExternalRef}'). One result per person, standard and day: " +
        "to change it, void that assessment or correct its certificate.";

    private static void ValidateShape(AssessmentRowInput row, string prefix, DateOnly today, ValidationErrors errors)
    {
        errors.Required($"{prefix}.standardCode", row.StandardCode, 32);
        errors.Required($"{prefix}.assessorName", row.AssessorName, 200);
        errors.MaxLength($"{prefix}.assessorId", row.AssessorId, 64);
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

    private async Task<StandardVersion?> CheckRulesAsync(BatchContext context, AssessmentRowInput row, string prefix, DateOnly examDate, ValidationErrors errors)
    {
        var s = context.Session;
        if (!context.Licences.TryGetValue(examDate, out var licence))
            context.Licences[examDate] = licence = await centers.CheckLicenceAsync(s, context.Center.Id, examDate);
        if (!licence.Active) errors.Add($"{prefix}.examDate", licence.Reason ?? $"The center's licence was not active on {examDate:yyyy-MM-dd}.");

        var code = row.StandardCode!.Trim().ToUpperInvariant();
        var standardKey = (code, row.StandardVersion, examDate);
        if (!context.Standards.TryGetValue(standardKey, out var standard))
        {
            standard = row.StandardVersion is { } version
                ? await standards.FindVersionAsync(s, code, version)
                : await standards.FindInForceAsync(s, code, examDate);
            if (standard is not null && !WasInForce(standard, examDate)) standard = null;
            context.Standards[standardKey] = standard;
        }
        if (standard is null)
        {
            errors.Add(row.StandardVersion is null ? $"{prefix}.standardCode" : $"{prefix}.standardVersion", row.StandardVersion is { } v
                ? $"Version {v} of standard {code} was not in force on {examDate:yyyy-MM-dd} (or does not exist)."
                : $"No version of standard {code} was in force on {examDate:yyyy-MM-dd}.");
            return null;
        }

        if (!context.Scope.TryGetValue((code, examDate), out var inScope))
            context.Scope[(code, examDate)] = inScope = await centers.IsInScopeAsync(s, context.Center.Id, standard.Code, examDate);
        if (!inScope) errors.Add($"{prefix}.standardCode", $"Standard {standard.Code} was not in this center's licensed scope on {examDate:yyyy-MM-dd}.");
        return standard;
    }

    private static bool WasInForce(StandardVersion standard, DateOnly on) =>
        standard.Status != StandardStatus.Draft && standard.EffectiveFrom is { } from && from <= on && (standard.EffectiveTo is null || standard.EffectiveTo >= on);

    private async Task<Guid?> ResolveTraineeAsync(BatchContext context, TraineeReference reference, string prefix, ValidationErrors errors)
    {
        var s = context.Session;
        if (reference.Id is { } id)
        {
            // A center may name only people it can already see; otherwise it must identify them, so ids cannot be probed.
            var visible = context.Caller.IsAdmin ? await trainees.ExistsAsync(s, id) : await trainees.CanSeeAsync(s, context.Caller, id);
            if (!visible) { errors.Add($"{prefix}.id", "No trainee with this id is known to this center. Identify the person by national ID or passport instead."); return null; }
            await trainees.GrantCenterAsync(s, context.Center.Id, id);
            return id;
        }
        var match = await trainees.FindOrCreateAsync(s, ToIdentityInput(reference), context.Center.Id, context.Caller, prefix);
        if (match.Rejection is { } rejected) // refused before any statement, so the transaction is intact
        {
            foreach (var (field, messages) in rejected.Errors ?? new Dictionary<string, string[]> { [prefix] = [rejected.Detail] })
                foreach (var message in messages) errors.Add(field, message);
            return null;
        }
        return match.Value.TraineeId;
    }

    private static TraineeIdentityInput ToIdentityInput(TraineeReference r) => new(
        r.NationalId, r.PassportNumber, r.Nationality, r.GivenNameFa, r.FamilyNameFa, r.GivenNameLatin, r.FamilyNameLatin,
        r.BirthDate, r.Gender, r.TargetGroups, null, null);

    private static AssessmentRowResult Rejected(int index, string? externalRef, ValidationErrors errors) =>
        new(index, externalRef, RowResult.Rejected, null, null, null, null, errors.ToDictionary());

    private static AssessmentRowResult AlreadyRecorded(int index, string externalRef, RecordedAssessment earlier) =>
        new(index, externalRef, RowResult.AlreadyRecorded, earlier.Id, EnumText.Parse<AssessmentOutcome>(earlier.Outcome),
            earlier.CertificateId, earlier.CertificateNumber, null);
}
