using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Statistics;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Assessments;

/// <summary>
/// Issue 15: a batch is decided row by row in memory and written set-based. What a row sees of the rows before it, the audit
/// chain and the webhook events must be exactly what recording the rows one after the other gave.
/// </summary>
public sealed class SetBasedIngestTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<JsonElement> SubmitAsync(HttpClient client, params object[] rows) =>
        await (await client.PostAsJsonAsync("/api/v1/assessment-batches", new { rows })).ReadJsonAsync();

    [Theory, OnSqlite, OnPostgres]
    public async Task An_externalRef_repeated_within_one_batch_is_already_recorded_with_the_first_rows_result(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var response = await SubmitAsync(app.ClientWithKey(world.CenterKey),
            Row("TWICE-1", world.StandardCode, 90, 90), Row("TWICE-1", world.StandardCode, 10, 10), Row("TWICE-2", world.StandardCode, 10, 10));

        var rows = response.GetProperty("rows");
        Assert.Equal(2, response.GetProperty("recorded").GetInt32());
        Assert.Equal(1, response.GetProperty("alreadyRecorded").GetInt32());
        Assert.Equal("already-recorded", rows[1].GetProperty("result").GetString());
        Assert.Equal("passed", rows[1].GetProperty("outcome").GetString());
        Assert.Equal(rows[0].GetProperty("assessmentId").GetGuid(), rows[1].GetProperty("assessmentId").GetGuid());
        Assert.Equal(rows[0].GetProperty("certificateNumber").GetString(), rows[1].GetProperty("certificateNumber").GetString());
        Assert.Equal(1, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM assessments WHERE center_id = @c AND external_ref = 'TWICE-1'", new { c = world.CenterId })));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_batch_chains_one_audit_record_per_person_result_and_certificate_in_row_order(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var before = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM audit_log"));
        var response = await SubmitAsync(app.ClientWithKey(world.CenterKey),
            Row("CHAIN-1", world.StandardCode, 90, 90), Row("CHAIN-2", world.StandardCode, 10, 10), Row("CHAIN-3", world.StandardCode, 95, 95));
        var rows = response.GetProperty("rows");

        var records = (await app.Db.ReadAsync(s => s.QueryAsync<AuditRecord>(
            $"SELECT {AuditTrail.SelectRecordColumns} FROM audit_log WHERE seq > @before ORDER BY seq", new { before }))).ToList();
        Assert.Equal(
            ["create trainee", "record assessment", "issue certificate", "create trainee", "record assessment", "create trainee", "record assessment", "issue certificate"],
            records.Select(r => $"{r.Action} {r.Entity}"));
        Assert.Equal(rows[0].GetProperty("assessmentId").GetString(), records[1].EntityId);
        Assert.Equal(rows[2].GetProperty("certificateId").GetString(), records[7].EntityId);
        Assert.Contains(rows[2].GetProperty("certificateNumber").GetString()!, records[7].Changes);
        Assert.True((await app.Db.ReadAsync(AuditTrail.VerifyAsync)).Intact);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_certificate_of_a_batch_enqueues_the_event_a_single_issue_enqueues(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var response = await SubmitAsync(app.ClientWithKey(world.CenterKey), Row("EVENT-1", world.StandardCode, 90, 90), Row("EVENT-2", world.StandardCode, 80, 80));
        foreach (var row in response.GetProperty("rows").EnumerateArray())
        {
            var id = row.GetProperty("certificateId").GetGuid();
            var enqueued = await app.Db.ReadAsync(s => s.QuerySingleAsync<(string Type, string Payload)>(
                "SELECT type AS Type, payload AS Payload FROM outbox_events WHERE payload LIKE @pattern", new { pattern = $"%{id}%" }));
            // What WebhookEvents reads back from the stored certificate now, in a transaction that is rolled back.
            string? expected = null;
            await app.Db.TryWriteAsync<bool>(async s =>
            {
                var eventId = await WebhookEvents.CertificateAsync(s, WebhookEventTypes.CertificateIssued, id, app.Clock.GetUtcNow());
                expected = await s.QuerySingleAsync<string>("SELECT payload FROM outbox_events WHERE id = @eventId", new { eventId });
                return Rejection.Conflict("Only looking.");
            });
            Assert.Equal(WebhookEventTypes.CertificateIssued, enqueued.Type);
            Assert.Equal(expected, enqueued.Payload);
        }
    }

    /// <summary>
    /// Past a few dozen rows PostgreSQL streams a batch's results, day claims, events and audit records (COPY) instead of
    /// inserting them: what is stored must be what inserting gave, and the rows must be found again.
    /// </summary>
    [Theory, OnSqlite, OnPostgres]
    public async Task A_large_batch_stores_every_result_event_and_audit_record_and_the_chain_and_rollup_check_out(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var client = app.ClientWithKey(world.CenterKey);
        var rows = Enumerable.Range(1, 150).Select(i => Row($"LARGE-{i}", world.StandardCode, 90, i % 3 == 0 ? 10 : 90)).ToArray();

        var response = await SubmitAsync(client, rows);
        Assert.Equal(150, response.GetProperty("recorded").GetInt32());
        var results = response.GetProperty("rows").EnumerateArray().ToList();
        var certificateIds = results.Where(r => r.TryGetProperty("certificateId", out var id) && id.ValueKind == JsonValueKind.String)
            .Select(r => r.GetProperty("certificateId").GetGuid()).ToList();
        Assert.Equal(100, certificateIds.Count);

        var eventCertificates = (await app.Db.ReadAsync(s => s.QueryAsync<string>(
                "SELECT payload FROM outbox_events WHERE type = @type AND center_id = @center", new { type = WebhookEventTypes.CertificateIssued, center = world.CenterId })))
            .Select(payload => JsonDocument.Parse(payload).RootElement.GetProperty("id").GetGuid()).Order().ToList();
        Assert.Equal(certificateIds.Order(), eventCertificates);
        var batchId = response.GetProperty("batchId").GetGuid().ToString();
        Assert.Equal(150, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'record' AND entity = 'assessment' AND changes LIKE @batch", new { batch = $"%{batchId}%" })));
        Assert.Equal(0, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM assessments a
            WHERE a.center_id = @center AND (NOT EXISTS (SELECT 1 FROM assessment_days d WHERE d.assessment_id = a.id)
                                          OR NOT EXISTS (SELECT 1 FROM audit_subjects p WHERE p.person_id = a.trainee_id))
            """, new { center = world.CenterId })));
        Assert.True((await app.Db.ReadAsync(AuditTrail.VerifyAsync)).Intact);
        var rollup = new StatisticsRollup(app.Db);
        Assert.Equal(await rollup.RecountAsync(CancellationToken.None), await rollup.StoredAsync(CancellationToken.None));

        var again = await SubmitAsync(client, rows);
        Assert.Equal(150, again.GetProperty("alreadyRecorded").GetInt32());
        Assert.Equal(results.Select(r => r.GetProperty("assessmentId").GetGuid()),
            again.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("assessmentId").GetGuid()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_admin_naming_an_unknown_center_gets_404_and_nothing_is_written(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var admin = await app.AdminClientAsync();
        var unknown = Guid.NewGuid();
        var response = await admin.PostAsJsonAsync("/api/v1/assessment-batches",
            new { centerId = unknown, rows = new[] { Row("NOWHERE-1", world.StandardCode, 90, 90) } });
        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(unknown.ToString(), problem.GetProperty("detail").GetString());
        Assert.Equal(0, await app.Db.ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM assessments WHERE external_ref = 'NOWHERE-1'")));
    }
}
