namespace SkillsRegistry.Bench;

/// <summary>
/// The host's garbage collections so far (by generation) and their total pause: read before and after a measured run,
/// the difference says whether a tail latency coincides with collections in the service or comes from outside it.
/// </summary>
public sealed record GcFigures(int Gen0, int Gen1, int Gen2, double PauseMs)
{
    public static GcFigures Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds);

    public GcFigures Since(GcFigures before) => new(Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2, PauseMs - before.PauseMs);

    /// <summary>Counts include the younger generations' collections done as part of an older one (CollectionCount's meaning).</summary>
    public string Counts() => $"{Gen0}/{Gen1}/{Gen2}";
}
