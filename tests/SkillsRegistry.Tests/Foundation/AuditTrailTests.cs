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

        await app.Db.WriteAsync(s => s.ExecuteAsync("DELETE FROM audit_log WHERE seq = 2"));
        var gap = await app.Db.ReadAsync(AuditTrail.VerifyAsync);
        Assert.Equal(2, gap.FirstBrokenSeq);
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
}
