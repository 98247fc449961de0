using SkillsRegistry.Api.Features.Standards;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>A practitioner a batch names as assessor: how to find them and what to record of them.</summary>
public sealed class AssessorFacts
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public Guid? HomeCenterId { get; init; }
    public Guid? HomePartnerId { get; init; }
    public string GivenNameFa { get; init; } = "";
    public string FamilyNameFa { get; init; } = "";
    public string GivenNameLatin { get; init; } = "";
    public string FamilyNameLatin { get; init; } = "";

    /// <summary>The name a result records for its assessor (the free-text column legacy results filled).</summary>
    public string Name => $"{GivenNameLatin} {FamilyNameLatin}";
}

/// <summary>One of a named practitioner's facts: an assessor qualification (q), a refresher course (r) or a visit to the center (v).</summary>
internal sealed class AssessorFactRow
{
    public string Fact { get; init; } = "";
    public Guid PractitionerId { get; init; }
    public string? StandardCode { get; init; }
    public DateOnly FromDay { get; init; }
    public DateOnly? ToDay { get; init; }
    public DateOnly? WithdrawnFrom { get; init; }
    public decimal Hours { get; init; }
}

/// <summary>
/// The assessors a batch names, read in two statements for the whole batch (<see cref="PractitionerRepository.AssessorsAsync"/>),
/// and the rule a row's assessor must meet: registered; holding an <c>assessor</c> or <c>lead-assessor</c> qualification for
/// the standard's code; current on the exam date (<see cref="QualificationCurrency"/>); attached to the submitting center on
/// that date — its own staff, or on a visit recorded for that day. A second assessor must be from a partner agency instead
/// of attached. Each "no" is a sentence for the row's field.
/// </summary>
public sealed class AssessorRegister
{
    private readonly Dictionary<string, AssessorFacts> byReference = new(StringComparer.Ordinal);
    private readonly ILookup<Guid, AssessorFactRow> facts;

    internal AssessorRegister(IEnumerable<AssessorFacts> assessors, IEnumerable<AssessorFactRow> facts)
    {
        foreach (var a in assessors)
        {
            byReference[a.Id.ToString()] = a;
            byReference[a.Code] = a;
        }
        this.facts = facts.ToLookup(f => f.PractitionerId);
    }

    /// <summary>How a row's reference is compared: an id in its canonical form, a code upper-case.</summary>
    public static string Key(string reference) =>
        Guid.TryParse(reference.Trim(), out var id) ? id.ToString() : reference.Trim().ToUpperInvariant();

    public AssessorFacts? Find(string reference) => byReference.GetValueOrDefault(Key(reference));

    public static string NotRegistered(string reference) =>
        $"'{reference}' is not a registered practitioner: name the assessor by practitioner id or code (see GET /api/v1/practitioners).";

    /// <summary>Null when <paramref name="assessor"/> may assess this row; otherwise why not, in words.</summary>
    public string? WhyNot(AssessorFacts assessor, Guid centerId, StandardVersion standard, DateOnly examDate, bool second)
    {
        var mine = facts[assessor.Id];
        var qualifications = mine.Where(f => f.Fact == "q" && f.StandardCode == standard.Code).ToList();
        if (qualifications.Count == 0)
            return $"Practitioner {assessor.Code} is not qualified to assess standard {standard.Code}: they hold no assessor or lead-assessor qualification for it.";
        if (!qualifications.Any(q => QualificationCurrency.InForceOn(q.FromDay, q.ToDay, q.WithdrawnFrom, examDate)))
            return $"Practitioner {assessor.Code} was not current on the exam date {examDate:yyyy-MM-dd}: no assessor qualification for standard {standard.Code} was in force that day.";
        var courses = mine.Where(f => f.Fact == "r").Select(f => (f.FromDay, f.Hours));
        if (!QualificationCurrency.RefreshedOn(standard.Assessors, courses, examDate))
            return $"Practitioner {assessor.Code} was not current on the exam date {examDate:yyyy-MM-dd}: standard {standard.Code} version {standard.Version} " +
                   $"asks for {standard.Assessors.RefresherHours} refresher hours in the {standard.Assessors.RefresherMonths} months ending that day.";
        if (second)
            return assessor.HomePartnerId is null
                ? $"Practitioner {assessor.Code} cannot be the second assessor: the second assessor of a joint exam is from a partner agency."
                : null;
        var attached = assessor.HomeCenterId == centerId
                       || mine.Any(f => f.Fact == "v" && f.FromDay <= examDate && examDate <= f.ToDay);
        return attached ? null
            : $"Practitioner {assessor.Code} was not attached to this center on {examDate:yyyy-MM-dd}: neither its own staff nor on a visit recorded for that day.";
    }
}
