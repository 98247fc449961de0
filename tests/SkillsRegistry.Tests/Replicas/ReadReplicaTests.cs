using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Replicas;

/// <summary>These tests pause the shared standby's replay: none may run beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StandbyCollection
{
    public const string Name = "Standby";
}

/// <summary>
/// Reads that tolerate a lag go to a real streaming standby (tests/replica/start-standby.sh), yet a verification never shows
/// a change as not made: the standby is paused to make it lag as far as a test wants.
/// </summary>
[Collection(StandbyCollection.Name)]
public sealed class ReadReplicaTests
{
    private const string ReadOnly = "ConnectionStrings:RegistryReadOnly";

    private static async Task<JsonElement> VerifyAsync(HttpClient client, string number) =>
        await (await client.GetAsync($"/api/v1/verify/{Uri.EscapeDataString(number)}?familyName=Karimi")).ReadJsonAsync();

    private static async Task<string?> StatusAsync(HttpClient client, string number) =>
        (await VerifyAsync(client, number)).GetProperty("status").GetString();

    private static Task RevokeAsync(HttpClient admin, IssuedTestCertificate certificate) =>
        admin.PostAsJsonAsync($"/api/v1/certificates/{certificate.CertificateId}/revoke", new { reasonCode = "fraud", reason = "forged" })
            .ContinueWith(t => t.Result.EnsureSuccessStatusCode());

    [OnStandby]
    public async Task A_revoked_certificate_is_never_verified_as_valid_through_any_instance_while_the_standby_lags()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var replica = new Dictionary<string, string?> { [ReadOnly] = Standby.For(database) };
        await using var a = await RegistryApp.StartOnPostgresAsync(database, replica);
        // B keeps no cache: every verification there reads the database.
        await using var b = await RegistryApp.StartBesideAsync(a, new Dictionary<string, string?>(replica) { ["Verification:CacheEntries"] = "0" });
        var world = await a.CreateWorldAsync();
        var admin = await a.AdminClientAsync();
        var (viaA, viaB) = (a.CreateClient(), b.CreateClient());
        var certificates = new List<IssuedTestCertificate>();
        for (var i = 0; i < 5; i++) certificates.Add(await a.IssueCertificateAsync(world));
        foreach (var certificate in certificates)
        {
            Assert.Equal("valid", await StatusAsync(viaA, certificate.Number));
            Assert.Equal("valid", await StatusAsync(viaB, certificate.Number));
        }
        await Standby.CaughtUpAsync();

        await using (await Standby.PauseAsync())
        {
            foreach (var certificate in certificates)
            {
                await RevokeAsync(admin, certificate);
                var answers = await Task.WhenAll(StatusAsync(viaA, certificate.Number), StatusAsync(viaB, certificate.Number));
                Assert.Equal(new[] { "revoked", "revoked" }, answers);
            }
            // The standby still holds every one of them as valid: the answers above came from the primary.
            Assert.Equal(certificates.Count, await Standby.QueryAsync<long>(database,
                "SELECT COUNT(*) FROM certificates WHERE status = 'valid' AND number = ANY(@numbers)", ("numbers", certificates.Select(c => c.Number).ToArray())));
        }
        await Standby.CaughtUpAsync();
        foreach (var certificate in certificates) Assert.Equal("revoked", await StatusAsync(viaB, certificate.Number));
    }

    [OnStandby]
    public async Task Lag_tolerant_reads_are_served_by_the_standby()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        // The multi-host form, primary listed first: prefer-standby must still pick the standby.
        await using var app = await RegistryApp.StartOnPostgresAsync(database,
            new Dictionary<string, string?> { [ReadOnly] = Standby.MultiHostFor(database), ["Verification:CacheEntries"] = "0" });
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var anonymous = app.CreateClient();
        var first = await app.IssueCertificateAsync(world);
        var holderBefore = (await VerifyAsync(anonymous, first.Number)).GetProperty("holder").GetProperty("nameFa").GetString();
        await Standby.CaughtUpAsync();
        // Once the standby has replayed what this instance heard of, the read path is on it (and writes' reads are not).
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while (!await app.Db.ReadReplicaAsync(s => s.ExecuteScalarAsync<bool>("SELECT pg_is_in_recovery()"), limit.Token))
                await Task.Delay(20, limit.Token);
        Assert.False(await app.Db.ReadAsync(s => s.ExecuteScalarAsync<bool>("SELECT pg_is_in_recovery()")));
        var before = await ReadsAsync(admin);

        await using (await Standby.PauseAsync())
        {
            // Written on the primary only now, by paths that drop nothing cached (new rows), and a change made behind the
            // service's back (no notification): what the lag-tolerant reads return shows where they were read.
            var later = await app.IssueCertificateAsync(await app.CreateWorldAsync());
            await using (var primary = new NpgsqlConnection(database))
            {
                await primary.OpenAsync();
                await using var quiet = new NpgsqlCommand(
                    "SET session_replication_role = replica; UPDATE certificates SET holder_given_name_fa = 'نام‌تازه' WHERE number = @number", primary);
                quiet.Parameters.AddWithValue("number", first.Number);
                await quiet.ExecuteNonQueryAsync();
            }
            Assert.Equal(before, await ReadsAsync(admin));
            Assert.Equal(holderBefore, (await VerifyAsync(anonymous, first.Number)).GetProperty("holder").GetProperty("nameFa").GetString());
            // A number the standby does not have yet is confirmed on the primary, never answered "not found".
            Assert.Equal("valid", await StatusAsync(anonymous, later.Number));
            // A change the service hears of moves verification to the primary at once.
            await RevokeAsync(admin, first);
            Assert.Equal("revoked", await StatusAsync(anonymous, first.Number));
            Assert.Equal("valid", await Standby.QueryAsync<string>(database, "SELECT status FROM certificates WHERE number = @number", ("number", first.Number)));
        }
        await Standby.CaughtUpAsync();
        Assert.NotEqual(holderBefore, (await VerifyAsync(anonymous, first.Number)).GetProperty("holder").GetProperty("nameFa").GetString());
        Assert.NotEqual(before, await ReadsAsync(admin));
    }

    /// <summary>What statistics, certificate search, the exports and the open-data page read, as one comparable text.</summary>
    private static async Task<string> ReadsAsync(HttpClient admin)
    {
        var statistics = await (await admin.GetAsync("/api/v1/statistics/certificates?groupBy=province")).ReadJsonAsync();
        var certificates = statistics.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("certificates").GetInt32());
        var search = (await (await admin.GetAsync("/api/v1/certificates?pageSize=1")).ReadJsonAsync()).GetProperty("total").GetInt64();
        var centers = await (await admin.GetAsync("/api/v1/centers/export.csv")).Content.ReadAsStringAsync();
        var standards = await (await admin.GetAsync("/api/v1/standards/export.csv")).Content.ReadAsStringAsync();
        return $"statistics {certificates}; search {search}\n{centers}\n{standards}";
    }

    [Theory, OnPostgres]
    public async Task Verification_answers_from_the_primary_while_the_replica_is_unreachable(TestDatabase db)
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var nowhere = new NpgsqlConnectionStringBuilder(PostgresServer.AdminConnectionString) { Host = "127.0.0.1", Port = port }.ConnectionString;
        await using var app = await RegistryApp.StartAsync(db, new Dictionary<string, string?> { [ReadOnly] = nowhere, ["Verification:CacheEntries"] = "0" });
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var anonymous = app.CreateClient();
        var certificate = await app.IssueCertificateAsync(world);

        Assert.Equal("valid", await StatusAsync(anonymous, certificate.Number));
        await RevokeAsync(admin, certificate);
        Assert.Equal("revoked", await StatusAsync(anonymous, certificate.Number));
        Assert.Contains("statistics 1; search 1", await ReadsAsync(admin));
    }

    [Theory, OnSqlite]
    public async Task A_read_replica_on_SQLite_stops_startup_naming_the_setting(TestDatabase db)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => RegistryApp.StartAsync(db,
            new Dictionary<string, string?> { [ReadOnly] = "Host=127.0.0.1;Database=registry" }));
        Assert.Contains(ReadOnly, refused.Message);
    }
}
