using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SkillsRegistry.Bench;

public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, double BytesPerResponse, long NonSuccess, long SocketErrors);

/// <summary>Runs wrk with verify.lua and reads its summary (req/s, latency percentiles, bytes, non-2xx, socket errors).</summary>
public static partial class Wrk
{
    /// <summary><paramref name="workload"/>: verify.lua's mode after the numbers file, e.g. ["zipf", "1.1"]; uniform when empty.</summary>
    public static async Task<WrkResult> RunAsync(Uri baseAddress, string pathPrefix, string numbersFile, int threads, int connections, TimeSpan duration,
        params string[] workload)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     $"-t{threads}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency",
                     "-s", Path.Combine(AppContext.BaseDirectory, "verify.lua"), baseAddress.ToString().TrimEnd('/'), "--", pathPrefix, numbersFile,
                 }.Concat(workload))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}\n{output}");
        return Parse(output);
    }

    public static WrkResult Parse(string output)
    {
        var rps = double.Parse(RequestsPerSec().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var total = RequestsRead().Match(output);
        var requests = long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture);
        var bytes = Size(total.Groups[2].Value, total.Groups[3].Value);
        var nonSuccess = NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(output) is { Success: true } se
            ? Enumerable.Range(1, 4).Sum(i => long.Parse(se.Groups[i].Value, CultureInfo.InvariantCulture)) : 0;
        return new WrkResult(rps, Percentile(output, "50"), Percentile(output, "99"), requests, requests == 0 ? 0 : bytes / requests, nonSuccess, socket);
    }

    private static double Percentile(string output, string p)
    {
        var m = Regex.Match(output, $@"^\s+{p}%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
        if (!m.Success) return double.NaN;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, _ => value * 60_000 };
    }

    private static double Size(string value, string unit) =>
        double.Parse(value, CultureInfo.InvariantCulture) * unit switch { "KB" => 1024, "MB" => 1024 * 1024, "GB" => 1024d * 1024 * 1024, _ => 1 };

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex RequestsPerSec();
    [GeneratedRegex(@"(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read")] private static partial Regex RequestsRead();
    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")] private static partial Regex NonSuccess();
    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")] private static partial Regex SocketErrors();
}
