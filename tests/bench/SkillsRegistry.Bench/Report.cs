using System.Globalization;
using System.Text;

namespace SkillsRegistry.Bench;

/// <summary>Prints one Markdown table per result, headed by date, machine and database, so runs can be pasted into RESULTS.md.</summary>
public static class Report
{
    public static string Machine()
    {
        var memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024d / 1024d : double.NaN;
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores ({cpu}), {memory:0.0} GiB memory, load average {load}, .NET {Environment.Version}");
    }

    public static void Table(string title, string database, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows, string? note = null)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"### {title}");
        text.AppendLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {Machine()} · {database}");
        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", columns) + " |");
        text.AppendLine("|" + string.Concat(columns.Select(_ => " --- |")));
        foreach (var row in rows) text.AppendLine("| " + string.Join(" | ", row) + " |");
        if (note is not null) text.AppendLine().AppendLine(note);
        Console.Write(text.ToString());
    }

    public static string N(double value, string format = "#,0") => value.ToString(format, CultureInfo.InvariantCulture);
    public static string Ms(double value) => double.IsNaN(value) ? "?" : value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
    public static string Ratio(double value, double baseline) => baseline <= 0 ? "?" : (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "×";
    public static string OnDisk(long bytes, int certificates) =>
        $"database on disk afterwards {Mib(bytes)} ({Mib(bytes * 1_000_000 / Math.Max(1, certificates))} per million certificates)";

    public static string Mib(long? bytes) => bytes is { } b ? (b / 1024d / 1024d).ToString("0", CultureInfo.InvariantCulture) + " MiB" : "—";
}
