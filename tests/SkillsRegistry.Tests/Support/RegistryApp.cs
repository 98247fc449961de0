using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Tests.Support;

/// <summary>The service in-process over its own empty database (a fresh SQLite file, or a fresh PostgreSQL database).</summary>
public sealed class RegistryApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly ClockFlow? flow;
    private readonly bool ownsStorage;
    private readonly Action<IServiceCollection>? testServices;

    private RegistryApp(TestDatabase database, string dataDirectory, string? connectionString, IDictionary<string, string?>? extra, bool clockFlows, DateTimeOffset? clockStart,
        bool ownsStorage = true, Action<IServiceCollection>? testServices = null)
    {
        this.ownsStorage = ownsStorage;
        this.testServices = testServices;
        Clock = new FakeTimeProvider(clockStart ?? TestClock.Start());
        if (clockFlows) flow = new ClockFlow(Clock);
        Database = database;
        DataDirectory = dataDirectory;
        ConnectionString = connectionString;
        settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.ToString(),
            ["Database:DataDirectory"] = dataDirectory,
            ["Database:SeedDemoData"] = "false",
            ["ConnectionStrings:Registry"] = connectionString ?? "",
            ["RateLimiting:Public:PermitLimit"] = "100000",
            ["RateLimiting:PerKey:Reads:TokenLimit"] = "1000000",
            ["RateLimiting:PerKey:Writes:TokenLimit"] = "1000000",
            ["RateLimiting:PerKey:BatchRows:TokenLimit"] = "100000000",
            ["RateLimiting:PerKey:VerifiedItems:TokenLimit"] = "100000000",
            // Test receivers listen on loopback; nothing else is admitted.
            ["Webhooks:AllowedPrivateHosts:0"] = "127.0.0.1",
            ["Webhooks:AllowedPrivateHosts:1"] = "localhost",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
    }

    /// <summary>
    /// The service's clock: starts at <see cref="TestClock.Start"/> and stands still unless a test moves it
    /// (or the app was started with a flowing clock, for the webhook dispatcher's polling and retries).
    /// </summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The registry's calendar day (Tehran) on the app's clock.</summary>
    public DateOnly Today => RegistryCalendar.Today(Clock);

    public TestDatabase Database { get; }
    public string DataDirectory { get; }
    public string? ConnectionString { get; }

    /// <summary>Starts on a real Kestrel listener at 127.0.0.1 (for browsers and other processes); Registry:PublicBaseUrl points at it.</summary>
    public static async Task<RegistryApp> StartOnLoopbackAsync(TestDatabase database, IDictionary<string, string?>? settings = null, bool clockFlows = false)
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Registry:PublicBaseUrl"] = $"http://127.0.0.1:{port}" };
        return await StartAsync(database, all, port, clockFlows);
    }

    /// <param name="testServices">Replaces or adds services after the service's own (e.g. an in-memory trace exporter).</param>
    public static async Task<RegistryApp> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, int? kestrelPort = null, bool clockFlows = false,
        DateTimeOffset? clockStart = null, Action<IServiceCollection>? testServices = null)
    {
        var connectionString = database == TestDatabase.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        return await RunAsync(new RegistryApp(database, NewDataDirectory(), connectionString, settings, clockFlows, clockStart, testServices: testServices), kestrelPort);
    }

    /// <summary>An instance on a PostgreSQL database made with <see cref="PostgresServer.CreateDatabaseAsync"/>, which it drops on dispose.</summary>
    public static Task<RegistryApp> StartOnPostgresAsync(string connectionString, IDictionary<string, string?>? settings = null) =>
        RunAsync(new RegistryApp(TestDatabase.Postgres, NewDataDirectory(), connectionString, settings, false, null), null);

    /// <summary>
    /// A second instance of the service beside <paramref name="first"/>: the same database and data directory (keys), on its
    /// own settings; both stay when it is disposed.
    /// </summary>
    public static Task<RegistryApp> StartBesideAsync(RegistryApp first, IDictionary<string, string?>? settings = null) =>
        RunAsync(new RegistryApp(first.Database, first.DataDirectory, first.ConnectionString, settings, false, null, ownsStorage: false), null);

    private static string NewDataDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "skillsregistry-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static async Task<RegistryApp> RunAsync(RegistryApp app, int? kestrelPort)
    {
        try
        {
            if (kestrelPort is { } port)
            {
                app.UseKestrel(port);
                app.StartServer();
            }
            else _ = app.Server; // start now: migrations run here, not inside the first test's timing
        }
        catch
        {
            await app.DisposeAsync(); // a service that refuses to start still leaves no database behind
            throw;
        }
        return app;
    }

    /// <summary>A setting that runs the service in another environment than "Testing" (e.g. Development, Production).</summary>
    public const string EnvironmentSetting = "environment";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var environment = settings.GetValueOrDefault(EnvironmentSetting) ?? "Testing";
        builder.UseEnvironment(environment);
        // Outside Development and Testing the service refuses the localhost default public address, as a real deployment would.
        if (environment is not ("Testing" or "Development") && !settings.ContainsKey("Registry:PublicBaseUrl"))
            builder.UseSetting("Registry:PublicBaseUrl", "https://registry.example.test");
        foreach (var (key, value) in settings.Where(s => s.Key != EnvironmentSetting)) builder.UseSetting(key, value);
        // As in Development: a scoped service resolved from the root provider fails here, not only on a developer's machine.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.Replace(ServiceDescriptor.Singleton<WebhookHostResolver, OfflineHostResolver>());
            services.AddSingleton<IStartupFilter>(new ClientAddressFilter(unnamed: null));
            testServices?.Invoke(services);
        });
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public Db Db => Service<Db>();

    public async Task<string> CreateKeyAsync(ApiKeyRole role, Guid? centerId = null, Guid? partnerId = null, string name = "test")
    {
        var created = (await Service<ApiKeyRepository>().CreateAsync(new NewApiKey(name, role, centerId, partnerId, null), Caller.System, default)).Value;
        return created.Key;
    }

    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async Task<HttpClient> AdminClientAsync() => ClientWithKey(await CreateKeyAsync(ApiKeyRole.Admin, name: "test-admin"));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        flow?.Dispose();
        if (!ownsStorage) return;
        if (ConnectionString is not null) await PostgresServer.DropDatabaseAsync(ConnectionString);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// In-process requests have no client address; a test that needs one (per-address limits, a viewer's network, who may scrape
/// /metrics) names it in <see cref="Header"/>. A request that names none comes from <c>unnamed</c> (no address by default).
/// Applied before the service's own pipeline, as the connection's address would be.
/// </summary>
public sealed class ClientAddressFilter(System.Net.IPAddress? unnamed) : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    /// <summary>Requests that name no address come from <paramref name="address"/> (e.g. loopback, as a scraper on the host).</summary>
    public static void UnnamedFrom(IServiceCollection services, System.Net.IPAddress address)
    {
        foreach (var named in services.Where(d => d.ImplementationInstance is ClientAddressFilter).ToList()) services.Remove(named);
        services.AddSingleton<IStartupFilter>(new ClientAddressFilter(address));
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (System.Net.IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address)) context.Connection.RemoteIpAddress = address;
            else if (unnamed is not null) context.Connection.RemoteIpAddress = unnamed;
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>Tests never ask a DNS server: "localhost" is loopback and no other name resolves.</summary>
public sealed class OfflineHostResolver : WebhookHostResolver
{
    public override Task<System.Net.IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        Task.FromResult(string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? new[] { System.Net.IPAddress.Loopback, System.Net.IPAddress.IPv6Loopback }
            : []);
}

/// <summary>One app per database per test class, started on first use.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    private readonly Dictionary<TestDatabase, Task<RegistryApp>> apps = [];
    private readonly Lock gate = new();

    public Task<RegistryApp> For(TestDatabase database)
    {
        lock (gate)
        {
            if (!apps.TryGetValue(database, out var app)) apps[database] = app = RegistryApp.StartAsync(database);
            return app;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in apps.Values)
        {
            if (app.IsCompletedSuccessfully) await (await app).DisposeAsync();
        }
    }
}
