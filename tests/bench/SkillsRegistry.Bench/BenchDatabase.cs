using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using SkillsRegistry.Api;
using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Bench;

/// <summary>
/// A fresh database for one measurement: migrated by the app's own startup code (built in this process), then filled
/// through the app's <see cref="Db"/> with parameterized SQL. Disposed before the service process opens it.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string StandardCode = "BENCH01";

    /// <summary>The registered assessor every ingested row names: staff of the bench center, qualified to assess the standard.</summary>
    public const string AssessorCode = "PR-BENCH";
    public static readonly DateOnly ExamDate = new(2025, 6, 1);

    private readonly WebApplication host;

    private BenchDatabase(string provider, string dataDirectory, string? connectionString, WebApplication host)
    {
        Provider = provider;
        DataDirectory = dataDirectory;
        ConnectionString = connectionString;
        this.host = host;
    }

    public string Provider { get; }
    public string DataDirectory { get; }
    public string? ConnectionString { get; }
    public Db Db => host.Services.GetRequiredService<Db>();

    /// <summary>One of the app's services in this process (over the same database), e.g. its <c>StatisticsRollup</c>.</summary>
    public T Service<T>() where T : notnull => host.Services.GetRequiredService<T>();
    public Guid CenterId { get; private set; }
    public Guid StandardId { get; private set; }

    public static string? PostgresAdmin =>
        Environment.GetEnvironmentVariable("SKILLSREGISTRY_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static async Task<BenchDatabase> CreateAsync(string provider)
    {
        var directory = Path.Combine(Path.GetTempPath(), "skillsregistry-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string? connectionString = null;
        if (provider == "Postgres")
        {
            var admin = PostgresAdmin ?? throw new InvalidOperationException("SKILLSREGISTRY_TEST_POSTGRES is not set.");
            var name = "sr_bench_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await command.ExecuteNonQueryAsync();
            }
            connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 40 }.ConnectionString;
        }
        var settings = Settings(provider, directory, connectionString);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.AddSkillsRegistry();
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseStartup>().StartAsync(CancellationToken.None);
        var database = new BenchDatabase(provider, directory, connectionString, host);
        DirectRows.ProtectIdentifiersWith(database.Db, host.Services.GetRequiredService<TraineeRepository>());
        await database.CreateWorldAsync();
        return database;
    }

    public static Dictionary<string, string> Settings(string provider, string dataDirectory, string? connectionString) =>
        SkillsRegistry.Reliability.Processes.ServiceProcess.Settings(provider, dataDirectory, connectionString);

    public Dictionary<string, string> ServiceSettings() => Settings(Provider, DataDirectory, ConnectionString);

    public async Task<string> ServerVersionAsync() =>
        Provider + " " + await Db.ReadAsync(s => s.ExecuteScalarAsync<string>(Provider == "Postgres" ? "SHOW server_version" : "SELECT sqlite_version()"));

    private const string InsertStandard = """
        INSERT INTO standards (id, code, version, status, isco_code, sector_code, title_fa, title_en, theory_hours, practical_hours,
                               theory_pass_mark, practical_pass_mark, validity_months, effective_from, effective_to, search_text, created_at, updated_at)
        VALUES (@id, @code, 1, 'active', '7318', 'handicrafts', 'بافنده فرش دستباف', 'Hand-woven carpet weaver', 60, 140,
                50, 60, 36, @from, NULL, @search, @now, @now)
        """;
    private const string InsertCenter = """
        INSERT INTO training_centers (id, code, kind, name_fa, name_en, province_code, country, city, search_text, created_at, updated_at)
        VALUES (@id, 'TC-BENCH', 'public', 'مرکز آزمایشی', 'Benchmark center', 'IR-10', 'IR', 'Ahvaz', @search, @now, @now)
        """;
    private const string InsertLicence = "INSERT INTO center_licences (id, center_id, number, valid_from, valid_to, created_at) VALUES (@id, @centerId, 'L-BENCH', @from, NULL, @now)";
    private const string InsertLicenceStatus = "INSERT INTO licence_status_changes (id, licence_id, status, effective_from, recorded_at) VALUES (@id, @licenceId, 'active', @from, @now)";
    private const string InsertScope = "INSERT INTO center_scopes (id, center_id, standard_code, valid_from, valid_to, created_at) VALUES (@id, @centerId, @code, @from, NULL, @now)";

    private const string InsertAssessorPerson = """
        INSERT INTO trainees (id, national_id_hash, national_id_enc, given_name_fa, family_name_fa, given_name_latin, family_name_latin, birth_date,
                              gender, search_text, created_at, updated_at)
        VALUES (@id, @hash, @enc, 'حمید', 'یزدانی', 'Hamid', 'Yazdani', @birth, 'male', 'hamid yazdani', @now, @now)
        """;
    private const string InsertAssessor = """
        INSERT INTO practitioners (id, code, person_id, home_center_id, created_at, updated_at) VALUES (@id, @code, @personId, @centerId, @now, @now)
        """;
    private const string InsertAssessorQualification = """
        INSERT INTO practitioner_qualifications (id, practitioner_id, standard_code, kind, source, reason, valid_from, created_at)
        VALUES (@id, @practitionerId, @code, 'assessor', 'admin-decision', 'Benchmark assessor', @from, @now)
        """;

    /// <summary>
    /// One active standard, one licensed center with it in scope and the center's registered assessor for it (like the test
    /// suite's RegistryWorld).
    /// </summary>
    private async Task CreateWorldAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var from = new DateOnly(2024, 1, 1);
        StandardId = Guid.CreateVersion7();
        CenterId = Guid.CreateVersion7();
        var licenceId = Guid.CreateVersion7();
        await Db.WriteAsync(async s =>
        {
            await s.ExecuteAsync(InsertStandard, new { id = StandardId, code = StandardCode, from, now,
                search = PersianText.SearchText(StandardCode, "بافنده فرش دستباف", "Hand-woven carpet weaver") });
            await s.ExecuteAsync(InsertCenter, new { id = CenterId, now, search = PersianText.SearchText("TC-BENCH", "مرکز آزمایشی", "Benchmark center") });
            await s.ExecuteAsync(InsertLicence, new { id = licenceId, centerId = CenterId, from, now });
            await s.ExecuteAsync(InsertLicenceStatus, new { id = Guid.CreateVersion7(), licenceId, from, now });
            await s.ExecuteAsync(InsertScope, new { id = Guid.CreateVersion7(), centerId = CenterId, code = StandardCode, from, now });
            var (personId, practitionerId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
            // Stored as the service stores people (encrypted, keyed hash): otherwise its start would re-protect the row.
            var (hash, enc, _, _) = host.Services.GetRequiredService<TraineeRepository>().Protect(new TraineeIdentity("0084575948", null, null));
            await s.ExecuteAsync(InsertAssessorPerson, new { id = personId, hash, enc, birth = new DateOnly(1979, 8, 2), now });
            await s.ExecuteAsync(InsertAssessor, new { id = practitionerId, code = AssessorCode, personId, centerId = CenterId, now });
            await s.ExecuteAsync(InsertAssessorQualification, new { id = Guid.CreateVersion7(), practitionerId, code = StandardCode, from, now });
        });
    }

    public async Task<string> CreateCenterKeyAsync() =>
        (await host.Services.GetRequiredService<ApiKeyRepository>()
            .CreateAsync(new NewApiKey("bench", ApiKeyRole.Center, CenterId, null, null), Caller.System, CancellationToken.None)).Value.Key;

    public async Task<string> CreateVerifierKeyAsync() =>
        (await host.Services.GetRequiredService<ApiKeyRepository>()
            .CreateAsync(new NewApiKey("bench-verifier", ApiKeyRole.Verifier, null, null, null), Caller.System, CancellationToken.None)).Value.Key;

    public async Task<string> CreateAdminKeyAsync() =>
        (await host.Services.GetRequiredService<ApiKeyRepository>()
            .CreateAsync(new NewApiKey("bench-admin", ApiKeyRole.Admin, null, null, null), Caller.System, CancellationToken.None)).Value.Key;

    /// <summary>A valid national ID made from a sequence number (unique per number below 10⁹).</summary>
    public static string NationalIdFor(long sequence)
    {
        var first = (100_000_000 + sequence % 900_000_000).ToString("000000000", System.Globalization.CultureInfo.InvariantCulture);
        return first + NationalId.CheckDigit(first);
    }

    public static string CertificateNumberFor(long sequence) =>
        CertificateNumber.Format(RegistryCalendar.SolarHijriYear(RegistryCalendar.Today(TimeProvider.System)), "10", sequence);

    /// <summary>verify.lua's numbers argument for <see cref="CertificateNumberFor"/> 1 … <paramref name="count"/>, made per request, newest first.</summary>
    public static string SerialsSpec(int count) =>
        $"serials:{RegistryCalendar.SolarHijriYear(RegistryCalendar.Today(TimeProvider.System))}:10:{count}";

    /// <summary>Bytes the database takes on disk: PostgreSQL's database size, or SQLite's file with its journal.</summary>
    public async Task<long> SizeOnDiskAsync()
    {
        if (Provider == "Postgres") return await Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())"));
        return Directory.EnumerateFiles(DataDirectory, "*.db*").Sum(f => new FileInfo(f).Length);
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        if (ConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresAdmin);
            await connection.OpenAsync();
            var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Closes this process's connections so the service is the only user of the database.</summary>
    public async Task ReleaseConnectionsAsync()
    {
        await Task.Yield();
        NpgsqlConnection.ClearAllPools();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
