using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.TraineesTestData;

namespace SkillsRegistry.Tests.Trainees;

/// <summary>Encryption at rest, read auditing and identity corrections.</summary>
public sealed class DataProtectionTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_copy_of_the_database_reveals_no_national_id_passport_number_or_webhook_secret(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var nationalIds = new[] { NewNationalId(), NewNationalId() };
        var passport = NewPassportNumber();
        await (await admin.PostTraineeAsync(Body(nationalId: nationalIds[0]))).ReadJsonAsync(HttpStatusCode.Created);
        await (await center.PostTraineeAsync(Body(nationalId: nationalIds[1]))).ReadJsonAsync(HttpStatusCode.Created);
        await (await center.PostTraineeAsync(Body(passportNumber: passport, nationality: "IQ"))).ReadJsonAsync(HttpStatusCode.Created);
        var (_, adminSecret) = await admin.CreateWebhookAsync("https://localhost:9/partner-hook", "certificate.issued");
        var (_, centerSecret) = await center.CreateWebhookAsync("https://localhost:9/center-hook", "certificate.issued");

        // The API still finds and shows them (the look-up goes by keyed hash, the value is decrypted).
        var found = await (await admin.GetAsync($"/api/v1/trainees?nationalId={nationalIds[1]}")).ReadJsonAsync();
        Assert.Equal(nationalIds[1], found.GetProperty("items")[0].GetProperty("nationalId").GetString());
        var byPassport = await (await center.GetAsync($"/api/v1/trainees?passportNumber={passport}&nationality=IQ")).ReadJsonAsync();
        Assert.Equal(passport, byPassport.GetProperty("items")[0].GetProperty("passportNumber").GetString());

        var raw = await RawDatabase.TextAsync(app);
        foreach (var secret in nationalIds.Append(passport).Append(adminSecret).Append(centerSecret))
        {
            var at = raw.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"{secret} found in the database: …{(at < 0 ? "" : raw.Substring(Math.Max(0, at - 120), 240))}…");
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Every_read_of_personal_data_is_audited_with_the_caller_and_the_persons(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var nationalId = NewNationalId();
        var issued = await app.IssueCertificateAsync(world, nationalId: nationalId);
        var person = (await (await admin.GetAsync($"/api/v1/certificates/{issued.CertificateId}")).ReadJsonAsync()).GetProperty("traineeId").GetGuid();
        var before = await ReadsAsync(admin, person);

        await (await center.GetAsync($"/api/v1/trainees/{person}")).ReadJsonAsync();
        await (await center.GetAsync($"/api/v1/trainees?nationalId={nationalId}")).ReadJsonAsync();
        var csv = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trainees?nationalId={nationalId}");
        csv.Headers.Accept.ParseAdd("text/csv");
        var export = await center.SendAsync(csv);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains(nationalId, await export.Content.ReadAsStringAsync());
        await (await center.GetAsync($"/api/v1/trainees/{person}/transcript")).ReadJsonAsync();
        await (await admin.GetAsync($"/api/v1/trainees/{person}")).ReadJsonAsync();

        var reads = (await ReadsAsync(admin, person)).Skip(before.Count).ToList();
        Assert.Equal(["GetTrainee", "ListTrainees", "ExportTrainees", "GetTraineeTranscript", "GetTrainee"], reads.Select(r => r.Operation));
        Assert.All(reads.Take(4), r => Assert.Equal(("center", (Guid?)world.CenterId), (r.Role, r.CenterId)));
        Assert.Equal("admin", reads[4].Role);
        Assert.All(reads, r => Assert.Contains(person, r.Persons));

        // A list naming nobody reads no personal data and leaves no record.
        var count = (await ReadsAsync(admin, null)).Count;
        await (await center.GetAsync($"/api/v1/trainees?nationalId={NewNationalId()}")).ReadJsonAsync();
        Assert.Equal(count, (await ReadsAsync(admin, null)).Count);
    }

    private sealed record ReadRecord(string Operation, string Role, Guid? CenterId, Guid[] Persons);

    /// <summary>Read records, newest first (every page).</summary>
    private static async Task<List<ReadRecord>> ReadsAsync(HttpClient admin, Guid? personId)
    {
        var records = new List<ReadRecord>();
        for (var page = 1; ; page++)
        {
            var query = personId is { } p ? $"&personId={p}" : "";
            var json = await (await admin.GetAsync($"/api/v1/audit?action=read{query}&pageSize=200&page={page}")).ReadJsonAsync();
            var items = json.GetProperty("items").EnumerateArray().ToList();
            foreach (var item in items)
            {
                var changes = JsonDocument.Parse(item.GetProperty("changes").GetString()!).RootElement;
                records.Add(new ReadRecord(changes.GetProperty("operation").GetString()!, item.GetProperty("actorRole").GetString()!,
                    item.GetProperty("actorCenterId").ValueKind == JsonValueKind.Null ? null : item.GetProperty("actorCenterId").GetGuid(),
                    changes.GetProperty("personIds").EnumerateArray().Select(e => e.GetGuid()).ToArray()));
            }
            if (records.Count >= json.GetProperty("total").GetInt64() || items.Count == 0) break;
        }
        records.Reverse(); // oldest first, so earlier reads keep their positions
        return records;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_admin_identity_correction_reissues_every_valid_certificate_with_the_corrected_names(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var world = await app.CreateWorldAsync();
        var nationalId = NewNationalId();
        var first = await app.IssueCertificateAsync(world, nationalId: nationalId);
        var second = await app.IssueCertificateAsync(await app.CreateWorldAsync(), nationalId: nationalId); // another standard, another center
        var person = (await (await admin.GetAsync($"/api/v1/certificates/{first.CertificateId}")).ReadJsonAsync()).GetProperty("traineeId").GetGuid();
        // Verified before the correction, so both answers are held in the verification cache: the re-issue must still show at once.
        foreach (var issued in new[] { first, second })
            Assert.Equal("valid", (await (await app.CreateClient().GetAsync($"/api/v1/verify/{issued.Number}")).ReadJsonAsync()).GetProperty("status").GetString());
        var url = $"/api/v1/trainees/{person}";
        var current = await admin.GetAsync(url);
        var record = await current.ReadJsonAsync();

        var body = Body(nationalId: nationalId, givenNameFa: record.GetProperty("givenNameFa").GetString()!, givenNameLatin: record.GetProperty("givenNameLatin").GetString()!,
            familyNameFa: "کریمی‌نژاد", familyNameLatin: "Kariminejad", birthDate: record.GetProperty("birthDate").GetString()!);
        body["targetGroups"] = record.GetProperty("targetGroups").EnumerateArray().Select(g => g.GetString()).ToArray();
        var request = PartnersTestData.WithIfMatch(HttpMethod.Put, url, body, current.Headers.ETag!.Tag);
        var corrected = await (await admin.SendAsync(request)).ReadJsonAsync();
        Assert.Equal("Kariminejad", corrected.GetProperty("familyNameLatin").GetString());

        foreach (var old in new[] { first, second })
        {
            var oldCertificate = await (await admin.GetAsync($"/api/v1/certificates/{old.CertificateId}")).ReadJsonAsync();
            Assert.Equal("superseded", oldCertificate.GetProperty("status").GetString());
            var replacementId = oldCertificate.GetProperty("supersededById").GetGuid();
            var replacement = await (await admin.GetAsync($"/api/v1/certificates/{replacementId}")).ReadJsonAsync();
            Assert.Equal("valid", replacement.GetProperty("status").GetString());
            Assert.NotEqual(old.Number, replacement.GetProperty("number").GetString());
            Assert.Equal(old.CertificateId, replacement.GetProperty("replacesId").GetGuid());
            Assert.Equal("Kariminejad", replacement.GetProperty("holder").GetProperty("familyNameLatin").GetString());
            Assert.Equal("کریمی‌نژاد", replacement.GetProperty("holder").GetProperty("familyNameFa").GetString());
            Assert.Contains("Identity correction", replacement.GetProperty("correctionReason").GetString());

            // An employer checking the old number is told it was superseded.
            var verified = await (await app.CreateClient().GetAsync($"/api/v1/verify/{old.Number}")).ReadJsonAsync();
            Assert.Equal("superseded", verified.GetProperty("status").GetString());

            var events = await app.Db.ReadAsync(s => s.QueryAsync<string>(
                "SELECT type FROM outbox_events WHERE payload LIKE @pattern", new { pattern = $"%{old.CertificateId}%" }));
            Assert.Contains("certificate.superseded", events);
            var audit = await (await admin.GetAsync($"/api/v1/audit?entity=certificate&entityId={old.CertificateId}&action=supersede")).ReadJsonAsync();
            Assert.Equal(1, audit.GetProperty("total").GetInt64());
        }
    }
}

/// <summary>Everything the database holds, as text: the SQLite files' bytes (with the WAL), or every row of every table in PostgreSQL.</summary>
public static class RawDatabase
{
    public static async Task<string> TextAsync(RegistryApp app)
    {
        if (app.Database == TestDatabase.Sqlite) return SqliteFilesText(app.DataDirectory);
        return await PostgresTextAsync(app.ConnectionString!);
    }

    /// <summary>registry.db, registry.db-wal and registry.db-shm byte for byte (Latin-1 keeps ASCII identifiers searchable).</summary>
    public static string SqliteFilesText(string directory)
    {
        var sb = new StringBuilder();
        foreach (var path in Directory.GetFiles(directory, "registry.db*"))
        {
            FileStream stream;
            try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
            catch (FileNotFoundException) { continue; } // the -wal/-shm went away with the last connection: nothing left to read in it
            using var _ = stream;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            sb.Append(Encoding.Latin1.GetString(memory.ToArray()));
        }
        return sb.ToString();
    }

    /// <summary>
    /// Every row of every table as text, and the bytes of every table, index and TOAST file of the database (after a
    /// CHECKPOINT, read with pg_read_binary_file, which needs a superuser) — what a copy of the data directory holds,
    /// including row versions that are dead but not yet overwritten.
    /// </summary>
    public static async Task<string> PostgresTextAsync(string connectionString)
    {
        var sb = new StringBuilder();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await dump.ExecuteReaderAsync();
            while (await reader.ReadAsync()) sb.AppendLine(reader.GetString(0));
        }
        await using (var checkpoint = new NpgsqlCommand("CHECKPOINT", connection)) await checkpoint.ExecuteNonQueryAsync();
        await using var files = new NpgsqlCommand("""
            SELECT '[' || c.relname || ']', pg_read_binary_file(pg_relation_filepath(c.oid))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't') AND pg_relation_filepath(c.oid) IS NOT NULL
            """, connection);
        await using (var reader = await files.ExecuteReaderAsync())
            while (await reader.ReadAsync()) sb.Append(reader.GetString(0)).Append(Encoding.Latin1.GetString((byte[])reader[1]));
        return sb.ToString();
    }
}
