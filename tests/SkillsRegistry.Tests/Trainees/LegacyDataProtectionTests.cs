using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Protection;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.TraineesTestData;

namespace SkillsRegistry.Tests.Trainees;

/// <summary>A database written before encryption at rest (schema 0001–0008, identifiers and secrets in clear) is protected in place at startup.</summary>
public sealed class LegacyDataProtectionTests
{
    private sealed record Legacy(Guid CenterId, Guid NationalTrainee, string NationalId, Guid PassportTrainee, string Passport, Guid WebhookId, string Secret);

    [Theory, OnSqlite, OnPostgres]
    public async Task Clear_identifiers_and_webhook_secrets_of_an_old_database_are_encrypted_at_startup(TestDatabase db)
    {
        await using var old = await LegacyDatabase.CreateAsync(db, "legacy");
        var legacy = await old.MigrateBeforeAsync("0009", WriteClearRowsAsync);
        await using (var app = await RegistryApp.StartAsync(db, old.Settings()))
        {
            var admin = await app.AdminClientAsync();
            var found = await (await admin.GetAsync($"/api/v1/trainees?nationalId={legacy.NationalId}")).ReadJsonAsync();
            Assert.Equal(legacy.NationalTrainee, found.GetProperty("items")[0].GetProperty("id").GetGuid());
            Assert.Equal(legacy.NationalId, found.GetProperty("items")[0].GetProperty("nationalId").GetString());
            var byPassport = await (await admin.GetAsync($"/api/v1/trainees?passportNumber={legacy.Passport}&nationality=AF")).ReadJsonAsync();
            Assert.Equal(legacy.Passport, byPassport.GetProperty("items")[0].GetProperty("passportNumber").GetString());

            // The phone the center supplied moved to the center's own link: it sees it, the registry's copy is empty.
            var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: legacy.CenterId));
            var seenByCenter = await (await center.GetAsync($"/api/v1/trainees/{legacy.NationalTrainee}")).ReadJsonAsync();
            Assert.Equal("0912 345 6789", seenByCenter.GetProperty("phone").GetString());
            Assert.Equal(legacy.NationalId, seenByCenter.GetProperty("nationalId").GetString());
            var seenByAdmin = await (await admin.GetAsync($"/api/v1/trainees/{legacy.NationalTrainee}")).ReadJsonAsync();
            Assert.Equal(System.Text.Json.JsonValueKind.Null, seenByAdmin.GetProperty("phone").ValueKind);

            // The secret still signs: it decrypts to the value the subscriber holds.
            var stored = await app.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT secret FROM webhook_subscriptions WHERE id = @id", new { id = legacy.WebhookId }));
            Assert.Equal(legacy.Secret, app.Service<FieldProtector>().Decrypt(stored, WebhookRepository.SecretPurpose));
        }

        var raw = db == TestDatabase.Sqlite ? RawDatabase.SqliteFilesText(old.Directory) : await RawDatabase.PostgresTextAsync(old.ConnectionString!);
        foreach (var secret in new[] { legacy.NationalId, legacy.Passport, legacy.Secret })
        {
            var at = raw.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"{secret} found in the database: …{(at < 0 ? "" : raw.Substring(Math.Max(0, at - 200), 400))}…");
        }
        Assert.Contains("Karimi", raw); // the scan does read the data
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task After_a_key_rotation_a_restart_re_encrypts_every_value_under_the_new_key(TestDatabase db)
    {
        await using var storage = await LegacyDatabase.CreateAsync(db, "rotation");
        var oldKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var newKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Dictionary<string, string?> Settings(bool rotated)
        {
            var settings = storage.Settings();
            settings["DataProtection:LookupKey"] = Convert.ToBase64String(Encoding.ASCII.GetBytes("a look-up key of at least 32 bytes!"));
            settings["DataProtection:Keys:0:Kid"] = "old-2026";
            settings["DataProtection:Keys:0:Key"] = oldKey;
            settings["DataProtection:Keys:0:Active"] = (!rotated).ToString();
            if (rotated)
            {
                settings["DataProtection:Keys:1:Kid"] = "new-2027";
                settings["DataProtection:Keys:1:Key"] = newKey;
                settings["DataProtection:Keys:1:Active"] = "true";
            }
            return settings;
        }
        var nationalId = NewNationalId();
        string secret;
        await using (var before = await RegistryApp.StartAsync(db, Settings(rotated: false)))
        {
            var admin = await before.AdminClientAsync();
            await (await admin.PostTraineeAsync(Body(nationalId: nationalId))).ReadJsonAsync(HttpStatusCode.Created);
            (_, secret) = await admin.CreateWebhookAsync("https://localhost:9/rotation", "certificate.issued");
            // More people than one re-protection chunk (500), so the restart works through several.
            var world = await before.CreateWorldAsync();
            var rows = Enumerable.Range(0, 520).Select(i => RegistryWorlds.Row($"rotation-{i}", world.StandardCode, 90, 90)).ToArray();
            await (await before.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();
        }
        await using (var after = await RegistryApp.StartAsync(db, Settings(rotated: true)))
        {
            var identifiers = (await after.Db.ReadAsync(s => s.QueryAsync<string>("SELECT national_id_enc FROM trainees WHERE national_id_enc IS NOT NULL"))).ToList();
            var webhookSecret = await after.Db.ReadAsync(s => s.QuerySingleAsync<string>("SELECT secret FROM webhook_subscriptions"));
            Assert.True(identifiers.Count > 520, $"{identifiers.Count} identifiers: the 521 people registered before the rotation (and the world's assessor) are all there");
            Assert.All(identifiers.Append(webhookSecret), value => Assert.StartsWith("new-2027:", value));
            var admin = await after.AdminClientAsync();
            var found = await (await admin.GetAsync($"/api/v1/trainees?nationalId={nationalId}")).ReadJsonAsync();
            Assert.Equal(nationalId, found.GetProperty("items")[0].GetProperty("nationalId").GetString());
            Assert.Equal(secret, after.Service<FieldProtector>().Decrypt(webhookSecret, WebhookRepository.SecretPurpose));
        }
    }

    /// <summary>Writes rows the way the release before 0009 stored them (identifiers and secrets in clear).</summary>
    private static async Task<Legacy> WriteClearRowsAsync(DbConnection connection, DbTransaction tx)
    {
        var now = DateTimeOffset.UtcNow;
        var legacy = new Legacy(Guid.CreateVersion7(), Guid.CreateVersion7(), NewNationalId(), Guid.CreateVersion7(), NewPassportNumber(),
            Guid.CreateVersion7(), WebhookSignature.NewSecret());
        await connection.ExecuteAsync("""
            INSERT INTO training_centers (id, code, kind, name_fa, name_en, province_code, country, city, search_text, created_at, updated_at)
            VALUES (@CenterId, @code, 'public', 'مرکز قدیمی', 'Old center', 'IR-10', 'IR', 'Ahvaz', 'old center', @now, @now)
            """, new { legacy.CenterId, code = "TC-" + legacy.CenterId.ToString("N")[^8..], now }, tx);
        const string insertTrainee = """
            INSERT INTO trainees (id, national_id, passport_number, nationality, given_name_fa, family_name_fa, given_name_latin, family_name_latin,
                                  birth_date, gender, phone, email, created_by_center_id, search_text, row_version, created_at, updated_at)
            VALUES (@id, @nationalId, @passport, @nationality, 'زهرا', 'کریمی', 'Zahra', 'Karimi', @birth, 'female', @phone, NULL, @centerId,
                    'زهرا کریمی zahra karimi', 1, @now, @now)
            """;
        await connection.ExecuteAsync(insertTrainee, new
        {
            id = legacy.NationalTrainee, nationalId = legacy.NationalId, passport = (string?)null, nationality = (string?)null,
            birth = new DateOnly(1998, 3, 21), phone = "0912 345 6789", centerId = (Guid?)legacy.CenterId, now,
        }, tx);
        await connection.ExecuteAsync(insertTrainee, new
        {
            id = legacy.PassportTrainee, nationalId = (string?)null, passport = legacy.Passport, nationality = "AF",
            birth = new DateOnly(1997, 1, 2), phone = (string?)null, centerId = (Guid?)null, now,
        }, tx);
        await connection.ExecuteAsync("INSERT INTO center_trainees (center_id, trainee_id) VALUES (@CenterId, @NationalTrainee)", legacy, tx);
        await connection.ExecuteAsync("""
            INSERT INTO webhook_subscriptions (id, url, events, secret, owner_role, active, created_at)
            VALUES (@WebhookId, 'https://partner.example/hook', 'certificate.issued', @Secret, 'admin', @active, @now)
            """, new { legacy.WebhookId, legacy.Secret, active = true, now }, tx);
        return legacy;
    }
}
