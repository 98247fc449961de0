using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.Status;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Telemetry;
using SkillsRegistry.Api.Infrastructure.Text;
using OutboxQueue = SkillsRegistry.Api.Infrastructure.Outbox.Outbox;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>
/// Issues a batch's certificates as <see cref="CertificateIssuer"/> issues one (each certificate, its event and its audit
/// record are <see cref="CertificateIssuer.Compose"/>'s), for all of them at once: a block of status positions, the records
/// (with their signatures) composed in parallel before the write, multi-row inserts, and a new draw only for numbers the
/// database already holds. The audit records are the caller's to write, in the order of its rows.
/// </summary>
public sealed class BatchCertificates(AssessmentBatchRepository batches, StatusListRepository statusLists, CertificateIssuer issuer, RegistryMetrics metrics)
{
    public async Task IssueAsync(DbSession s, BatchPlan batch, IReadOnlyList<PlannedCertificate> planned)
    {
        if (planned.Count == 0) return;
        var year = RegistryCalendar.SolarHijriYear(RegistryCalendar.DayOf(batch.Now));
        var region = CertificateNumber.RegionOf(batch.Center.ProvinceCode, batch.Center.Country);
        var entries = await AllocateAsync(s, planned.Count, batch);
        var issues = planned.Select(c => Issue(batch, c)).ToArray();
        var numbers = new string[planned.Count];
        var drawn = new HashSet<string>();
        var pending = Enumerable.Range(0, planned.Count).ToList();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt == CertificateIssuer.NumberAttempts) throw CertificateIssuer.NoFreeNumber(year, region);
            foreach (var i in pending)
            {
                do numbers[i] = CertificateNumber.Format(year, region, CertificateNumber.NewSerial());
                while (!drawn.Add(numbers[i]));
            }
            Parallel.ForEach(pending, i => planned[i].Record = issuer.Compose(issues[i], issues[i].Holder!, planned[i].Id, numbers[i], batch.Now, entries[i], batch.Caller));
            // The database's unique number decides: a number someone holds already is drawn again (and signed again).
            var lost = await batches.InsertCertificatesAsync(s, pending.Select(i => planned[i].Record!.Row).ToList());
            pending = pending.Where(i => lost.Contains(planned[i].Id)).ToList();
        }
        await OutboxQueue.EnqueueManyAsync(s, planned.Select(c => c.Record!.Event).ToList());
        s.AfterCommit(() => metrics.CertificatesIssued(planned.Count));
    }

    private static CertificateIssue Issue(BatchPlan batch, PlannedCertificate c)
    {
        var (holder, standard, assessment) = (c.Row.Trainee!, c.Row.Standard!, c.Row.Assessment!);
        return new CertificateIssue(assessment.Id, holder.Id, standard.Id, standard.Code, standard.Version, standard.Sector,
            batch.Center.Id, batch.Center.ProvinceCode, batch.Center.Country,
            assessment.TheoryScore, assessment.PracticalScore, assessment.ExamDate, standard.ValidityMonths,
            new HolderNames(holder.GivenNameFa, holder.FamilyNameFa, holder.GivenNameLatin, holder.FamilyNameLatin));
    }

    /// <summary>Status entries: a block of the newest list when it has room, otherwise one at a time (which opens new lists).</summary>
    private async Task<StatusListEntry[]> AllocateAsync(DbSession s, int count, BatchPlan batch)
    {
        var entries = new StatusListEntry[count];
        var next = 0;
        while (next < count)
        {
            if (await batches.TakeStatusPositionsAsync(s, count - next) is { } block)
            {
                for (var k = 0; next < count; k++) entries[next++] = new StatusListEntry(block.ListId, StatusIndexPermutation.Apply((int)(block.First + k), block.IndexKey));
                break;
            }
            entries[next++] = await statusLists.AllocateAsync(s, batch.Now);
        }
        return entries;
    }
}
