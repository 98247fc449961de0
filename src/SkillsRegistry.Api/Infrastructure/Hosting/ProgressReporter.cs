using System.Globalization;

namespace SkillsRegistry.Api.Infrastructure.Hosting;

/// <summary>
/// Progress of a long admin verb (backup, restore, statistics rebuild). On a terminal: one line redrawn in place with
/// what is done, the rate and the time left. Redirected to a file or a pipe: a plain line every <see cref="PlainInterval"/>,
/// so a log shows the work moving without thousands of carriage returns.
/// </summary>
public sealed class ProgressReporter
{
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);

    private readonly string label;
    private readonly string unit;
    private readonly TextWriter output;
    private readonly bool inPlace;
    private readonly TimeProvider time;
    private readonly long started;
    private readonly Lock gate = new();
    private long total;
    private long done;
    private TimeSpan lastShown = TimeSpan.MinValue;
    private int drawnWidth;

    public ProgressReporter(string label, long total, string unit, TextWriter? output = null, bool? inPlace = null, TimeProvider? time = null)
    {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.output = output ?? Console.Out;
        this.inPlace = inPlace ?? (output is null && !Console.IsOutputRedirected);
        this.time = time ?? TimeProvider.System;
        started = this.time.GetTimestamp();
    }

    /// <summary>The total can grow or become known late (a database copied while it is written).</summary>
    public void SetTotal(long value) { lock (gate) total = value; }

    public void Report(long doneSoFar)
    {
        lock (gate)
        {
            done = doneSoFar;
            var elapsed = time.GetElapsedTime(started);
            if (lastShown != TimeSpan.MinValue && elapsed - lastShown < (inPlace ? RedrawInterval : PlainInterval)) return;
            lastShown = elapsed;
            Show(Line(elapsed), final: false);
        }
    }

    public void Advance(long by = 1)
    {
        long now;
        lock (gate) now = done + by;
        Report(now);
    }

    /// <summary>The closing line: what was done and how long it took.</summary>
    public void Complete(string? summary = null)
    {
        lock (gate)
        {
            var elapsed = time.GetElapsedTime(started);
            Show($"{label}: {summary ?? $"{Count(done)} {unit}"} in {Duration(elapsed)}", final: true);
        }
    }

    /// <summary>Ends the in-place line (if one is drawn) so that an error printed next starts on a line of its own.</summary>
    public void Abandon()
    {
        lock (gate)
        {
            if (inPlace && drawnWidth > 0) output.WriteLine();
            drawnWidth = 0;
        }
    }

    private string Line(TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var parts = new List<string> { total > 0 ? $"{Count(done)} / {Count(total)} {unit} ({100.0 * done / total:0.0}%)" : $"{Count(done)} {unit}" };
        if (rate > 0) parts.Add($"{Count((long)rate)} {unit}/s");
        if (rate > 0 && total > done) parts.Add($"{Duration(TimeSpan.FromSeconds((total - done) / rate))} left");
        else if (done == 0) parts.Add($"{Duration(elapsed)} elapsed");
        return $"{label}: {string.Join(" · ", parts)}";
    }

    private void Show(string line, bool final)
    {
        if (inPlace)
        {
            output.Write("\r" + line.PadRight(drawnWidth));
            drawnWidth = final ? 0 : line.Length;
            if (final) output.WriteLine();
        }
        else output.WriteLine(line);
        output.Flush();
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}" : $"{span.Minutes}:{span.Seconds:00}";
}
