using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using SkillsRegistry.Reliability.Processes;

namespace SkillsRegistry.Bench;

/// <summary>
/// <see cref="CeilingHost"/> as a child process on a loopback port: this benchmark's own assembly started with
/// <c>host</c>, with the service's settings and the service's garbage collector (server GC, as the web SDK configures the
/// service). Ready when the ceiling answers, i.e. the service is up and the sample answer was read.
/// </summary>
public sealed class CeilingHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly Stopwatch sinceStart;
    private readonly TaskCompletionSource<TimeSpan> cacheLoaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CeilingHostProcess(Process process, int port, Stopwatch sinceStart)
    {
        this.process = process;
        this.sinceStart = sinceStart;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    /// <summary>How long the host took from process start to answering (migrations checked, startup steps run).</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>What the host wrote to stdout and stderr so far.</summary>
    public string Log { get { lock (log) return log.ToString(); } }

    public static async Task<CeilingHostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string sampleNumber)
    {
        var port = ServiceProcess.FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SkillsRegistry.Bench.dll"));
        info.ArgumentList.Add(CeilingHost.Command);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        info.ArgumentList.Add($"--{CeilingHost.SampleNumberSetting}={sampleNumber}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var started = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the benchmark host");
        var host = new CeilingHostProcess(process, port, started);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitUntilReadyAsync(CeilingHost.RoutePrefix + sampleNumber, TimeSpan.FromMinutes(10));
        host.StartedIn = started.Elapsed;
        return host;
    }

    /// <summary>
    /// When the service's own first load of the verification cache (VerificationCacheWarmer, logged at Information) was
    /// done, from the process's start. Measuring before it would measure that load's CPU and garbage beside the requests.
    /// </summary>
    public async Task<TimeSpan> CacheLoadedAsync(TimeSpan within) => await cacheLoaded.Task.WaitAsync(within);

    private void Append(string? line)
    {
        if (line is null) return;
        if (line.Contains("Verification cache loaded", StringComparison.Ordinal)) cacheLoaded.TrySetResult(sinceStart.Elapsed);
        lock (log) { if (log.Length < 200_000) log.AppendLine(line); }
    }

    private async Task WaitUntilReadyAsync(string path, TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            if (process.HasExited)
            {
                lock (log) throw new InvalidOperationException($"The benchmark host exited with code {process.ExitCode} before it was ready:\n{log}");
            }
            try
            {
                if ((await client.GetAsync(path)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The benchmark host was not ready within {within.TotalMinutes} min.");
    }

    /// <summary>The host's garbage collections so far and their total pause.</summary>
    public async Task<GcFigures> GcAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        return await client.GetFromJsonAsync<GcFigures>(CeilingHost.GcRoute) ?? throw new InvalidOperationException("The host answered no GC figures.");
    }

    /// <summary>Resident set size in bytes.</summary>
    public long ResidentBytes() => ServiceProcess.ResidentBytesOf(process.Id);

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
