using System.Diagnostics.Tracing;

namespace SkillsRegistry.Tests.Support;

/// <summary>
/// The managed heap's size after each garbage collection in this process, from the runtime's own GC events: what the
/// process held at that moment, not what it allocated and dropped. Measure in a collection that runs alone
/// (<see cref="MemoryMeasurements"/>): the heap is the whole process's.
/// </summary>
internal sealed class HeapAfterCollections : EventListener
{
    private const long GcKeyword = 0x1;
    private readonly SemaphoreSlim reported = new(0);
    private long peak;
    private long lastEnded = -1;
    private long lastReported = -1;
    private long lastHeap;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, (EventKeywords)GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName == "GCEnd_V1") Volatile.Write(ref lastEnded, Convert.ToInt64(e.Payload![e.PayloadNames!.IndexOf("Count")]));
        if (e.EventName != "GCHeapStats_V2") return;
        long heap = 0;
        for (var generation = 0; generation <= 4; generation++)
            if (e.PayloadNames!.IndexOf($"GenerationSize{generation}") is var at and >= 0) heap += Convert.ToInt64(e.Payload![at]);
        long seen;
        while (heap > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, heap, seen) != seen) { }
        Volatile.Write(ref lastHeap, heap);
        Volatile.Write(ref lastReported, Volatile.Read(ref lastEnded));
        reported.Release();
    }

    /// <summary>
    /// Runs <paramref name="work"/> between two full collections; returns how far the heap after any collection during it
    /// rose above the heap the first one left.
    /// </summary>
    public async Task<long> GrowthDuringAsync(Func<Task> work)
    {
        var baseline = await CollectAsync();
        Interlocked.Exchange(ref peak, 0);
        await work();
        await CollectAsync(); // its event comes after those of every collection during the work
        return Interlocked.Read(ref peak) - baseline;
    }

    /// <summary>A full collection, once the listener has heard of it; returns the heap it left.</summary>
    private async Task<long> CollectAsync()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var index = GC.CollectionCount(0);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // the runtime's events never came: fail, do not hang
        while (Volatile.Read(ref lastReported) < index)
            await reported.WaitAsync(limit.Token);
        return Volatile.Read(ref lastHeap);
    }

    public override void Dispose()
    {
        base.Dispose();
        reported.Dispose();
    }
}

/// <summary>Tests that measure the process's memory: they run alone, after the others.</summary>
[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;
