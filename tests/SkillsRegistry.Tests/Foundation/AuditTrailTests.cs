using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class AuditTrailTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_chain_verifies_and_breaks_at_the_altered_record(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        for (var i = 0; i < 5; i++) await app.CreateKeyAsync(ApiKeyRole.Admin, name: $"k{i}");
        var intact = await app.Db.ReadAsync(AuditTrail.VerifyAsync);
        Assert.True(intact.Intact, intact.Problem);
        Assert.Equal(5, intact.RecordsChecked);

        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE audit_log SET changes = REPLACE(changes, 'k2', 'kX') WHERE seq = 3"));
        var broken = await app.Db.ReadAsync(AuditTrail.VerifyAsync);
        Assert.False(broken.Intact);
        Assert.Equal(3, broken.FirstBrokenSeq);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Deleting_a_record_or_the_newest_records_is_detected(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        for (var i = 0; i < 4; i++) await app.CreateKeyAsync(ApiKeyRole.Admin, name: $"k{i}");

        await app.Db.WriteAsync(s => s.ExecuteAsync("DELETE FROM audit_log WHERE seq = 4"));
        var tailRemoved = await app.Db.ReadAsync(AuditTrail.VerifyAsync);
        Assert.False(tailRemoved.Intact);
        Assert.Equal(4, tailRemoved.FirstBrokenSeq);
        Assert.Equal("The chain head expects 4 records but 3 are stored: the newest records were removed.", tailRemoved.Problem);

        await app.Db.WriteAsync(s => s.ExecuteAsync("DELETE FROM audit_log WHERE seq = 2"));
        var gap = await app.Db.ReadAsync(AuditTrail.VerifyAsync);
        Assert.Equal(2, gap.FirstBrokenSeq);
        Assert.Equal("Record 2 is missing (next stored record is 3).", gap.Problem);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Concurrent_writers_keep_one_unbroken_chain(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.CreateKeyAsync(ApiKeyRole.Admin, name: $"p{i}")));
        var report = await app.Db.ReadAsync(AuditTrail.VerifyAsync);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(20, report.RecordsChecked);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Audit_records_carry_the_registry_clock_time_and_follow_it_when_it_moves(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var admin = await app.AdminClientAsync();
        var first = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromDays(40) + TimeSpan.FromMinutes(7));
        await app.CreateKeyAsync(ApiKeyRole.Admin, name: "later");
        var later = app.Clock.GetUtcNow();

        var created = await (await admin.GetAsync("/api/v1/audit?entity=api-key&action=create")).ReadJsonAsync();
        var times = created.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("occurredAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal([later.ToUnixTimeMilliseconds(), first.ToUnixTimeMilliseconds()], times);
        var report = await (await admin.GetAsync("/api/v1/audit/verify")).ReadJsonAsync();
        Assert.True(report.GetProperty("intact").GetBoolean(), report.ToString());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_long_chain_verifies_record_by_record_and_names_its_altered_record(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        await app.CreateKeyAsync(ApiKeyRole.Admin, name: "first");
        await AuditChainWriter.AppendAsync(app.Db, 10_000, app.Clock.GetUtcNow());
        await app.CreateKeyAsync(ApiKeyRole.Admin, name: "after"); // the service goes on from the written chain's head

        Assert.Equal(new AuditChainReport(true, 10_002, null, null), await app.Db.ReadAsync(AuditTrail.VerifyAsync));

        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE audit_log SET entity_id = 'forged' WHERE seq = 7777"));
        Assert.Equal(new AuditChainReport(false, 7777, 7777, "Record 7777 was altered: its content no longer matches its hash."),
            await app.Db.ReadAsync(AuditTrail.VerifyAsync));
    }
}
