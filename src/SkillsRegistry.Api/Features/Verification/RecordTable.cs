using System.Text;
using SkillsRegistry.Api.Features.Certificates;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>
/// One generation of <see cref="VerificationCache"/>: records packed into arrays instead of a few objects per number, so a
/// million records take tens of megabytes and give the garbage collector nothing to trace. Keys are packed certificate
/// numbers (<see cref="CertificateNumber.TryPack"/>) in an open-addressing table; names are UTF-8 in shared byte chunks;
/// standards and centers (each with a result's assessor: standing, role, home organisation; a handful per center) are stored
/// once per generation and referred to by index, so the assessor adds no byte per record.
/// One writer at a time (the cache's lock); readers never lock: everything an entry refers to is written before the slot
/// that publishes it, and an entry never changes afterwards except its <see cref="Entry.CachedAt"/> (one int).
/// </summary>
internal sealed class RecordTable
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private const int NameChunkBytes = 1 << 18;

    private struct Entry
    {
        public ulong Key;
        public int Names;          // offset in the name chunks: chunk × NameChunkBytes + position
        public ushort NamesLength;
        public byte Status;
        public bool HasExtras;
        public int IssuedOn;       // DateOnly.DayNumber
        public int ExpiresOn;      // DateOnly.DayNumber, or -1
        public ushort Standard;    // index in standards
        public ushort Center;      // index in centers: the center with the result's assessor (role, home organisation)
        public int CachedAt;       // seconds on the cache's clock
    }

    /// <summary>What few records have: a revocation, a replacement.</summary>
    private sealed record Extras(RecordedRevocation? Revocation, string? SupersededByNumber);

    private readonly int capacity;
    private readonly Entry[]?[] chunks;
    private volatile byte[]?[] nameChunks = new byte[]?[4];
    private volatile int[] slots = new int[256]; // entry index + 1; 0 = empty; negative = removed
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Extras> extras = new();
    private readonly Shared<(VerifiedStandard, CurrentEquivalent?)> standards = new();
    private readonly Shared<(VerifiedCenter, AssessorOnRecord)> centers = new();
    private int count;
    private int used;     // slots taken (live or removed)
    private int nameEnd;  // next free byte offset

    public RecordTable(int capacity)
    {
        this.capacity = capacity;
        chunks = new Entry[]?[(capacity >> ChunkBits) + 1];
    }

    /// <summary>Entries written so far (a record written again counts again): when it reaches the capacity the table is full.</summary>
    public int Count => Volatile.Read(ref count);

    public bool Full => Count >= capacity;

    public bool TryGet(ulong key, string number, int now, int ttlSeconds, out VerificationRecord record, out int cachedAt)
    {
        record = null!;
        cachedAt = 0;
        var table = slots;
        var slot = Find(table, key);
        if (slot <= 0) return false;
        var index = slot - 1;
        ref var entry = ref chunks[index >> ChunkBits]![index & (ChunkSize - 1)];
        cachedAt = Volatile.Read(ref entry.CachedAt);
        if (now - cachedAt >= ttlSeconds) return false;
        record = ToRecord(index, ref entry, number);
        return true;
    }

    /// <summary>
    /// Keeps <paramref name="record"/> under <paramref name="key"/>; false when the table is full or the record cannot be packed
    /// (over 65,535 standards or centers in one generation, names over 64 KB). The same record again only refreshes its time.
    /// </summary>
    public bool TryAdd(ulong key, VerificationRecord record, int now)
    {
        var table = slots;
        var position = Probe(table, key);
        var existing = table[position];
        if (existing > 0 && Same(existing - 1, record))
        {
            Volatile.Write(ref EntryAt(existing - 1).CachedAt, now);
            return true;
        }
        if (Full) return false;
        var names = Encoding.UTF8.GetBytes(record.PackedNames);
        if (names.Length > ushort.MaxValue) return false;
        if (!standards.TryIndex((record.Standard, record.CurrentStandard), out var standard) || !centers.TryIndex((record.Center, record.Assessor), out var center))
            return false;

        var index = count;
        chunks[index >> ChunkBits] ??= new Entry[ChunkSize];
        var hasExtras = record.Revocation is not null || record.SupersededByNumber is not null;
        if (hasExtras) extras[index] = new Extras(record.Revocation, record.SupersededByNumber);
        EntryAt(index) = new Entry
        {
            Key = key,
            Names = WriteNames(names),
            NamesLength = (ushort)names.Length,
            Status = (byte)record.StoredStatus,
            HasExtras = hasExtras,
            IssuedOn = record.IssuedOn.DayNumber,
            ExpiresOn = record.ExpiresOn?.DayNumber ?? -1,
            Standard = standard,
            Center = center,
            CachedAt = now,
        };
        Volatile.Write(ref count, index + 1);
        if (existing == 0) used++;
        Volatile.Write(ref table[position], index + 1); // publishes the entry
        if (used * 2 > table.Length) slots = Rehash(table);
        return true;
    }

    public bool Holds(ulong key) => Find(slots, key) > 0;

    /// <summary>Renews the time of the record held under <paramref name="key"/> if it equals <paramref name="record"/>; false if absent or different.</summary>
    public bool TryRenew(ulong key, VerificationRecord record, int now)
    {
        var slot = Find(slots, key);
        if (slot <= 0 || !Same(slot - 1, record)) return false;
        Volatile.Write(ref EntryAt(slot - 1).CachedAt, now);
        return true;
    }

    /// <summary>Keys of the records held (not removed, not replaced by a later entry) that were last read before <paramref name="readBefore"/>.</summary>
    public IEnumerable<ulong> Keys(int readBefore)
    {
        var end = Count;
        for (var index = 0; index < end; index++)
        {
            var key = EntryAt(index).Key;
            if (Volatile.Read(ref EntryAt(index).CachedAt) < readBefore && Find(slots, key) == index + 1) yield return key;
        }
    }

    public void Remove(ulong key)
    {
        var table = slots;
        var position = Probe(table, key);
        if (table[position] > 0) Volatile.Write(ref table[position], -table[position]);
    }

    private ref Entry EntryAt(int index) => ref chunks[index >> ChunkBits]![index & (ChunkSize - 1)];

    /// <summary>The slot's value for <paramref name="key"/>: entry index + 1, negative if removed, 0 if absent.</summary>
    private int Find(int[] table, ulong key)
    {
        var mask = table.Length - 1;
        for (var i = (int)Mix(key) & mask; ; i = (i + 1) & mask)
        {
            var slot = Volatile.Read(ref table[i]);
            if (slot == 0) return 0;
            if (EntryAt(Math.Abs(slot) - 1).Key == key) return slot;
        }
    }

    /// <summary>Where <paramref name="key"/> is, or the empty slot where it goes (writers only).</summary>
    private int Probe(int[] table, ulong key)
    {
        var mask = table.Length - 1;
        for (var i = (int)Mix(key) & mask; ; i = (i + 1) & mask)
        {
            var slot = table[i];
            if (slot == 0 || EntryAt(Math.Abs(slot) - 1).Key == key) return i;
        }
    }

    private int[] Rehash(int[] table)
    {
        var bigger = new int[table.Length * 2];
        var mask = bigger.Length - 1;
        used = 0;
        foreach (var slot in table)
        {
            if (slot <= 0) continue; // removed ones are not carried over
            var i = (int)Mix(EntryAt(slot - 1).Key) & mask;
            while (bigger[i] != 0) i = (i + 1) & mask;
            bigger[i] = slot;
            used++;
        }
        return bigger;
    }

    private static ulong Mix(ulong key) => (key ^ (key >> 29)) * 0xBF58476D1CE4E5B9UL >> 17;

    private int WriteNames(byte[] names)
    {
        var position = nameEnd % NameChunkBytes;
        if (position + names.Length > NameChunkBytes) nameEnd += NameChunkBytes - position; // a name never spans two chunks
        var chunk = nameEnd / NameChunkBytes;
        var directory = nameChunks;
        if (chunk >= directory.Length)
        {
            var larger = new byte[]?[directory.Length * 2];
            directory.CopyTo(larger, 0);
            nameChunks = directory = larger;
        }
        directory[chunk] ??= new byte[NameChunkBytes];
        names.CopyTo(directory[chunk]!, nameEnd % NameChunkBytes);
        var offset = nameEnd;
        nameEnd += Math.Max(names.Length, 1);
        return offset;
    }

    private ReadOnlySpan<byte> NamesOf(in Entry entry) =>
        nameChunks[entry.Names / NameChunkBytes].AsSpan(entry.Names % NameChunkBytes, entry.NamesLength);

    private VerificationRecord ToRecord(int index, ref Entry entry, string number)
    {
        var (standard, current) = standards[entry.Standard];
        var more = entry.HasExtras ? extras[index] : null;
        return new VerificationRecord
        {
            Number = number,
            StoredStatus = (CertificateStatus)entry.Status,
            IssuedOn = DateOnly.FromDayNumber(entry.IssuedOn),
            ExpiresOn = entry.ExpiresOn < 0 ? null : DateOnly.FromDayNumber(entry.ExpiresOn),
            PackedNames = Encoding.UTF8.GetString(NamesOf(entry)),
            Standard = standard,
            CurrentStandard = current,
            Center = centers[entry.Center].Item1,
            Assessor = centers[entry.Center].Item2,
            Revocation = more?.Revocation,
            SupersededByNumber = more?.SupersededByNumber,
        };
    }

    private bool Same(int index, VerificationRecord record)
    {
        ref var entry = ref EntryAt(index);
        var more = entry.HasExtras ? extras[index] : null;
        return entry.Status == (byte)record.StoredStatus
            && entry.IssuedOn == record.IssuedOn.DayNumber
            && entry.ExpiresOn == (record.ExpiresOn?.DayNumber ?? -1)
            && standards[entry.Standard] == (record.Standard, record.CurrentStandard)
            && centers[entry.Center] == (record.Center, record.Assessor)
            && more?.Revocation == record.Revocation
            && more?.SupersededByNumber == record.SupersededByNumber
            && NamesOf(entry).SequenceEqual(Encoding.UTF8.GetBytes(record.PackedNames));
    }

    /// <summary>Values many records share, each stored once; readers see a complete array (copied when it grows).</summary>
    private sealed class Shared<T> where T : notnull
    {
        private readonly Dictionary<T, ushort> indexes = [];
        private volatile T[] values = new T[4];

        public T this[ushort index] => values[index];

        public bool TryIndex(T value, out ushort index)
        {
            if (indexes.TryGetValue(value, out index)) return true;
            if (indexes.Count > ushort.MaxValue) return false;
            index = (ushort)indexes.Count;
            var current = values;
            if (index >= current.Length)
            {
                var larger = new T[current.Length * 2];
                current.CopyTo(larger, 0);
                current = larger;
            }
            current[index] = value;
            values = current;
            indexes[value] = index;
            return true;
        }
    }
}
