using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Certificates.Status;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Data;
using OutboxQueue = SkillsRegistry.Api.Infrastructure.Outbox.Outbox;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>
/// Issues a batch's certificates as <see cref="CertificateIssuer"/> issues one (numbered, snapshotted, signed, status entry,
/// certificate.issued event, audited), for all of them at once: a block of status positions, the signatures computed in
/// parallel before the write, multi-row inserts, and a new draw only for numbers the database already holds.
/// </summary>
public sealed class BatchCertificates(AssessmentBatchRepository batches, StatusListRepository statusLists, CertificateToken tokens, RegistryMetrics metrics)
{
    /// <summary>Random serials collide about once per 10,000 issues in a busy region; more misses than this is a fault.</summary>
    private const int NumberAttempts = 8;

    public async Task IssueAsync(DbSession s, BatchPlan batch, IReadOnlyList<PlannedCertificate> planned)
    {
        if (planned.Count == 0) return;
        var issuedOn = RegistryCalendar.DayOf(batch.Now);
        var year = RegistryCalendar.SolarHijriYear(issuedOn);
        var region = CertificateNumber.RegionOf(batch.Center.ProvinceCode, batch.Center.Country);
        var entries = await AllocateAsync(s, planned.Count, batch);
        var rows = new NewCertificate[planned.Count];
        var drawn = new HashSet<string>();
        var pending = Enumerable.Range(0, planned.Count).ToList();
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            if (attempt == NumberAttempts) throw new InvalidOperationException($"No free certificate number in {year}-{region} after {NumberAttempts} random draws.");
            foreach (var i in pending)
            {
                string number;
                do number = CertificateNumber.Format(year, region, CertificateNumber.NewSerial());
                while (!drawn.Add(number));
                planned[i].Number = number;
                planned[i].IssuedOn = issuedOn;
                planned[i].ExpiresOn = planned[i].Row.Standard!.ValidityMonths is { } months ? issuedOn.AddMonths(months) : null;
            }
            Parallel.ForEach(pending, i => rows[i] = Row(batch, planned[i], entries[i]));
            // The database's unique number decides: a number someone holds already is drawn again (and signed again).
            var lost = await batches.InsertCertificatesAsync(s, pending.Select(i => rows[i]).ToList());
            pending = pending.Where(i => lost.Contains(rows[i].Id)).ToList();
        }
        await OutboxQueue.EnqueueManyAsync(s, planned.Select(c => new OutboxQueue.Pending(
            WebhookEventTypes.CertificateIssued, batch.Now, EventData(batch, c), batch.Center.Id, c.Row.Standard!.Sector)).ToList());
        s.AfterCommit(() => metrics.CertificatesIssued(planned.Count));
    }

    private NewCertificate Row(BatchPlan batch, PlannedCertificate c, StatusListEntry status)
    {
        var (holder, standard, assessment) = (c.Row.Trainee!, c.Row.Standard!, c.Row.Assessment!);
        var token = tokens.Sign(new CertificateClaims(c.Number,
            $"{holder.GivenNameFa} {holder.FamilyNameFa}", $"{holder.GivenNameLatin} {holder.FamilyNameLatin}", standard.Code,
            CertificateClaims.Date(c.IssuedOn), CertificateClaims.Date(c.ExpiresOn), status.ListId, status.Index));
        return new NewCertificate(c.Id, c.Number, assessment.Id, holder.Id, standard.Id, batch.Center.Id,
            holder.GivenNameFa, holder.FamilyNameFa, holder.GivenNameLatin, holder.FamilyNameLatin,
            assessment.TheoryScore, assessment.PracticalScore, assessment.ExamDate, c.IssuedOn, batch.Now, c.ExpiresOn,
            Replaces: null, CorrectionReason: null, token, batch.Caller.KeyId, status.ListId, status.Index);
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

    /// <summary>The certificate.issued data, as <see cref="WebhookEvents.CertificateAsync"/> reads it back for a new certificate.</summary>
    private static CertificateEventData EventData(BatchPlan batch, PlannedCertificate c)
    {
        var standard = c.Row.Standard!;
        return new CertificateEventData(c.Id, c.Number, CertificateStatus.Valid, new CertificateEventCenter(batch.Center.Id),
            new CertificateEventStandard(standard.Id, standard.Code, standard.Version, standard.Sector), c.IssuedOn, c.ExpiresOn,
            null, null, null, null);
    }

    public static AuditEntry IssueAudit(BatchPlan batch, PlannedCertificate c) =>
        new(batch.Caller, "issue", "certificate", c.Id.ToString(), new
        {
            number = c.Number, AssessmentId = c.Row.Assessment!.Id, StandardId = c.Row.Standard!.Id, CenterId = batch.Center.Id,
            issuedOn = c.IssuedOn, expiresOn = c.ExpiresOn, replaces = (Guid?)null, CorrectionReason = (string?)null,
        });
}
