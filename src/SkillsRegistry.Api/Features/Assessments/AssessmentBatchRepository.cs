using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Data;
using static SkillsRegistry.Api.Features.Assessments.AssessmentBatchSql;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>What a batch needs to know about a registered person: how to find them, confirm them and print their names.</summary>
public sealed class TraineeFacts
{
    public Guid Id { get; init; }
    public string? NationalIdHash { get; init; }
    public string? PassportHash { get; init; }
    public string? Nationality { get; init; }
    public string GivenNameFa { get; init; } = "";
    public string FamilyNameFa { get; init; } = "";
    public string GivenNameLatin { get; init; } = "";
    public string FamilyNameLatin { get; init; } = "";
    public DateOnly BirthDate { get; init; }
}

public sealed record AssessmentDayRow(Guid CenterId, Guid TraineeId, string StandardCode, DateOnly ExamDate, Guid AssessmentId);

public sealed record StatusBlock(long ListId, long First, long IndexKey);

/// <summary>The batch's reads and writes, each one statement (or a few multi-row ones) for all rows of the batch.</summary>
public sealed class AssessmentBatchRepository
{
    private sealed class RecordedRow
    {
        public string ExternalRef { get; init; } = "";
        public Guid Id { get; init; }
        public string Outcome { get; init; } = "";
        public Guid? CertificateId { get; init; }
        public string? CertificateNumber { get; init; }
    }

    private sealed class SameDayRow
    {
        public Guid TraineeId { get; init; }
        public string StandardCode { get; init; } = "";
        public DateOnly ExamDate { get; init; }
        public Guid AssessmentId { get; init; }
        public string ExternalRef { get; init; } = "";
    }

    private sealed class HeldRow
    {
        public Guid TraineeId { get; init; }
        public string StandardCode { get; init; } = "";
        public Guid Id { get; init; }
        public string Number { get; init; } = "";
    }

    /// <summary>Waits for other batches of the center (PostgreSQL; SQLite writers are serialised already).</summary>
    public Task LockCenterAsync(DbSession s, Guid centerId) => s.QueryAsync<Guid>(LockCenter + s.Dialect.ForNoKeyUpdate, new { centerId });

    public async Task<Dictionary<string, RecordedAssessment>> FindRecordedAsync(DbSession s, Guid centerId, IEnumerable<string> externalRefs) =>
        (await s.QueryInAsync<RecordedRow, string>(SelectRecordedByExternalRefs, "refs", externalRefs.Distinct(), new { centerId }))
        .ToDictionary(r => r.ExternalRef, r => new RecordedAssessment
        {
            Id = r.Id, Outcome = r.Outcome, CertificateId = r.CertificateId, CertificateNumber = r.CertificateNumber,
        });

    /// <summary>Registered people by national-ID hash, passport hash (any nationality: the caller matches it) or id.</summary>
    public async Task<List<TraineeFacts>> FindTraineesAsync(
        DbSession s, IReadOnlyCollection<string> nationalIdHashes, IReadOnlyCollection<string> passportHashes, IReadOnlyCollection<Guid> ids)
    {
        var found = new List<TraineeFacts>();
        if (nationalIdHashes.Count > 0) found.AddRange(await s.QueryInAsync<TraineeFacts, string>(SelectTraineesByNationalIdHash, "hashes", nationalIdHashes));
        if (passportHashes.Count > 0) found.AddRange(await s.QueryInAsync<TraineeFacts, string>(SelectTraineesByPassportHash, "hashes", passportHashes));
        if (ids.Count > 0) found.AddRange(await s.QueryInAsync<TraineeFacts, Guid>(SelectTraineesById, "ids", ids));
        return found;
    }

    public async Task<HashSet<Guid>> LinkedAsync(DbSession s, Guid centerId, IReadOnlyCollection<Guid> traineeIds) =>
        traineeIds.Count == 0 ? [] : (await s.QueryInAsync<Guid, Guid>(SelectLinked, "ids", traineeIds, new { centerId })).ToHashSet();

    /// <summary>
    /// Locks the people (PostgreSQL) before their certificates are read, so two centers passing the same person at once issue
    /// one certificate. No-key lock: inserts that reference the person (assessments, certificates) are not blocked.
    /// </summary>
    public async Task LockTraineesAsync(DbSession s, IReadOnlyCollection<Guid> traineeIds)
    {
        if (traineeIds.Count > 0) await s.QueryInAsync<Guid, Guid>(LockTrainees + s.Dialect.ForNoKeyUpdate, "ids", traineeIds.Order());
    }

    public async Task<Dictionary<(Guid TraineeId, string StandardCode, DateOnly ExamDate), SameDayResult>> SameDaysAsync(
        DbSession s, Guid centerId, IReadOnlyCollection<Guid> traineeIds) =>
        traineeIds.Count == 0 ? [] : (await s.QueryInAsync<SameDayRow, Guid>(SelectSameDays, "ids", traineeIds, new { centerId }))
            .ToDictionary(d => (d.TraineeId, d.StandardCode, d.ExamDate), d => new SameDayResult { AssessmentId = d.AssessmentId, ExternalRef = d.ExternalRef });

    /// <summary>The first valid, unexpired certificate each person holds per standard code.</summary>
    public async Task<Dictionary<(Guid TraineeId, string StandardCode), HeldCertificate>> HeldAsync(DbSession s, IReadOnlyCollection<Guid> traineeIds, DateOnly today)
    {
        var held = new Dictionary<(Guid, string), HeldCertificate>();
        if (traineeIds.Count == 0) return held;
        foreach (var c in await s.QueryInAsync<HeldRow, Guid>(SelectHeld, "ids", traineeIds, new { today }))
            held.TryAdd((c.TraineeId, c.StandardCode), new HeldCertificate { Id = c.Id, Number = c.Number });
        return held;
    }

    public async Task<HashSet<string>> ActiveTargetGroupsAsync(DbSession s) =>
        (await s.QueryAsync<string>(SelectActiveTargetGroups, new { active = true })).ToHashSet();

    /// <summary>Inserts the new people; returns the ids that were not inserted (someone registered the identity first).</summary>
    public async Task<HashSet<Guid>> InsertTraineesAsync(DbSession s, IReadOnlyList<NewTraineeRow> rows)
    {
        if (await s.InsertRowsAsync(TraineeRows, rows) == rows.Count) return [];
        var inserted = (await s.QueryInAsync<Guid, Guid>(SelectExistingTrainees, "ids", rows.Select(r => r.Id))).ToHashSet();
        return rows.Select(r => r.Id).Where(id => !inserted.Contains(id)).ToHashSet();
    }

    public async Task InsertLinksAsync(DbSession s, IReadOnlyList<TargetGroupRow> targetGroups, IReadOnlyList<CenterLinkRow> links)
    {
        await s.InsertRowsAsync(TraineeSql.TargetGroupRows, targetGroups);
        await s.InsertRowsAsync(TraineeSql.CenterLinks, links);
    }

    /// <summary>
    /// The batch's results and their day claims. Streamed: the center's lock (taken first) keeps its externalRefs and exam
    /// days as the batch read them, so neither can conflict.
    /// </summary>
    public async Task InsertAssessmentsAsync(DbSession s, IReadOnlyList<NewAssessment> assessments, IReadOnlyList<AssessmentDayRow> days)
    {
        await s.CopyRowsAsync(AssessmentRows, assessments);
        await s.CopyRowsAsync(DayRows, days);
    }

    /// <summary>Takes <paramref name="count"/> consecutive positions of the newest status list; null when they do not fit in it.</summary>
    public Task<StatusBlock?> TakeStatusPositionsAsync(DbSession s, int count) =>
        s.QuerySingleOrDefaultAsync<StatusBlock>(UpdateTakePositions, new { count = (long)count });

    /// <summary>Inserts certificates; returns the ids not inserted because their number was taken.</summary>
    public async Task<HashSet<Guid>> InsertCertificatesAsync(DbSession s, IReadOnlyList<NewCertificate> rows)
    {
        if (await s.InsertRowsAsync(CertificateSql.Rows, rows) == rows.Count) return [];
        var inserted = (await s.QueryInAsync<Guid, Guid>(SelectExistingCertificates, "ids", rows.Select(r => r.Id))).ToHashSet();
        return rows.Select(r => r.Id).Where(id => !inserted.Contains(id)).ToHashSet();
    }
}
