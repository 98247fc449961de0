using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Features.Practitioners;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>
/// Records a batch inside the caller's transaction, set-based: the batch's facts are read in a few statements, the rows are
/// decided in order in memory exactly as if each were recorded one after the other (a rejected row is reported and skipped;
/// a later row sees what earlier rows recorded), and everything is then written in multi-row statements.
/// </summary>
public sealed class AssessmentBatchProcessor(
    AssessmentBatchRepository batches, CenterRepository centers, StandardRepository standards, TraineeRepository trainees,
    BatchCertificates certificates, TimeProvider clock, RegistryMetrics metrics, IOptions<AssessmentOptions> options)
{
    public const int MaxRows = 1000;

    /// <summary>How often a batch is decided again after another center registered one of its new people at the same moment.</summary>
    private const int PlanAttempts = 4;

    /// <summary>Rule look-ups repeat across rows of one batch (same exam day, same standard); ask the database once per key.</summary>
    private sealed class Rules
    {
        public Dictionary<DateOnly, LicenceCheck> Licences { get; } = [];
        public Dictionary<(string Code, int? Version, DateOnly On), StandardVersion?> Standards { get; } = [];
        public Dictionary<(string Code, DateOnly On), bool> Scope { get; } = [];
    }

    public async Task<AssessmentBatchResponse> ProcessAsync(DbSession s, CenterSummary center, IReadOnlyList<AssessmentRowInput?> rows, Caller caller)
    {
        var today = RegistryCalendar.Today(clock);
        var batch = new BatchPlan(center, caller, Guid.CreateVersion7(), today, clock.GetUtcNow());
        var checkedRows = rows.Select((row, i) => CheckedRow.Of(i, row, today, trainees)).ToList();
        var rules = new Rules();
        await batches.LockCenterAsync(s, center.Id);
        var assessors = await PractitionerRepository.AssessorsAsync(s, center.Id, checkedRows.Where(r => r.Unreadable is null && r.ShapeErrors is null)
            .SelectMany(r => new[] { r.Row!.AssessorId, r.Row.SecondAssessorId }).OfType<string>().Where(a => a.Trim().Length > 0).ToList());
        for (var attempt = 1; ; attempt++)
        {
            var state = await LoadAsync(s, batch, checkedRows);
            var plans = new List<RowPlan>(checkedRows.Count);
            foreach (var row in checkedRows) plans.Add(await DecideAsync(s, batch, state, rules, assessors, row));

            var lost = await batches.InsertTraineesAsync(s, state.NewTrainees.Select(t => t.Row).ToList());
            if (lost.Count == 0)
            {
                await WriteAsync(s, batch, state, plans);
                var response = Respond(batch, plans);
                s.AfterCommit(() =>
                {
                    metrics.RowsIngested(RowResult.Recorded, response.Recorded);
                    metrics.RowsIngested(RowResult.AlreadyRecorded, response.AlreadyRecorded);
                    metrics.RowsIngested(RowResult.Rejected, response.Rejected);
                });
                return response;
            }
            if (attempt == PlanAttempts) throw new InvalidOperationException($"Batch {batch.BatchId}: its new trainees kept being registered concurrently.");
            // Another center registered some of these people first. Keep the people this batch did register (now linked to the
            // center) and decide the rows again: they find the others registered, as rows arriving a moment later would.
            var kept = state.NewTrainees.Where(t => !lost.Contains(t.Row.Id)).ToList();
            await batches.InsertLinksAsync(s, kept.SelectMany(t => t.TargetGroups).ToList(), kept.Select(t => t.Link).ToList());
            foreach (var trainee in kept) s.Audit(trainee.Audit);
        }
    }

    private async Task<BatchState> LoadAsync(DbSession s, BatchPlan batch, IReadOnlyList<CheckedRow> rows)
    {
        var readable = rows.Where(r => r.Unreadable is null).ToList();
        var recorded = await batches.FindRecordedAsync(s, batch.Center.Id, readable.Select(r => r.ExternalRef));
        var named = readable.Select(r => r.Trainee).OfType<CheckedTrainee>().ToList();
        var found = await batches.FindTraineesAsync(s,
            named.Select(t => t.NationalIdHash).OfType<string>().Distinct().ToList(),
            named.Select(t => t.PassportHash).OfType<string>().Distinct().ToList(),
            named.Select(t => t.Id).OfType<Guid>().Distinct().ToList());
        var ids = found.Select(t => t.Id).Distinct().ToList();
        await batches.LockTraineesAsync(s, ids);
        return new BatchState(recorded, found,
            await batches.LinkedAsync(s, batch.Center.Id, ids),
            await batches.SameDaysAsync(s, batch.Center.Id, ids),
            (await batches.HeldAsync(s, ids, batch.Today)).ToDictionary(h => h.Key, h => new HeldRef(h.Value, null)),
            named.Any(t => t.Valid?.TargetGroups.Count > 0) ? await batches.ActiveTargetGroupsAsync(s) : []);
    }

    /// <summary>One row, in the order the rules apply; what it records goes into <paramref name="state"/> for the rows after it.</summary>
    private async Task<RowPlan> DecideAsync(DbSession s, BatchPlan batch, BatchState state, Rules rules, AssessorRegister assessors, CheckedRow row)
    {
        if (row.Unreadable is { } unreadable) return RowPlan.Rejected(row, row.Row?.ExternalRef, unreadable);
        // A result the center sent before is answered with what was recorded then, whatever else this row says.
        if (state.Recorded.TryGetValue(row.ExternalRef, out var earlier)) return RowPlan.AlreadyRecorded(row, earlier);
        if (row.ShapeErrors is { } shape) return RowPlan.Rejected(row, row.ExternalRef, shape);

        var errors = new Infrastructure.Http.ValidationErrors();
        var standard = await CheckRulesAsync(s, batch, rules, row, errors);
        var assessor = standard is null ? null : CheckAssessors(batch, assessors, row, standard, errors);
        if (standard is null || assessor is null || !errors.IsEmpty) return RowPlan.Rejected(row, row.ExternalRef, errors.ToDictionary());

        var plan = new RowPlan(row);
        var trainee = ResolveTrainee(batch, state, row.Trainee!, $"{row.Prefix}.trainee", plan, out var traineeErrors);
        if (trainee is null) return plan.Reject(traineeErrors!);

        var day = (trainee.Id, standard.Code, row.ExamDate);
        if (state.SameDays.TryGetValue(day, out var sameDay))
            return plan.Reject(errors.Add($"{row.Prefix}.examDate", CheckedRow.SameDayMessage(standard.Code, row.ExamDate, sameDay)).ToDictionary());

        var input = row.Row!;
        var passed = input.TheoryScore >= standard.TheoryPassMark && input.PracticalScore >= standard.PracticalPassMark;
        plan.Record(new NewAssessment(Guid.CreateVersion7(), batch.Center.Id, row.ExternalRef, trainee.Id, standard.Id, row.ExamDate,
            input.TheoryScore!.Value, input.PracticalScore!.Value, passed ? "passed" : "failed", assessor!.Name, assessor.Reference,
            batch.BatchId, batch.Caller.KeyId, batch.OnBehalf, batch.Now, assessor.Record, assessor.PractitionerId, assessor.SecondId), standard, trainee);
        state.Recorded[row.ExternalRef] = plan;
        state.SameDays[day] = new SameDayResult { AssessmentId = plan.Assessment!.Id, ExternalRef = row.ExternalRef };
        if (passed)
        {
            // One valid certificate per person and standard code: a later pass is recorded and names the one held.
            if (state.Held.TryGetValue((trainee.Id, standard.Code), out var held)) plan.Held = held;
            else state.Held[(trainee.Id, standard.Code)] = new HeldRef(null, plan.Certificate = new PlannedCertificate(plan));
        }
        return plan;
    }

    private async Task<StandardVersion?> CheckRulesAsync(DbSession s, BatchPlan batch, Rules rules, CheckedRow row, Infrastructure.Http.ValidationErrors errors)
    {
        var (prefix, examDate, code, version) = (row.Prefix, row.ExamDate, row.StandardCode, row.Row!.StandardVersion);
        if (!rules.Licences.TryGetValue(examDate, out var licence))
            rules.Licences[examDate] = licence = await centers.CheckLicenceAsync(s, batch.Center.Id, examDate);
        if (!licence.Active) errors.Add($"{prefix}.examDate", licence.Reason ?? $"The center's licence was not active on {examDate:yyyy-MM-dd}.");

        if (!rules.Standards.TryGetValue((code, version, examDate), out var standard))
        {
            standard = version is { } v ? await standards.FindVersionAsync(s, code, v) : await standards.FindInForceAsync(s, code, examDate);
            if (standard is not null && !WasInForce(standard, examDate)) standard = null;
            rules.Standards[(code, version, examDate)] = standard;
        }
        if (standard is null)
        {
            errors.Add(version is null ? $"{prefix}.standardCode" : $"{prefix}.standardVersion", version is { } v
                ? $"Version {v} of standard {code} was not in force on {examDate:yyyy-MM-dd} (or does not exist)."
                : $"No version of standard {code} was in force on {examDate:yyyy-MM-dd}.");
            return null;
        }

        if (!rules.Scope.TryGetValue((code, examDate), out var inScope))
            rules.Scope[(code, examDate)] = inScope = await centers.IsInScopeAsync(s, batch.Center.Id, standard.Code, examDate);
        if (!inScope) errors.Add($"{prefix}.standardCode", $"Standard {standard.Code} was not in this center's licensed scope on {examDate:yyyy-MM-dd}.");
        return standard;
    }

    /// <summary>Who assessed a row, as it is recorded: a checked practitioner (<c>registered</c>) or, where allowed, free text.</summary>
    private sealed record AssessorChoice(string Record, string Name, string? Reference, Guid? PractitionerId, Guid? SecondId);

    /// <summary>
    /// The row's assessor under <see cref="AssessorRegister"/>'s rule, and the second assessor of a joint exam (required when the
    /// standard version asks for one). Free text without a registered practitioner only with <c>Assessments:AllowUnregisteredAssessors</c>.
    /// </summary>
    private AssessorChoice? CheckAssessors(BatchPlan batch, AssessorRegister register, CheckedRow row, StandardVersion standard, Infrastructure.Http.ValidationErrors errors)
    {
        var (input, prefix) = (row.Row!, row.Prefix);
        Guid? secondId = null;
        if (!string.IsNullOrWhiteSpace(input.SecondAssessorId))
        {
            var reference = input.SecondAssessorId.Trim();
            if (register.Find(reference) is not { } second) errors.Add($"{prefix}.secondAssessorId", AssessorRegister.NotRegistered(reference));
            else if (register.WhyNot(second, batch.Center.Id, standard, row.ExamDate, second: true) is { } why) errors.Add($"{prefix}.secondAssessorId", why);
            else secondId = second.Id;
        }
        else if (standard.Assessors.RequiresPartnerAssessor)
            errors.Add($"{prefix}.secondAssessorId",
                $"Standard {standard.Code} version {standard.Version} requires a second assessor from a partner agency: name them in secondAssessorId.");

        var named = string.IsNullOrWhiteSpace(input.AssessorId) ? null : input.AssessorId.Trim();
        var assessor = named is null ? null : register.Find(named);
        if (assessor is null)
        {
            if (options.Value.AllowUnregisteredAssessors && !string.IsNullOrWhiteSpace(input.AssessorName))
                return new AssessorChoice("unregistered", input.AssessorName.Trim(), named, null, secondId);
            errors.Add($"{prefix}.assessorId", named is null
                ? "Required: the id or code of the registered practitioner who assessed this result."
                : AssessorRegister.NotRegistered(named));
            return null;
        }
        if (register.WhyNot(assessor, batch.Center.Id, standard, row.ExamDate, second: false) is { } whyNot)
        {
            errors.Add($"{prefix}.assessorId", whyNot);
            return null;
        }
        if (secondId == assessor.Id) errors.Add($"{prefix}.secondAssessorId", "The second assessor must be another person than the assessor.");
        return new AssessorChoice("registered", assessor.Name, assessor.Code, assessor.Id, secondId);
    }

    private static bool WasInForce(StandardVersion standard, DateOnly on) =>
        standard.Status != StandardStatus.Draft && standard.EffectiveFrom is { } from && from <= on && (standard.EffectiveTo is null || standard.EffectiveTo >= on);

    /// <summary>
    /// The person the row names, under the rules of a center's registration (<see cref="TraineeRegistration.CreateAsync"/>):
    /// by id only when this center already sees them; by identity, a registered person only when identified in full (the
    /// center is then linked), and an unknown identity is registered. Null with the row's errors otherwise.
    /// </summary>
    private static TraineeFacts? ResolveTrainee(BatchPlan batch, BatchState state, CheckedTrainee reference, string prefix, RowPlan plan,
        out IDictionary<string, string[]>? errors)
    {
        errors = null;
        if (reference.Id is { } id)
        {
            // A center may name only people it can already see; otherwise it must identify them, so ids cannot be probed.
            var known = state.ById.GetValueOrDefault(id);
            var visible = batch.Caller.IsAdmin ? known is not null : batch.Caller.IsCenter ? state.Linked.Contains(id) : batch.Caller == Caller.System;
            if (!visible)
            {
                errors = Error($"{prefix}.id", "No trainee with this id is known to this center. Identify the person by national ID or passport instead.");
                return null;
            }
            if (state.Linked.Add(id)) state.NewLinks.Add(new CenterLinkRow(batch.Center.Id, id, null, null));
            return known ?? throw new InvalidOperationException($"Trainee {id} does not exist.");
        }
        if (reference.Errors is { } invalid) { errors = invalid; return null; }

        var valid = reference.Valid!;
        if (state.ByIdentity.TryGetValue(reference.IdentityKey, out var existing))
        {
            if (!TraineeIdentityMatch.Matches(existing.BirthDate, existing.FamilyNameFa, existing.FamilyNameLatin, valid))
            {
                errors = Error(prefix, TraineeIdentityMatch.NotConfirmedDetail);
                return null;
            }
            if (state.Linked.Add(existing.Id))
            {
                state.NewLinks.Add(new CenterLinkRow(batch.Center.Id, existing.Id, valid.Phone, valid.Email));
                plan.TraineeAudit = new AuditEntry(batch.Caller, "link", "trainee", existing.Id.ToString(),
                    new { centerId = batch.Center.Id, confirmedBy = "identifier, birth date, family name" });
            }
            return existing;
        }

        var missing = valid.TargetGroups.Where(code => !state.ActiveTargetGroups.Contains(code)).ToList();
        if (missing.Count > 0)
        {
            errors = Error($"{prefix}.targetGroups",
                $"Unknown or inactive target group(s): {string.Join(", ", missing)}. Use the active codes of the target-group reference list.");
            return null;
        }
        var created = NewTrainee.For(batch, reference);
        state.Register(created);
        plan.TraineeAudit = created.Audit;
        return created.Facts;
    }

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };

    private async Task WriteAsync(DbSession s, BatchPlan batch, BatchState state, IReadOnlyList<RowPlan> plans)
    {
        await batches.InsertLinksAsync(s, state.NewTrainees.SelectMany(t => t.TargetGroups).ToList(), state.NewLinks);
        var recorded = plans.Where(p => p.Assessment is not null).ToList();
        await batches.InsertAssessmentsAsync(s, recorded.Select(p => p.Assessment!).ToList(),
            recorded.Select(p => new AssessmentDayRow(batch.Center.Id, p.Assessment!.TraineeId, p.Standard!.Code, p.Assessment.ExamDate, p.Assessment.Id)).ToList());
        await certificates.IssueAsync(s, batch, plans.Select(p => p.Certificate).OfType<PlannedCertificate>().ToList());
        // The audit chain in the order the rows were decided: person, result, certificate.
        foreach (var plan in plans)
        {
            if (plan.TraineeAudit is { } person) s.Audit(person);
            if (plan.Assessment is { } a)
                s.Audit(new AuditEntry(batch.Caller, "record", "assessment", a.Id.ToString(), new
                {
                    centerId = batch.Center.Id, externalRef = a.ExternalRef, traineeId = (Guid?)a.TraineeId, standardId = a.StandardId, examDate = a.ExamDate,
                    a.TheoryScore, a.PracticalScore, a.Outcome, onBehalf = batch.OnBehalf, batch.BatchId,
                }));
            if (plan.Certificate?.Record is { } c) s.Audit(c.Audit);
        }
    }

    private static AssessmentBatchResponse Respond(BatchPlan batch, IReadOnlyList<RowPlan> plans)
    {
        var results = plans.Select(p => p.ToResult()).ToList();
        return new AssessmentBatchResponse(batch.BatchId, batch.Center.Id, batch.OnBehalf, plans.Count,
            results.Count(r => r.Result == RowResult.Recorded),
            results.Count(r => r.Result == RowResult.AlreadyRecorded),
            results.Count(r => r.Result == RowResult.Rejected), results);
    }
}
