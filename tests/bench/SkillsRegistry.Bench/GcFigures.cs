using System.Diagnostics.Tracing;

namespace SkillsRegistry.Bench;

/// <summary>
/// The host's garbage collections so far (by generation), their total pause, the longest pause since the previous read,
/// and the process's page faults: read before and after a measured run, the difference says whether a tail latency
/// coincides with collections or faults in the service, or comes from outside it.
/// </summary>
public sealed record GcFigures(int Gen0, int Gen1, int Gen2, double PauseMs, double LongestPauseMs, long MinorFaults, long MajorFaults)
{
    /// <summary>Now; the longest pause is since the previous call (the listener forgets it when read).</summary>
    public static GcFigures Now()
    {
        // /proc/self/stat: "pid (comm) state …", minflt is field 10 and majflt field 12 (1-based), counted after the comm's ')'.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds,
            PauseListener.TakeLongestMs(), long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(fields[9], System.Globalization.CultureInfo.InvariantCulture));
    }

    public GcFigures Since(GcFigures before) => new(Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2, PauseMs - before.PauseMs,
        LongestPauseMs, MinorFaults - before.MinorFaults, MajorFaults - before.MajorFaults);

    /// <summary>Counts include the younger generations' collections done as part of an older one (CollectionCount's meaning).</summary>
    public string Counts() => $"{Gen0}/{Gen1}/{Gen2}";

    /// <summary>Starts timing each pause (from the runtime's suspend-begin to restart-end events) in this process.</summary>
    public static void StartListening() => _ = PauseListener.Instance;

    private sealed class PauseListener : EventListener
    {
        private const int SuspendBegin = 9, RestartEnd = 3;
        public static readonly PauseListener Instance = new();
        private static long suspendedAt, longestTicks;

        public static double TakeLongestMs() => TimeSpan.FromTicks(Interlocked.Exchange(ref longestTicks, 0)).TotalMilliseconds;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1); // GC
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventId == SuspendBegin) Volatile.Write(ref suspendedAt, e.TimeStamp.Ticks);
            else if (e.EventId == RestartEnd && Volatile.Read(ref suspendedAt) is var at and > 0)
            {
                var took = e.TimeStamp.Ticks - at;
                long seen;
                while (took > (seen = Volatile.Read(ref longestTicks)) && Interlocked.CompareExchange(ref longestTicks, took, seen) != seen) { }
            }
        }
    }
}
