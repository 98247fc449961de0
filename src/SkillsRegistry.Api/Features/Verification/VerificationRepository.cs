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
}

/// <summary>Reads a certificate for verification in one statement: the certificate, its standard, center, replacement and the standard's current equivalent.</summary>
public sealed class VerificationRepository(Db db)
{
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
        SELECT {CertificateSql.Columns},
               cv.code AS CurrentCode, cv.version AS CurrentVersion, cv.title_fa AS CurrentTitleFa, cv.title_en AS CurrentTitleEn,
               cv.equivalent AS CurrentEquivalent
        {CertificateSql.From}
        LEFT JOIN current_version cv ON 1 = 1
        WHERE c.number = @number
        """;

    /// <summary>The row for a normalised number, or null when the registry has none.</summary>
    internal Task<VerificationRow?> FindAsync(string number, CancellationToken ct) =>
        db.ReadAsync(s => s.QuerySingleOrDefaultAsync<VerificationRow>(SelectByNumber, new { number, no = false }), ct);
}
