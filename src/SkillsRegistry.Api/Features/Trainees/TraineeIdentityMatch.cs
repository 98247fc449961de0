using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>
/// How a center proves it knows a registered person, as the civil registry checks an identity: the identifier (national
/// ID, or passport number + nationality — found by the look-up) together with the birth date and the family name. The
/// family name counts when either its Persian or its Latin form matches after the registry's Persian normalisation
/// (Arabic ي/ك, ZWNJ, diacritics, spacing and letter case do not matter). Pure: no I/O.
/// </summary>
public static class TraineeIdentityMatch
{
    public static bool Matches(DateOnly storedBirthDate, string storedFamilyNameFa, string storedFamilyNameLatin, ValidTrainee presented) =>
        storedBirthDate == presented.BirthDate &&
        (SameName(storedFamilyNameFa, presented.FamilyNameFa) || SameName(storedFamilyNameLatin, presented.FamilyNameLatin));

    private static bool SameName(string stored, string presented)
    {
        var a = PersianText.NormalizeForSearch(stored);
        return a.Length > 0 && a == PersianText.NormalizeForSearch(presented);
    }

    /// <summary>
    /// The one answer for an identity that names a registered person without matching them. It is worded so that it
    /// neither confirms that the person is registered nor says which field differed.
    /// </summary>
    public const string NotConfirmedDetail =
        "The registry could not confirm this identity. A person is registered or linked to a center only when the national ID " +
        "(or passport number and nationality), the birth date and the family name together match the person's record, as on " +
        "their identity document. Check the three fields; if they are right, ask the registry.";

    /// <summary>The problem title clients see for <see cref="NotConfirmed"/>.</summary>
    public const string NotConfirmedTitle = "Identity not confirmed";

    public static Rejection NotConfirmed(string field) =>
        new(RejectionKind.Unprocessable, NotConfirmedDetail, new Dictionary<string, string[]> { [field] = [NotConfirmedDetail] })
        {
            Title = NotConfirmedTitle,
        };
}
