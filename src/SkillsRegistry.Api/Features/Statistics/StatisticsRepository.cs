using System.Collections.Concurrent;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// Grouped counts of certificates and assessments: one aggregate query per request over the daily roll-up
/// (statistics_daily, or statistics_daily_target_groups when grouped by target group; see 0015_statistics_rollup.sql),
/// never over the base tables. The statement is put together from the constant fragments below only (a whitelist: group
/// name → SQL expression); every value a caller sends is a parameter.
/// </summary>
public sealed class StatisticsRepository(Db db)
{
    // The roll-up is first summed per center and standard (and the grouping columns the roll-up holds itself), so the joins
    // below see a few rows per center and standard instead of one per day. Date filters are separate statement texts:
    // SQLite cannot use the primary key's day range through (@From IS NULL OR day >= @From).
    private const string SelectRollup = """
        SELECT r.center_id, r.standard_id{0}, SUM(r.records) AS records, SUM(r.passed) AS passed,
               SUM(r.record_key) AS record_key, SUM(r.passed_key) AS passed_key
        FROM {1} r
        {2}
        WHERE r.measure = '{3}'{4}
        GROUP BY r.center_id, r.standard_id{5}
        """;
    private const string FromFilter = " AND r.day >= @From";
    private const string ToFilter = " AND r.day <= @To";

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

    /// <summary>
    /// The whitelist: each group's key expression over the summed roll-up f, its names and the join they need, and the
    /// column (with its expression over the roll-up r and the join that needs) the inner sum keeps for it, if any.
    /// </summary>
    private sealed record GroupSql(string Key, string NameEn, string NameFa, string Join, string? Column = null, string? Expression = null,
        string RollupJoin = "");

    private static GroupSql For(StatisticsGroup group, SqlDialect dialect) => group switch
    {
        StatisticsGroup.Province => new("tc.province_code", "MIN(pr.name_en)", "MIN(pr.name_fa)", "LEFT JOIN provinces pr ON pr.code = tc.province_code"),
        StatisticsGroup.Center => new("tc.code", "MIN(tc.name_en)", "MIN(tc.name_fa)", ""),
        StatisticsGroup.Standard => new("s.code", "MIN(s.title_en)", "MIN(s.title_fa)", ""),
        StatisticsGroup.Sector => new("s.sector_code", "MIN(sec.name_en)", "MIN(sec.name_fa)", "JOIN sectors sec ON sec.code = s.sector_code"),
        // A trainee in several target groups counts once in each of them ('' in the roll-up: in none).
        StatisticsGroup.TargetGroup => new("f.target_group", "MIN(tg.name_en)", "MIN(tg.name_fa)", "LEFT JOIN target_groups tg ON tg.code = f.target_group",
            "target_group", "NULLIF(r.target_group_code, '')"),
        StatisticsGroup.Gender => new("f.gender", NoName, NoName, "", "gender", "r.gender"),
        StatisticsGroup.Month => new("f.month", NoName, NoName, "", "month", dialect.MonthOf("r.day")),
        StatisticsGroup.SolarYear => new("f.solar_year", NoName, NoName, "", "solar_year", "CAST(shy.year AS TEXT)",
            "LEFT JOIN solar_hijri_years shy ON r.day >= shy.starts_on AND r.day <= shy.ends_on"),
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, null),
    };

    private static readonly ConcurrentDictionary<(StatisticsMeasure, StatisticsGroup, StatisticsGroup?, bool, bool, SqlDialect), string> Statements = new();

    /// <summary>
    /// The statement for a measure, one or two groups and the date bounds given (a text each: with and without from / to),
    /// composed once from the constants above and cached.
    /// </summary>
    internal static string SelectCounts(StatisticsMeasure measure, IReadOnlyList<StatisticsGroup> groups, bool hasFrom, bool hasTo, SqlDialect dialect) =>
        Statements.GetOrAdd((measure, groups[0], groups.Count > 1 ? groups[1] : null, hasFrom, hasTo, dialect), key =>
        {
            var first = For(key.Item2, dialect);
            var second = key.Item3 is { } g2 ? For(g2, dialect) : null;
            var inner = new[] { first, second }.Where(g => g?.Column is not null).Select(g => g!).ToList();
            var table = key.Item2 == StatisticsGroup.TargetGroup || key.Item3 == StatisticsGroup.TargetGroup
                ? "statistics_daily_target_groups" : "statistics_daily";
            var facts = string.Format(System.Globalization.CultureInfo.InvariantCulture, SelectRollup,
                string.Concat(inner.Select(g => $", {g.Expression} AS {g.Column}")),
                table,
                string.Join("\n", inner.Select(g => g.RollupJoin).Where(j => j.Length > 0)),
                measure == StatisticsMeasure.Certificates ? "certificates" : "assessments",
                (hasFrom ? FromFilter : "") + (hasTo ? ToFilter : ""),
                string.Concat(inner.Select(g => $", {g.Expression}")));
            var select2 = second is null ? "NULL AS Key2, NULL AS NameEn2, NULL AS NameFa2"
                : $"{second.Key} AS Key2, {second.NameEn} AS NameEn2, {second.NameFa} AS NameFa2";
            var keys = second is null ? first.Key : $"{first.Key}, {second.Key}";
            return $"""
                SELECT {first.Key} AS Key1, {first.NameEn} AS NameEn1, {first.NameFa} AS NameFa1, {select2},
                       CAST(SUM(f.records) AS BIGINT) AS Count, CAST(SUM(f.passed) AS BIGINT) AS Passed,
                       CAST(SUM(f.record_key) AS BIGINT) AS CountKey, CAST(SUM(f.passed_key) AS BIGINT) AS PassedKey
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
        db.ReadReplicaAsync(s => CountAsync(s, query, visibility), ct);

    /// <summary>Exact grouped counts (suppression is the caller's decision), ordered by the group keys.</summary>
    public static async Task<IReadOnlyList<StatisticsCell>> CountAsync(DbSession session, StatisticsQuery query, StatisticsVisibility visibility)
    {
        var sql = SelectCounts(query.Measure, query.GroupBy, query.From is not null, query.To is not null, session.Dialect);
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
