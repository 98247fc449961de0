using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>What is fixed for the whole batch.</summary>
public sealed record BatchPlan(CenterSummary Center, Caller Caller, Guid BatchId, DateOnly Today, DateTimeOffset Now)
{
    public bool OnBehalf => !Caller.IsCenter;
}

/// <summary>A certificate the person holds: one stored before the batch, or one an earlier row of the batch issues.</summary>
public sealed record HeldRef(HeldCertificate? Stored, PlannedCertificate? Planned)
{
    public Guid Id => Stored?.Id ?? Planned!.Id;
    public string Number => Stored?.Number ?? Planned!.Number;
}

/// <summary>A certificate a row issues; its number, status entry and signature (its record) are settled when the batch is written.</summary>
public sealed class PlannedCertificate(RowPlan row)
{
    public Guid Id { get; } = Guid.CreateVersion7();
    public RowPlan Row { get; } = row;
    public CertificateRecord? Record { get; set; }
    public string Number => Record?.Row.Number ?? "";
}

/// <summary>A person the batch registers: the row to insert, their target groups, the center's link and the audit record.</summary>
public sealed record NewTrainee(NewTraineeRow Row, TraineeFacts Facts, IReadOnlyList<TargetGroupRow> TargetGroups, CenterLinkRow Link, AuditEntry Audit)
{
    public static NewTrainee For(BatchPlan batch, CheckedTrainee reference)
    {
        var t = reference.Valid!;
        var identity = t.Identity!;
        var id = Guid.CreateVersion7();
        var centerId = batch.Center.Id;
        // As TraineeRepository registers a person for a center: the contact details belong on the center's link.
        var row = new NewTraineeRow(id, reference.NationalIdHash, reference.NationalIdEnc, reference.PassportHash, reference.PassportEnc,
            identity.Nationality, t.GivenNameFa, t.FamilyNameFa, t.GivenNameLatin, t.FamilyNameLatin, t.BirthDate, EnumText.ToText(t.Gender),
            null, null, centerId, t.SearchText(), batch.Now);
        var facts = new TraineeFacts
        {
            Id = id, NationalIdHash = reference.NationalIdHash, PassportHash = reference.PassportHash, Nationality = identity.Nationality,
            GivenNameFa = t.GivenNameFa, FamilyNameFa = t.FamilyNameFa, GivenNameLatin = t.GivenNameLatin, FamilyNameLatin = t.FamilyNameLatin,
            BirthDate = t.BirthDate,
        };
        var audit = new AuditEntry(batch.Caller, "create", "trainee", id.ToString(), new
        {
            source = "assessment",
            identity = identity.Masked(),
            t.GivenNameFa, t.FamilyNameFa, t.GivenNameLatin, t.FamilyNameLatin,
            t.BirthDate, gender = EnumText.ToText(t.Gender), t.TargetGroups, createdByCenterId = (Guid?)centerId,
        });
        return new NewTrainee(row, facts, t.TargetGroups.Select(code => new TargetGroupRow(id, code)).ToList(),
            new CenterLinkRow(centerId, id, t.Phone, t.Email), audit);
    }
}

/// <summary>
/// The batch's view of the database, read once and then kept current in memory as rows are decided, so that each row sees
/// what the rows before it recorded (a repeated externalRef, a claimed day, a certificate just issued, a person just registered).
/// </summary>
public sealed class BatchState
{
    public BatchState(Dictionary<string, RecordedAssessment> recorded, IReadOnlyList<TraineeFacts> found, HashSet<Guid> linked,
        Dictionary<(Guid, string, DateOnly), SameDayResult> sameDays, Dictionary<(Guid, string), HeldRef> held, HashSet<string> activeTargetGroups)
    {
        foreach (var (externalRef, earlier) in recorded) Recorded[externalRef] = earlier;
        foreach (var trainee in found)
        {
            ById[trainee.Id] = trainee;
            if (trainee.NationalIdHash is { } n) ByIdentity[(n, null)] = trainee;
            if (trainee.PassportHash is { } p) ByIdentity[(p, trainee.Nationality)] = trainee;
        }
        Linked = linked;
        SameDays = sameDays;
        Held = held;
        ActiveTargetGroups = activeTargetGroups;
    }

    /// <summary>By externalRef: a <see cref="RecordedAssessment"/> stored before, or the <see cref="RowPlan"/> that records it now.</summary>
    public Dictionary<string, object> Recorded { get; } = [];
    public Dictionary<Guid, TraineeFacts> ById { get; } = [];
    public Dictionary<(string Hash, string? Nationality), TraineeFacts> ByIdentity { get; } = [];
    public HashSet<Guid> Linked { get; }
    public Dictionary<(Guid TraineeId, string StandardCode, DateOnly ExamDate), SameDayResult> SameDays { get; }
    public Dictionary<(Guid TraineeId, string StandardCode), HeldRef> Held { get; }
    public HashSet<string> ActiveTargetGroups { get; }
    public List<NewTrainee> NewTrainees { get; } = [];
    public List<CenterLinkRow> NewLinks { get; } = [];

    public void Register(NewTrainee trainee)
    {
        NewTrainees.Add(trainee);
        ById[trainee.Facts.Id] = trainee.Facts;
        ByIdentity[trainee.Row.NationalIdHash is { } n ? (n, null) : (trainee.Row.PassportHash!, trainee.Row.Nationality)] = trainee.Facts;
        Linked.Add(trainee.Facts.Id);
        NewLinks.Add(trainee.Link);
    }
}

/// <summary>How one row was decided, and what it writes.</summary>
public sealed class RowPlan(CheckedRow row)
{
    private RowResult result = RowResult.Recorded;
    private string? externalRef = row.ExternalRef;
    private IDictionary<string, string[]>? errors;
    private object? earlier;

    public CheckedRow Row { get; } = row;
    public AuditEntry? TraineeAudit { get; set; }
    public NewAssessment? Assessment { get; private set; }
    public StandardVersion? Standard { get; private set; }
    public TraineeFacts? Trainee { get; private set; }
    public PlannedCertificate? Certificate { get; set; }
    public HeldRef? Held { get; set; }

    public static RowPlan Rejected(CheckedRow row, string? externalRef, IDictionary<string, string[]> errors) =>
        new RowPlan(row) { externalRef = externalRef }.Reject(errors);

    public static RowPlan AlreadyRecorded(CheckedRow row, object earlier) =>
        new(row) { result = RowResult.AlreadyRecorded, earlier = earlier };

    /// <summary>Rejected after the person was resolved: a registration or link the row made still stands, as it would row by row.</summary>
    public RowPlan Reject(IDictionary<string, string[]> rowErrors)
    {
        result = RowResult.Rejected;
        errors = rowErrors;
        return this;
    }

    public void Record(NewAssessment assessment, StandardVersion standard, TraineeFacts trainee)
    {
        Assessment = assessment;
        Standard = standard;
        Trainee = trainee;
    }

    private AssessmentOutcome Outcome => Assessment!.Outcome == "passed" ? AssessmentOutcome.Passed : AssessmentOutcome.Failed;

    public AssessmentRowResult ToResult() => result switch
    {
        RowResult.Rejected => new(Row.Index, externalRef, RowResult.Rejected, null, null, null, null, errors),
        RowResult.AlreadyRecorded => earlier switch
        {
            RecordedAssessment stored => new(Row.Index, externalRef, RowResult.AlreadyRecorded, stored.Id, EnumText.Parse<AssessmentOutcome>(stored.Outcome),
                stored.CertificateId, stored.CertificateNumber, null),
            RowPlan first => new(Row.Index, externalRef, RowResult.AlreadyRecorded, first.Assessment!.Id, first.Outcome,
                first.Certificate?.Id, first.Certificate?.Number, null),
            _ => throw new InvalidOperationException("An already-recorded row names what recorded it."),
        },
        _ => new(Row.Index, externalRef, RowResult.Recorded, Assessment!.Id, Outcome, Certificate?.Id, Certificate?.Number, null)
        {
            HeldCertificateId = Held?.Id, HeldCertificateNumber = Held?.Number,
        },
    };
}
