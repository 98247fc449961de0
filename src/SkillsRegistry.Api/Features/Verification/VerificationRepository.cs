using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>A certificate row (<see cref="CertificateSql"/>) with the current equivalent of its standard, when it was superseded.</summary>
internal sealed record VerificationRow : CertificateRow
{
    public string? CurrentCode { get; init; }
    public int? CurrentVersion { get; init; }
    public string? CurrentTitleFa { get; init; }
    public string? CurrentTitleEn { get; init; }
    public bool? CurrentEquivalent { get; init; }
    /// <summary>The strongest assessor qualification of the registered assessor in force on the exam date, if any.</summary>
    public string? AssessorRole { get; init; }
    public string? AssessorHomeKind { get; init; }
    public string? AssessorHomeNameFa { get; init; }
    public string? AssessorHomeNameEn { get; init; }
    /// <summary>Set by page reads only: the standard was superseded, so the current equivalent was not looked up.</summary>
    public Guid? StandardSupersededById { get; init; }
}

/// <summary>Reads a certificate for verification in one statement: the certificate, its standard, center, replacement and the standard's current equivalent.</summary>
public sealed class VerificationRepository(Db db)
{
    // What an answer shows, nothing more: scores, tokens and identifiers stay in the table.
    private const string Columns = """
        c.number AS Number, c.status AS Status,
               c.holder_given_name_fa AS GivenNameFa, c.holder_family_name_fa AS FamilyNameFa,
               c.holder_given_name_latin AS GivenNameLatin, c.holder_family_name_latin AS FamilyNameLatin,
               s.id AS StandardId, s.code AS StandardCode, s.version AS StandardVersion, s.title_fa AS TitleFa, s.title_en AS TitleEn,
               s.isco_code AS IscoCode, s.theory_hours AS TheoryHours, s.practical_hours AS PracticalHours,
               t.id AS CenterId, t.code AS CenterCode, t.name_fa AS CenterNameFa, t.name_en AS CenterNameEn,
               t.province_code AS ProvinceCode, t.country AS Country,
               c.issued_on AS IssuedOn, c.expires_on AS ExpiresOn,
               c.revocation_reason_code AS RevocationReasonCode, c.revoked_at AS RevokedAt, n.number AS SupersededByNumber,
               ca.assessor_record AS AssessorRecord,
               CASE WHEN cp.home_partner_id IS NOT NULL THEN 'partner' WHEN cp.home_center_id IS NOT NULL THEN 'center' END AS AssessorHomeKind,
               COALESCE(hc.name_fa, hp.name_fa) AS AssessorHomeNameFa, COALESCE(hc.name_en, hp.name_en) AS AssessorHomeNameEn,
               (SELECT MAX(q.kind) FROM practitioner_qualifications q
                WHERE q.practitioner_id = cp.id AND q.standard_code = s.code AND q.kind IN ('assessor', 'lead-assessor')
                  AND q.valid_from <= c.exam_date AND (q.valid_to IS NULL OR q.valid_to >= c.exam_date)
                  AND (q.withdrawn_from IS NULL OR q.withdrawn_from > c.exam_date)) AS AssessorRole
        """;

    // The registered assessor's home organisation (its name only: the person stays out of the answer).
    private const string AssessorJoins = """
        LEFT JOIN training_centers hc ON hc.id = cp.home_center_id
        LEFT JOIN partner_agencies hp ON hp.id = cp.home_partner_id
        """;

    // Newest numbers first (the year leads the number): what is loaded first is what is most likely asked. The page is cut
    // from the number index first, then joined: left to itself SQLite starts from the standard and sorts the whole table for
    // every page. Two texts, because SQLite cannot use an index through "@before IS NULL OR ...".
    private const string PageColumns = Columns + ", s.superseded_by_id AS StandardSupersededById";
    private const string PageJoins = CertificateSql.Joins + "\n" + AssessorJoins + "\nORDER BY c.number DESC";
    private const string SelectFirstPage = $"""
        SELECT {PageColumns}
        FROM (SELECT * FROM certificates ORDER BY number DESC LIMIT @count) c
        {PageJoins}
        """;
    private const string SelectNextPage = $"""
        SELECT {PageColumns}
        FROM (SELECT * FROM certificates WHERE number < @before ORDER BY number DESC LIMIT @count) c
        {PageJoins}
        """;
    private const string SelectMany = $"""
        SELECT {PageColumns}
        FROM (SELECT * FROM certificates WHERE number IN @numbers) c
        {PageJoins}
        """;

    // The supersession chain is followed only for a standard that was superseded; equivalent only if every hop was marked so.
    private const string SelectByNumber = $"""
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
        SELECT {Columns},
               cv.code AS CurrentCode, cv.version AS CurrentVersion, cv.title_fa AS CurrentTitleFa, cv.title_en AS CurrentTitleEn,
               cv.equivalent AS CurrentEquivalent
        {CertificateSql.From}
        {AssessorJoins}
        LEFT JOIN current_version cv ON 1 = 1
        WHERE c.number = @number
        """;

    /// <summary>
    /// The row for a normalised number, or null when the registry has none. Read on a replica; a number the replica does not
    /// have is asked of the primary, so a certificate issued a moment ago is never "not found" because a replica lags.
    /// </summary>
    internal async Task<VerificationRow?> FindAsync(string number, CancellationToken ct) =>
        await db.ReadReplicaAsync(s => FindAsync(s, number), ct) ?? await db.ReadAsync(s => FindAsync(s, number), ct);

    private static Task<VerificationRow?> FindAsync(DbSession s, string number) =>
        s.QuerySingleOrDefaultAsync<VerificationRow>(SelectByNumber, new { number, no = false });

    /// <summary>
    /// Up to <paramref name="count"/> certificates numbered below <paramref name="before"/> (all when null), highest first; rows
    /// of a superseded standard lack their current equivalent (see <see cref="VerificationRow.StandardSupersededById"/>).
    /// </summary>
    internal Task<IEnumerable<VerificationRow>> ReadPageAsync(string? before, int count, CancellationToken ct) =>
        db.ReadReplicaAsync(s => s.QueryAsync<VerificationRow>(before is null ? SelectFirstPage : SelectNextPage, new { before, count }), ct);

    /// <summary>The rows of those of <paramref name="numbers"/> the registry has (a few thousand at most), like <see cref="ReadPageAsync"/>'s.</summary>
    internal Task<IEnumerable<VerificationRow>> ReadManyAsync(IReadOnlyList<string> numbers, CancellationToken ct) =>
        db.ReadReplicaAsync(s => s.QueryInAsync<VerificationRow, string>(SelectMany, "numbers", numbers), ct);
}
