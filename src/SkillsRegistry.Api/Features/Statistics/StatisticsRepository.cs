using System.Collections.Concurrent;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// Grouped counts of certificates and assessments: one aggregate query per request, grouped in the database.
/// The statement is put together from the constant fragments below only (a whitelist: group name → SQL expression);
/// every value a caller sends is a parameter.
/// </summary>
public sealed class StatisticsRepository(Db db)
{
    // One row per counted event, with the same column names for both measures so the group expressions are shared.
    // Voided assessments are not counted; certificates count originals only (a correction replaces, it does not add).
    // record_key: a random byte of the row's id, summed per cell so the published rounding depends on which records are in it.
    private const string SelectAssessmentFacts = """
        SELECT center_id, standard_id, trainee_id, exam_date AS day, CASE WHEN outcome = 'passed' THEN 1 ELSE 0 END AS passed,
               {0} AS record_key
        FROM assessments
        WHERE status = 'recorded' AND (@From IS NULL OR exam_date >= @From) AND (@To IS NULL OR exam_date <= @To)
        """;
    private const string SelectCertificateFacts = """
        SELECT center_id, standard_id, trainee_id, issued_on AS day, 1 AS passed, {0} AS record_key
        FROM certificates
        WHERE replaces_certificate_id IS NULL AND (@From IS NULL OR issued_on >= @From) AND (@To IS NULL OR issued_on <= @To)
        """;

    private const string FactJoins = """
        JOIN training_centers tc ON tc.id = f.center_id
        JOIN standards s ON s.id = f.standard_id
        """;

    // Filters and what the key may see. A center's province scope is resolved in the same statement.
    private const string SelectWhere = """
        WHERE (@Sector IS NULL OR s.sector_code = @Sector)
          AND (@Province IS NULL OR tc.province_code = @Province)
          AND (@CenterKind IS NULL OR tc.kind = @CenterKind)
          AND (@CenterId IS NULL OR f.center_id = @CenterId)
          AND (@ProvinceOfCenterId IS NULL OR tc.province_code = (SELECT own.province_code FROM training_centers own WHERE own.id = @ProvinceOfCenterId))
          AND (@PartnerId IS NULL OR s.sector_code IN (SELECT ps.sector_code FROM partner_sectors ps WHERE ps.partner_id = @PartnerId))
        """;

    private const string NoName = "NULL";

    /// <summary>The whitelist: each group's key expression, its names, and the join it needs.</summary>
    private sealed record GroupSql(string Key, string NameEn, string NameFa, string Join);

    private static GroupSql For(StatisticsGroup group, DatabaseProvider provider) => group switch
    {
        StatisticsGroup.Province => new("tc.province_code", "MIN(pr.name_en)", "MIN(pr.name_fa)", "LEFT JOIN provinces pr ON pr.code = tc.province_code"),
        StatisticsGroup.Center => new("tc.code", "MIN(tc.name_en)", "MIN(tc.name_fa)", ""),
        StatisticsGroup.Standard => new("s.code", "MIN(s.title_en)", "MIN(s.title_fa)", ""),
        StatisticsGroup.Sector => new("s.sector_code", "MIN(sec.name_en)", "MIN(sec.name_fa)", "JOIN sectors sec ON sec.code = s.sector_code"),
        // A trainee in several target groups counts once in each of them.
        StatisticsGroup.TargetGroup => new("ttg.target_group_code", "MIN(tg.name_en)", "MIN(tg.name_fa)",
            "LEFT JOIN trainee_target_groups ttg ON ttg.trainee_id = f.trainee_id LEFT JOIN target_groups tg ON tg.code = ttg.target_group_code"),
        StatisticsGroup.Gender => new("t.gender", NoName, NoName, "JOIN trainees t ON t.id = f.trainee_id"),
        StatisticsGroup.Month => new(SqlDialect.For(provider).MonthOf("f.day"), NoName, NoName, ""),
        StatisticsGroup.SolarYear => new("CAST(shy.year AS TEXT)", NoName, NoName,
            "LEFT JOIN solar_hijri_years shy ON f.day >= shy.starts_on AND f.day <= shy.ends_on"),
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, null),
    };

    private static readonly ConcurrentDictionary<(StatisticsMeasure, StatisticsGroup, StatisticsGroup?, DatabaseProvider), string> Statements = new();

    /// <summary>The statement for a measure and one or two groups, composed once from the constants above and cached.</summary>
    internal static string SelectCounts(StatisticsMeasure measure, IReadOnlyList<StatisticsGroup> groups, DatabaseProvider provider) =>
        Statements.GetOrAdd((measure, groups[0], groups.Count > 1 ? groups[1] : null, provider), key =>
        {
            var first = For(key.Item2, provider);
            var second = key.Item3 is { } g2 ? For(g2, provider) : null;
            var facts = string.Format(System.Globalization.CultureInfo.InvariantCulture,
                measure == StatisticsMeasure.Certificates ? SelectCertificateFacts : SelectAssessmentFacts, SqlDialect.For(provider).RandomByteOf("id"));
            var select2 = second is null ? "NULL AS Key2, NULL AS NameEn2, NULL AS NameFa2"
                : $"{second.Key} AS Key2, {second.NameEn} AS NameEn2, {second.NameFa} AS NameFa2";
            var keys = second is null ? first.Key : $"{first.Key}, {second.Key}";
            return $"""
                SELECT {first.Key} AS Key1, {first.NameEn} AS NameEn1, {first.NameFa} AS NameFa1, {select2},
                       COUNT(*) AS Count, SUM(f.passed) AS Passed, SUM(f.record_key) AS CountKey, SUM(f.passed * f.record_key) AS PassedKey
                FROM ({facts}) f
                {FactJoins}
                {first.Join}
                {second?.Join}
                {SelectWhere}
                GROUP BY {keys}
                ORDER BY {keys}
                """;
        });

    private sealed class CellRow
    {
        public string? Key1 { get; set; }
        public string? NameEn1 { get; set; }
        public string? NameFa1 { get; set; }
        public string? Key2 { get; set; }
        public string? NameEn2 { get; set; }
        public string? NameFa2 { get; set; }
        public long Count { get; set; }
        public long Passed { get; set; }
        public long CountKey { get; set; }
        public long PassedKey { get; set; }
    }

    public Task<IReadOnlyList<StatisticsCell>> CountAsync(StatisticsQuery query, StatisticsVisibility visibility, CancellationToken ct) =>
        db.ReadAsync(s => CountAsync(s, query, visibility), ct);

    /// <summary>Exact grouped counts (suppression is the caller's decision), ordered by the group keys.</summary>
    public static async Task<IReadOnlyList<StatisticsCell>> CountAsync(DbSession session, StatisticsQuery query, StatisticsVisibility visibility)
    {
        var sql = SelectCounts(query.Measure, query.GroupBy, session.Dialect.Provider);
        var rows = await session.QueryAsync<CellRow>(sql, new
        {
            query.From, query.To, query.Sector, query.Province, query.CenterKind,
            visibility.CenterId, visibility.ProvinceOfCenterId, visibility.PartnerId,
        });
        return rows.Select(r =>
        {
            var groups = new List<StatisticsGroupValue> { GroupNames.Name(query.GroupBy[0], r.Key1, r.NameEn1, r.NameFa1) };
            if (query.GroupBy.Count > 1) groups.Add(GroupNames.Name(query.GroupBy[1], r.Key2, r.NameEn2, r.NameFa2));
            return new StatisticsCell([.. groups], (int)r.Count, (int)r.Passed, r.CountKey, r.PassedKey);
        }).ToList();
    }
}

/// <summary>Names for group values the database has no table for (gender, month, year) or has no row for.</summary>
public static class GroupNames
{
    public static StatisticsGroupValue Name(StatisticsGroup by, string? value, string? nameEn, string? nameFa) => (by, value) switch
    {
        (StatisticsGroup.Gender, "female") => new(by, value, "Female", "زن"),
        (StatisticsGroup.Gender, "male") => new(by, value, "Male", "مرد"),
        (StatisticsGroup.Month or StatisticsGroup.SolarYear, { } v) => new(by, v, v, PersianDigits(v)),
        (StatisticsGroup.Province, null) => new(by, null, "Outside Iran", "خارج از کشور"),
        (StatisticsGroup.TargetGroup, null) => new(by, null, "No target group", "بدون گروه هدف"),
        (_, null) => new(by, null, "Unknown", "نامشخص"),
        _ => new(by, value, nameEn, nameFa),
    };

    public static string PersianDigits(string text) => string.Concat(text.Select(c => c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c));
}
