using System.Collections.Concurrent;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>
/// The registry's record for a number: from <see cref="VerificationCache"/>, else one statement (the certificate, its
/// standard, center, replacement's number and the standard's current equivalent together).
/// </summary>
public sealed class VerificationRecords(Db db, VerificationCache cache)
{
    private sealed record Row
    {
        public string Number { get; init; } = "";
        public string Status { get; init; } = "";
        public DateOnly IssuedOn { get; init; }
        public DateOnly? ExpiresOn { get; init; }
        public string GivenNameFa { get; init; } = "";
        public string FamilyNameFa { get; init; } = "";
        public string GivenNameLatin { get; init; } = "";
        public string FamilyNameLatin { get; init; } = "";
        public Guid StandardId { get; init; }
        public string StandardCode { get; init; } = "";
        public int StandardVersion { get; init; }
        public string TitleFa { get; init; } = "";
        public string TitleEn { get; init; } = "";
        public string IscoCode { get; init; } = "";
        public int TheoryHours { get; init; }
        public int PracticalHours { get; init; }
        public Guid CenterId { get; init; }
        public string CenterCode { get; init; } = "";
        public string CenterNameFa { get; init; } = "";
        public string CenterNameEn { get; init; } = "";
        public string? ProvinceCode { get; init; }
        public string Country { get; init; } = "";
        public string? RevocationReasonCode { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public string? SupersededByNumber { get; init; }
        public string? CurrentCode { get; init; }
        public int? CurrentVersion { get; init; }
        public string? CurrentTitleFa { get; init; }
        public string? CurrentTitleEn { get; init; }
        public bool? CurrentEquivalent { get; init; }
    }

    // The supersession chain is followed only for a standard that was superseded; equivalent only if every hop was marked so.
    private const string SelectByNumber = """
        WITH RECURSIVE chain (id, next_id, equivalent, depth) AS (
            SELECT s.id, s.superseded_by_id, s.supersession_equivalent, 0
            FROM certificates c JOIN standards s ON s.id = c.standard_id
            WHERE c.number = @number AND s.superseded_by_id IS NOT NULL
            UNION ALL
            SELECT s.id, s.superseded_by_id, s.supersession_equivalent, chain.depth + 1
            FROM standards s JOIN chain ON s.id = chain.next_id
            WHERE chain.depth < 20
        ),
        current_version AS (
            SELECT s.code, s.version, s.title_fa, s.title_en,
                   (SELECT COUNT(*) FROM chain WHERE next_id IS NOT NULL AND (equivalent IS NULL OR equivalent = @no)) = 0 AS equivalent
            FROM chain JOIN standards s ON s.id = chain.id
            WHERE chain.next_id IS NULL AND chain.depth > 0
        )
        SELECT c.number AS Number, c.status AS Status, c.issued_on AS IssuedOn, c.expires_on AS ExpiresOn,
               c.holder_given_name_fa AS GivenNameFa, c.holder_family_name_fa AS FamilyNameFa,
               c.holder_given_name_latin AS GivenNameLatin, c.holder_family_name_latin AS FamilyNameLatin,
               s.id AS StandardId, s.code AS StandardCode, s.version AS StandardVersion, s.title_fa AS TitleFa, s.title_en AS TitleEn,
               s.isco_code AS IscoCode, s.theory_hours AS TheoryHours, s.practical_hours AS PracticalHours,
               t.id AS CenterId, t.code AS CenterCode, t.name_fa AS CenterNameFa, t.name_en AS CenterNameEn,
               t.province_code AS ProvinceCode, t.country AS Country,
               c.revocation_reason_code AS RevocationReasonCode, c.revoked_at AS RevokedAt, n.number AS SupersededByNumber,
               cv.code AS CurrentCode, cv.version AS CurrentVersion, cv.title_fa AS CurrentTitleFa, cv.title_en AS CurrentTitleEn,
               cv.equivalent AS CurrentEquivalent
        FROM certificates c
        JOIN standards s ON s.id = c.standard_id
        JOIN training_centers t ON t.id = c.center_id
        LEFT JOIN certificates n ON n.id = c.superseded_by_id
        LEFT JOIN current_version cv ON 1 = 1
        WHERE c.number = @number
        """;

    // Many certificates show the same standard and center: one shared object each instead of a copy per cached number.
    // What was just read always wins, so a changed standard or center replaces its shared object.
    private readonly ConcurrentDictionary<Guid, (VerifiedStandard Standard, CurrentEquivalent? Current)> standards = new();
    private readonly ConcurrentDictionary<Guid, VerifiedCenter> centers = new();

    /// <summary>The record for a normalised number, or null when the registry has none.</summary>
    public async Task<VerificationRecord?> FindAsync(string number, CancellationToken ct)
    {
        if (cache.TryGet(number, out var cached)) return cached;
        var stamp = cache.Stamp();
        var row = await db.ReadAsync(s => s.QuerySingleOrDefaultAsync<Row>(SelectByNumber, new { number, no = false }), ct);
        if (row is null) return null;
        var record = ToRecord(row);
        cache.Add(record, stamp);
        return record;
    }

    private VerificationRecord ToRecord(Row r)
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
            Revocation = r.RevokedAt is { } at ? new RecordedRevocation(EnumText.Parse<RevocationReason>(r.RevocationReasonCode!), at) : null,
            SupersededByNumber = r.SupersededByNumber,
        };
    }

    private static T Shared<T>(ConcurrentDictionary<Guid, T> shared, Guid id, T fresh)
    {
        if (shared.TryGetValue(id, out var known) && EqualityComparer<T>.Default.Equals(known, fresh)) return known;
        shared[id] = fresh;
        return fresh;
    }
}
