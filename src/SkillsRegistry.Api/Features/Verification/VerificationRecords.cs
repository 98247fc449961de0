using System.Collections.Concurrent;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>
/// The registry's record for a number: from <see cref="VerificationCache"/>, else one read of <see cref="VerificationRepository"/>.
/// </summary>
public sealed class VerificationRecords(VerificationRepository repository, VerificationCache cache, RegistryMetrics metrics) : IVerificationRecordSource
{
    // Many certificates show the same standard and center: one shared object each instead of a copy per cached number.
    // What was just read always wins, so a changed standard or center replaces its shared object.
    private readonly ConcurrentDictionary<Guid, (VerifiedStandard Standard, CurrentEquivalent? Current)> standards = new();
    private readonly ConcurrentDictionary<Guid, VerifiedCenter> centers = new();

    /// <summary>The record for a normalised number, or null when the registry has none.</summary>
    public async Task<VerificationRecord?> FindAsync(string number, CancellationToken ct)
    {
        var hit = cache.TryGet(number, out var cached);
        metrics.VerificationCacheLookup(hit);
        if (hit) return cached;
        var stamp = cache.Stamp();
        var row = await repository.FindAsync(number, ct);
        if (row is null) return null;
        var record = ToRecord(row);
        cache.Add(record, stamp);
        return record;
    }

    public async Task<RecordPage> NewestAsync(string? before, int count, CancellationToken ct)
    {
        var rows = (await repository.ReadPageAsync(before, count, ct)).ToList();
        return new RecordPage(Cacheable(rows), rows.Count, rows.Count == 0 ? null : rows[^1].Number);
    }

    public async Task<IReadOnlyList<VerificationRecord>> FindManyAsync(IReadOnlyList<string> numbers, CancellationToken ct) =>
        Cacheable((await repository.ReadManyAsync(numbers, ct)).ToList());

    // A superseded standard's current equivalent needs its chain followed: left to the one-number read.
    private List<VerificationRecord> Cacheable(List<VerificationRow> rows) => rows.Where(r => r.StandardSupersededById is null).Select(ToRecord).ToList();

    private VerificationRecord ToRecord(VerificationRow r)
    {
        var (standard, current) = Shared(standards, r.StandardId, (
            new VerifiedStandard(r.StandardCode, r.StandardVersion, r.TitleFa, r.TitleEn, r.IscoCode, r.TheoryHours, r.PracticalHours),
            r.CurrentCode is null ? null : new CurrentEquivalent(r.CurrentCode, r.CurrentVersion ?? 0, r.CurrentTitleFa ?? "", r.CurrentTitleEn ?? "", r.CurrentEquivalent ?? false)));
        var center = Shared(centers, r.CenterId, new VerifiedCenter(r.CenterCode, r.CenterNameFa, r.CenterNameEn, r.ProvinceCode, r.Country));
        return new VerificationRecord
        {
            Number = r.Number,
            StoredStatus = r.Status switch
            {
                "valid" => CertificateStatus.Valid,
                "revoked" => CertificateStatus.Revoked,
                "superseded" => CertificateStatus.Superseded,
                var other => EnumText.Parse<CertificateStatus>(other),
            },
            IssuedOn = r.IssuedOn,
            ExpiresOn = r.ExpiresOn,
            PackedNames = VerificationRecord.PackNames(r.GivenNameFa, r.FamilyNameFa, r.GivenNameLatin, r.FamilyNameLatin),
            Standard = standard,
            CurrentStandard = current,
            Center = center,
            Assessor = AssessorOf(r),
            Revocation = r.RevokedAt is { } at ? new RecordedRevocation(EnumText.Parse<RevocationReason>(r.RevocationReasonCode!), at) : null,
            SupersededByNumber = r.SupersededByNumber,
        };
    }

    /// <summary>Role and home organisation only: equal values are one shared object in the cache's table.</summary>
    private static AssessorOnRecord AssessorOf(VerificationRow r) => r.AssessorRecord switch
    {
        "registered" => new AssessorOnRecord(
            r.AssessorRole is null ? AssessorStanding.NotCurrent : AssessorStanding.Current,
            r.AssessorRole is null ? null : EnumText.Parse<AssessorRole>(r.AssessorRole),
            r.AssessorHomeKind is null ? null : new VerifiedOrganisation(r.AssessorHomeKind, r.AssessorHomeNameFa ?? "", r.AssessorHomeNameEn ?? "")),
        "unregistered" => new AssessorOnRecord(AssessorStanding.Unregistered, null, null),
        _ => AssessorOnRecord.Legacy,
    };

    private static T Shared<T>(ConcurrentDictionary<Guid, T> shared, Guid id, T fresh)
    {
        if (shared.TryGetValue(id, out var known) && EqualityComparer<T>.Default.Equals(known, fresh)) return known;
        shared[id] = fresh;
        return fresh;
    }
}
