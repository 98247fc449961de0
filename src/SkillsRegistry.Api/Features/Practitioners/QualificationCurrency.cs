using SkillsRegistry.Api.Features.Standards;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>
/// When a qualification counts, the one copy of the rule (the practitioner's answers and the batch check both ask it). In
/// force on a day: from its first to its last day included, and before the day it was withdrawn from. Current on a day: in
/// force, and the refresher hours the standard version asks for were completed in the period ending that day (a course
/// done on day C counts from C through the day before C + the period: on that day currency lapses).
/// </summary>
public static class QualificationCurrency
{
    public static bool InForceOn(DateOnly validFrom, DateOnly? validTo, DateOnly? withdrawnFrom, DateOnly day) =>
        validFrom <= day && (validTo is null || day <= validTo) && (withdrawnFrom is null || day < withdrawnFrom);

    public static bool RefreshedOn(AssessorRequirements requirements, IEnumerable<(DateOnly CompletedOn, decimal Hours)> courses, DateOnly day)
    {
        if (requirements.RefresherHours is not { } hours || requirements.RefresherMonths is not { } months) return true;
        var after = day.AddMonths(-months);
        return courses.Where(c => c.CompletedOn > after && c.CompletedOn <= day).Sum(c => c.Hours) >= hours;
    }
}
