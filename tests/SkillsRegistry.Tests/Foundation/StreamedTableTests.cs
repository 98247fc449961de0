using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outbox;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class StreamedTableTests
{
    private sealed record Row(Guid Id, string Name);

    [Fact]
    public void A_streamed_tables_insert_names_its_columns_in_order_with_their_parameters_and_fixed_values()
    {
        var table = new StreamedTable<Row>("things", ("id", "Id"), StreamedColumn.Fixed("status", "new"), ("name", "Name"), StreamedColumn.Null("gone_at"));
        Assert.Equal("INSERT INTO things (id, status, name, gone_at)\nVALUES (@Id, 'new', @Name, NULL)", table.Insert);
    }

    [Fact]
    public void A_table_skipping_conflicts_keeps_its_columns_and_ends_its_insert_with_the_conflict_clause()
    {
        var table = new StreamedTable<Row>("things", ("id", "Id"), StreamedColumn.Fixed("row_version", 1), ("name", "Name"), ("renamed", "Name"));
        Assert.Equal("INSERT INTO things (id, row_version, name, renamed)\nVALUES (@Id, 1, @Name, @Name)", table.Insert);
        Assert.Equal("INSERT INTO things (id, row_version, name, renamed)\nVALUES (@Id, 1, @Name, @Name)\nON CONFLICT (name) DO NOTHING",
            table.SkippingConflicts("name").Insert);
        Assert.EndsWith("\nON CONFLICT DO NOTHING", table.SkippingConflicts().Insert);
    }

    [Fact]
    public void A_column_naming_a_property_the_row_lacks_is_refused_when_the_table_is_described()
    {
        var refused = Assert.Throws<ArgumentException>(() => new StreamedTable<Row>("things", ("id", "Id"), ("title", "Title")));
        Assert.Contains("Row has no property Title", refused.Message);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Few_and_many_streamed_rows_are_stored_with_every_value(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(app.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        foreach (var count in new[] { 3, 120 }) // one multi-row INSERT on PostgreSQL, then a COPY
        {
            var pending = Enumerable.Range(0, count)
                .Select(i => new Outbox.Pending($"test.{count}", at.AddSeconds(i), new { i }, i % 2 == 0 ? Guid.CreateVersion7() : null, i % 3 == 0 ? null : "C"))
                .ToList();
            var ids = await app.Db.WriteAsync(s => Outbox.EnqueueManyAsync(s, pending));

            var stored = (await app.Db.ReadAsync(s => s.QueryAsync<(Guid Id, string Type, DateTimeOffset OccurredAt, Guid? CenterId, string? SectorCode, string Payload)>(
                "SELECT id, type, occurred_at, center_id, sector_code, payload FROM outbox_events WHERE type = @type ORDER BY occurred_at",
                new { type = $"test.{count}" }))).ToList();
            Assert.Equal(ids, stored.Select(e => e.Id));
            Assert.Equal(pending.Select(p => (p.OccurredAt, p.CenterId, p.SectorCode)), stored.Select(e => (e.OccurredAt, e.CenterId, e.SectorCode)));
            Assert.Equal(Enumerable.Range(0, count).Select(i => $$"""{"i":{{i}}}"""), stored.Select(e => e.Payload));
        }
    }
}
