namespace SkillsRegistry.Api.Features.Integrity;

public enum IntegritySignalKind
{
    PassRateAbovePeers, HeapingAtPassMark, AssessorPattern, SamePersonTwoCenters, LateBurst, RepeatedAssessment,
    AssessorPassRateAbovePeers, AssessorDailyLoad, PartnerAssessorMissing,
}

public enum IntegritySeverity { Low, Medium, High }

/// <summary>Thresholds of the integrity signals, bound from configuration section "Integrity".</summary>
public sealed class IntegrityOptions
{
    /// <summary>Pass rate far above peers (a center's, or a registered assessor's): the period is this many calendar months (1 = per month).</summary>
    public int PassRateWindowMonths { get; set; } = 1;
    /// <summary>Fewest results of a center or assessor (standard, period) to test; the pooled peers need as many.</summary>
    public int MinResults { get; set; } = 30;
    /// <summary>Binomial z of the center's (assessor's) pass rate against the other centers' (assessors') pooled rate.</summary>
    public double ZThreshold { get; set; } = 3.0;

    /// <summary>Heaping: results exactly at the pass mark needed before a center is flagged.</summary>
    public int MinAtMark { get; set; } = 10;
    /// <summary>Heaping: at-mark results must be at least this many times the just-below results (+1).</summary>
    public double HeapingRatio { get; set; } = 3.0;
    /// <summary>Heaping: "just below" is pass mark − this .. pass mark − 0.1.</summary>
    public decimal JustBelowWidth { get; set; } = 5m;

    /// <summary>Assessor pattern: a practical score at or above this…</summary>
    public decimal AssessorHighPractical { get; set; } = 95m;
    /// <summary>…while theory is at most this many points above its pass mark.</summary>
    public decimal AssessorTheoryMargin { get; set; } = 5m;
    public int AssessorMinCount { get; set; } = 20;
    public double AssessorMinFraction { get; set; } = 0.5;

    /// <summary>Late burst: a result recorded more than this many days after its exam date is late…</summary>
    public int LateDays { get; set; } = 60;
    /// <summary>…and this many late results from one center recorded on one (UTC) day is a burst.</summary>
    public int BurstSize { get; set; } = 20;

    /// <summary>Repeated assessment: this many results of one person for one standard code (at any centers)…</summary>
    public int RepeatMinAssessments { get; set; } = 3;
    /// <summary>…with exam dates within this many days of each other.</summary>
    public int RepeatWindowDays { get; set; } = 30;

    /// <summary>
    /// Assessor daily load: more results than this assessed by one registered assessor (as assessor or second assessor) on
    /// one exam date. 40 leaves room for a long day of short practical tasks; more is hard to believe of one person.
    /// </summary>
    public int AssessorDailyLimit { get; set; } = 40;

    /// <summary>Most assessment ids listed as evidence in one signal.</summary>
    public int MaxEvidenceIds { get; set; } = 50;
}

public sealed record SignalCenter(Guid Id, string Code, string NameFa, string NameEn);

public sealed record SignalAssessor(string Name, string? Id);

/// <summary>What a signal rests on. Only the fields of its kind are set.</summary>
public sealed record SignalEvidence
{
    public int? Results { get; init; }
    public int? Passed { get; init; }
    public double? PassRate { get; init; }
    public int? PeerResults { get; init; }
    public double? PeerPassRate { get; init; }
    public double? Z { get; init; }
    /// <summary>Heaping: theory or practical.</summary>
    public string? Component { get; init; }
    public decimal? PassMark { get; init; }
    public int? AtMark { get; init; }
    public int? JustBelow { get; init; }
    /// <summary>Assessor pattern: results with practical ≥ high while theory is just over its pass mark.</summary>
    public int? Matching { get; init; }
    public double? Fraction { get; init; }
    /// <summary>Late burst: the day the results were recorded (UTC) and the most days between exam and recording.</summary>
    public DateOnly? RecordedOn { get; init; }
    public int? MaxDaysLate { get; init; }
    /// <summary>Same person at two centers: the other center.</summary>
    public SignalCenter? OtherCenter { get; init; }
    /// <summary>Repeated assessment: every center that assessed the person in the window.</summary>
    public IReadOnlyList<SignalCenter>? Centers { get; init; }
    public Guid? TraineeId { get; init; }
    /// <summary>Assessor daily load: the exam date and the configured limit it exceeded.</summary>
    public DateOnly? ExamDate { get; init; }
    public int? Limit { get; init; }
    /// <summary>Partner assessor missing: the standard versions asking for one, and whether the assessor is the center's own staff.</summary>
    public IReadOnlyList<int>? StandardVersions { get; init; }
    public bool? AssessorAtHomeCenter { get; init; }
    /// <summary>Assessments to look at (at most MaxEvidenceIds; AssessmentCount says how many there are).</summary>
    public IReadOnlyList<Guid> AssessmentIds { get; init; } = [];
    public int AssessmentCount { get; init; }
}

public sealed record IntegritySignal(
    IntegritySignalKind Kind,
    IntegritySeverity Severity,
    SignalCenter Center,
    SignalAssessor? Assessor,
    string? StandardCode,
    DateOnly From,
    DateOnly To,
    string Summary,
    SignalEvidence Evidence);

public sealed record IntegritySignals(DateOnly? From, DateOnly? To, IntegritySignalKind? Kind, IReadOnlyList<IntegritySignal> Signals);
