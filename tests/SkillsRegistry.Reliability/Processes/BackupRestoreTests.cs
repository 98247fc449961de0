using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Tests.Support;
using Xunit.Abstractions;

namespace SkillsRegistry.Reliability.Processes;

/// <summary>
/// A backup taken while a service ingests, restored into an empty directory: the service started on it verifies every
/// certificate that existed when the backup began (with its QR token), its audit chain is intact, and it holds one moment
/// of the registry — whole batches only, no certificate without its assessment — between the counts before and after.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private const int BatchSize = 200;
    private const string Passphrase = "correct horse battery staple";

    private sealed record IssuedCertificate(string Number, string Token);

    private const string SelectCertificates = "SELECT number AS Number, token AS Token FROM certificates";
    private const string SelectOrphanCertificates =
        "SELECT COUNT(*) FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM assessments a WHERE a.id = c.assessment_id)";
    private const string SelectPartialBatches =
        "SELECT COUNT(*) FROM (SELECT batch_id FROM assessments WHERE center_id = @c GROUP BY batch_id HAVING COUNT(*) <> @size) p";

    [ReliabilityTheory, OnSqlite]
    public async Task A_backup_taken_during_ingest_restores_to_a_registry_that_verifies_every_certificate_it_held(TestDatabase database)
    {
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        var adminKey = await app.CreateKeyAsync(ApiKeyRole.Admin, name: "ops");
        var settings = ServiceProcess.Settings(ReliabilitySettings.ProviderOf(database), app.DataDirectory, app.ConnectionString);
        await using var service = await ServiceProcess.StartAsync(settings);
        using var center = Client(service, world.CenterKey);
        var batch = 0;
        for (; batch < 3; batch++) await RegistryChecks.PostBatchAsync(center, NextBatch(world, batch), $"before-{batch}");

        var before = await RegistryChecks.CountsAsync(app.Db);
        var heldAtStart = (await app.Db.ReadAsync(s => s.QueryAsync<IssuedCertificate>(SelectCertificates))).ToList();
        using var stop = new CancellationTokenSource();
        var firstDuringBackup = new TaskCompletionSource();
        var ingest = Task.Run(async () =>
        {
            var submitted = 0;
            while (!stop.IsCancellationRequested)
            {
                var b = Interlocked.Increment(ref batch);
                await RegistryChecks.PostBatchAsync(center, NextBatch(world, b), $"during-{b}");
                submitted++;
                firstDuringBackup.TrySetResult();
            }
            return submitted;
        });
        await firstDuringBackup.Task; // ingest is under way: batches keep arriving while the backup runs
        var directory = Directory.CreateTempSubdirectory("backup-during-ingest-").FullName;
        try
        {
            var archive = Path.Combine(directory, "registry.srb");
            var backup = await AdminVerb.RunAsync(["backup", "--to", archive, "--passphrase-env", "BACKUP_PASSPHRASE",
                .. AdminVerb.DatabaseSwitches(database, app.DataDirectory, app.ConnectionString)], PassphraseEnvironment);
            stop.Cancel();
            var duringIngest = await ingest;
            var after = await RegistryChecks.CountsAsync(app.Db);
            output.WriteLine($"backup:\n{backup}\n{duringIngest} batches submitted while it ran");
            Assert.True(backup.ExitCode == 0, backup.ToString());

            var restored = Path.Combine(directory, "restored");
            var restore = await AdminVerb.RunAsync(["restore", "--from", archive, "--passphrase-env", "BACKUP_PASSPHRASE",
                .. AdminVerb.DatabaseSwitches(database, restored, null)], PassphraseEnvironment);
            Assert.True(restore.ExitCode == 0, restore.ToString());

            await using var restoredService = await ServiceProcess.StartAsync(ServiceProcess.Settings("Sqlite", restored, null));
            await using var restoredDb = new Db(new DatabaseOptions { DataDirectory = restored }, TimeProvider.System, NullLogger<Db>.Instance);
            var counts = await RegistryChecks.CountsAsync(restoredDb);
            output.WriteLine($"before {before}\nrestored {counts}\nafter {after}");
            foreach (var (measure, low, got, high) in new[]
                     {
                         ("trainees", before.Trainees, counts.Trainees, after.Trainees),
                         ("assessments", before.Assessments, counts.Assessments, after.Assessments),
                         ("certificates", before.Certificates, counts.Certificates, after.Certificates),
                     })
                Assert.True(low <= got && got <= high, $"{measure}: {got} restored, {low} before the backup, {high} after it");
            Assert.Equal(0, await RegistryChecks.ScalarAsync(restoredDb, SelectOrphanCertificates));
            Assert.Equal(0, await RegistryChecks.ScalarAsync(restoredDb, SelectPartialBatches, new { c = world.CenterId, size = BatchSize }));

            using var anonymous = Client(restoredService, null);
            foreach (var certificate in heldAtStart)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/verify/{certificate.Number}");
                request.Headers.Add(VerificationEndpoints.TokenHeader, certificate.Token);
                var answer = await (await anonymous.SendAsync(request)).ReadJsonAsync();
                Assert.True(answer.GetProperty("verdict").GetString() == "genuine", $"{certificate.Number}: {answer}");
            }
            using var admin = Client(restoredService, adminKey);
            await RegistryChecks.AssertAuditChainIntactAsync(admin);
        }
        finally
        {
            stop.Cancel();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The PostgreSQL way the backup verb points to: pg_dump -Fc of a registry with data, pg_restore into a new database,
    /// the key material copied beside it; a service on the restored database verifies a certificate with its QR token.
    /// </summary>
    [ReliabilityTheory, OnPostgres]
    public async Task A_pg_dump_restored_with_pg_restore_and_the_kept_keys_verifies_certificates(TestDatabase database)
    {
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        var adminKey = await app.CreateKeyAsync(ApiKeyRole.Admin, name: "ops");
        var issued = await app.IssueCertificateAsync(world);
        var token = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT token FROM certificates WHERE id = @id", new { id = issued.CertificateId }));
        var directory = Directory.CreateTempSubdirectory("pg-dump-").FullName;
        var restoredDatabase = await PostgresServer.CreateDatabaseAsync();
        try
        {
            var dump = Path.Combine(directory, "registry.dump");
            await PgToolAsync("pg_dump", app.ConnectionString!, "--format=custom", "--file", dump);
            await PgToolAsync("pg_restore", restoredDatabase, "--no-owner", "--exit-on-error", dump);
            var keys = Path.Combine(directory, "data");
            foreach (var folder in new[] { "field-keys", "signing" })
            {
                Directory.CreateDirectory(Path.Combine(keys, folder));
                foreach (var file in Directory.GetFiles(Path.Combine(app.DataDirectory, folder)))
                    File.Copy(file, Path.Combine(keys, folder, Path.GetFileName(file)));
            }

            await using var service = await ServiceProcess.StartAsync(ServiceProcess.Settings("Postgres", keys, restoredDatabase));
            using var anonymous = Client(service, null);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/verify/{issued.Number}");
            request.Headers.Add(VerificationEndpoints.TokenHeader, token);
            var answer = await (await anonymous.SendAsync(request)).ReadJsonAsync();
            Assert.Equal("genuine", answer.GetProperty("verdict").GetString());
            using var admin = Client(service, adminKey);
            await RegistryChecks.AssertAuditChainIntactAsync(admin);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(restoredDatabase);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly Dictionary<string, string> PassphraseEnvironment = new() { ["BACKUP_PASSPHRASE"] = Passphrase };

    private static IEnumerable<object> NextBatch(RegistryWorld world, int batch) =>
        RegistryChecks.Rows("BACKUP", BatchSize, batch * BatchSize, world: world).Select(r => r.Row);

    private static HttpClient Client(ServiceProcess service, string? key)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    private static async Task PgToolAsync(string tool, string connectionString, params string[] arguments)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { $"--host={c.Host}", $"--port={c.Port}", $"--username={c.Username}", $"--dbname={c.Database}" }.Concat(arguments))
            start.ArgumentList.Add(a);
        start.Environment["PGPASSWORD"] = c.Password;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await stderr}");
    }
}
