using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SkillsRegistry.Reliability.Processes;

/// <summary>
/// The service as a real child process (<c>dotnet SkillsRegistry.Api.dll</c>, copied next to this assembly by the project
/// reference) on a loopback port. Used by the reliability suite (crash, soak, two instances) and by the benchmarks.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private ServiceProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public int Id => process.Id;
    public bool HasExited => process.HasExited;

    public static string ApiAssembly => Path.Combine(AppContext.BaseDirectory, "SkillsRegistry.Api.dll");

    /// <summary>Settings for a database: SQLite uses the registry.db in <paramref name="dataDirectory"/>; PostgreSQL the connection string.</summary>
    public static Dictionary<string, string> Settings(string provider, string dataDirectory, string? connectionString) => new()
    {
        ["Database:Provider"] = provider,
        ["Database:DataDirectory"] = dataDirectory,
        ["Database:SeedDemoData"] = "false",
        ["ConnectionStrings:Registry"] = connectionString ?? "",
        ["RateLimiting:Public:PermitLimit"] = "1000000000",
        ["Registry:PublicBaseUrl"] = "https://registry.example.test", // Production refuses the localhost default
        ["RateLimiting:PerKey:Reads:TokenLimit"] = "1000000000",
        ["RateLimiting:PerKey:Writes:TokenLimit"] = "1000000000",
        ["RateLimiting:PerKey:BatchRows:TokenLimit"] = "1000000000",
        ["RateLimiting:PerKey:VerifiedItems:TokenLimit"] = "1000000000",
        ["Webhooks:AllowedPrivateHosts:0"] = "127.0.0.1",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? port = null, TimeSpan? readyWithin = null)
    {
        var chosen = port ?? FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(ApiAssembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{chosen}");
        foreach (var (key, value) in settings) info.ArgumentList.Add($"--{key}={value}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + ApiAssembly);
        var service = new ServiceProcess(process, chosen);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync(readyWithin ?? TimeSpan.FromSeconds(60));
        return service;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) { if (log.Length < 200_000) log.AppendLine(line); }
    }

    public string Log { get { lock (log) return log.ToString(); } }

    private async Task WaitUntilReadyAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The service exited with code {process.ExitCode} before it was ready:\n{Log}");
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service was not ready within {within.TotalSeconds} s:\n{Log}");
    }

    /// <summary>Resident set size in bytes (VmRSS of /proc/PID/status).</summary>
    public long ResidentBytes() => ResidentBytesOf(process.Id);

    public static long ResidentBytesOf(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return kb * 1024;
        }
        throw new InvalidOperationException($"No VmRSS for process {pid}");
    }

    /// <summary>kill -9: no shutdown, no flushing, no finally blocks.</summary>
    public void KillHard()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    /// <summary>kill -TERM: the host shuts down in order (hosted services stop) and the process exits.</summary>
    public async Task StopGracefullyAsync(TimeSpan within)
    {
        if (process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(within);
        await process.WaitForExitAsync(timeout.Token);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        KillHard();
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
