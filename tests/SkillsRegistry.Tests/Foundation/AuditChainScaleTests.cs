using System.Diagnostics;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Tests.Support;
using Xunit.Abstractions;

namespace SkillsRegistry.Tests.Foundation;

/// <summary>The audit chain at a size no test writes through the API (`--filter Scale=million` runs it alone).</summary>
[Collection(nameof(MemoryMeasurements))]
[Trait("Scale", "million")]
public sealed class AuditChainScaleTests(ITestOutputHelper output)
{
    [Theory, OnSqlite]
    public async Task Verifying_a_million_record_chain_holds_no_more_memory_than_verifying_ten_thousand(TestDatabase db)
    {
        await using var app = await RegistryApp.StartAsync(db);
        using var heap = new HeapAfterCollections();
        var started = Stopwatch.StartNew();
        await AuditChainWriter.AppendAsync(app.Db, 10_000, app.Clock.GetUtcNow());
        AuditChainReport? small = null, large = null;
        var smallGrowth = await heap.GrowthDuringAsync(async () => small = await app.Db.ReadAsync(AuditTrail.VerifyAsync));
        await AuditChainWriter.AppendAsync(app.Db, 990_000, app.Clock.GetUtcNow());
        var written = started.Elapsed;
        var largeGrowth = await heap.GrowthDuringAsync(async () => large = await app.Db.ReadAsync(AuditTrail.VerifyAsync));
        output.WriteLine($"written in {written}, verified in {started.Elapsed - written}; heap growth: 10,000 records {smallGrowth >> 10} KiB, 1,000,000 records {largeGrowth >> 10} KiB");

        Assert.Equal(new AuditChainReport(true, 10_000, null, null), small);
        Assert.Equal(new AuditChainReport(true, 1_000_000, null, null), large);
        // Held as objects, a million records take about 800 MB (their two 64-character hashes alone 300 MB); streamed,
        // a hundred times the records may hold only what a few pages of rows take.
        Assert.True(largeGrowth < Math.Max(smallGrowth, 0) + (32L << 20),
            $"Verifying 1,000,000 records held {largeGrowth >> 20} MB more than before; 10,000 records held {smallGrowth >> 20} MB.");
    }
}
