namespace SkillsRegistry.Api.Features.Holders;

/// <summary>Holder access ("Holders"): how long codes and sessions live, how many codes one person may hold, how many wrong birth dates a code survives.</summary>
public sealed class HolderOptions
{
    public const string Section = "Holders";

    /// <summary>The longest a share may stay open; the holder picks up to this.</summary>
    public const int MostShareDays = 90;

    public int AccessCodeHours { get; set; } = 72;
    public int AliveCodesPerPerson { get; set; } = 3;
    public int WrongBirthDatesPerCode { get; set; } = 5;
    public int SessionIdleMinutes { get; set; } = 30;
    public int SessionHours { get; set; } = 12;

    public static IEnumerable<(Func<HolderOptions, int> Value, string Name)> Positive =>
    [
        (o => o.AccessCodeHours, nameof(AccessCodeHours)), (o => o.AliveCodesPerPerson, nameof(AliveCodesPerPerson)),
        (o => o.WrongBirthDatesPerCode, nameof(WrongBirthDatesPerCode)), (o => o.SessionIdleMinutes, nameof(SessionIdleMinutes)),
        (o => o.SessionHours, nameof(SessionHours)),
    ];
}
