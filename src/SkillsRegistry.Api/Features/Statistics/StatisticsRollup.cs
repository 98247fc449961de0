using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// The daily roll-up the statistics read (0015_statistics_rollup.sql). Database triggers keep it exact in the writing
/// transaction; this recounts it from the base tables (the <c>statistics_facts</c> view) for a rebuild and for checks.
/// </summary>
public sealed class StatisticsRollup(Db db)
{
    private const string Columns = "measure, day, center_id, standard_id, gender, records, passed, record_key, passed_key";
    private const string TargetGroupColumns = "measure, day, center_id, standard_id, gender, target_group_code, records, passed, record_key, passed_key";

    private const string RecountDaily = """
        SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender, COUNT(*), SUM(f.passed), SUM(f.record_key), SUM(f.passed * f.record_key)
        FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id
        GROUP BY f.measure, f.day, f.center_id, f.standard_id, t.gender
        """;
    private const string RecountTargetGroups = """
        SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender, COALESCE(ttg.target_group_code, ''),
               COUNT(*), SUM(f.passed), SUM(f.record_key), SUM(f.passed * f.record_key)
        FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id LEFT JOIN trainee_target_groups ttg ON ttg.trainee_id = f.trainee_id
        GROUP BY f.measure, f.day, f.center_id, f.standard_id, t.gender, COALESCE(ttg.target_group_code, '')
        """;

    private const string DeleteDaily = "DELETE FROM statistics_daily";
    private const string DeleteTargetGroups = "DELETE FROM statistics_daily_target_groups";
    private const string InsertDaily = $"INSERT INTO statistics_daily ({Columns}) {RecountDaily}";
    private const string InsertTargetGroups = $"INSERT INTO statistics_daily_target_groups ({TargetGroupColumns}) {RecountTargetGroups}";

    private const string SelectStored = """
        SELECT measure AS Measure, day AS Day, center_id AS CenterId, standard_id AS StandardId, gender AS Gender, '*' AS TargetGroup,
               records AS Records, passed AS Passed, record_key AS RecordKey, passed_key AS PassedKey
        FROM statistics_daily
        UNION ALL
        SELECT measure, day, center_id, standard_id, gender, target_group_code, records, passed, record_key, passed_key
        FROM statistics_daily_target_groups
        """;
    private const string SelectRecount = """
        SELECT f.measure AS Measure, f.day AS Day, f.center_id AS CenterId, f.standard_id AS StandardId, t.gender AS Gender, '*' AS TargetGroup,
               COUNT(*) AS Records, SUM(f.passed) AS Passed, SUM(f.record_key) AS RecordKey, SUM(f.passed * f.record_key) AS PassedKey
        FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id
        GROUP BY f.measure, f.day, f.center_id, f.standard_id, t.gender
        UNION ALL
        SELECT f.measure, f.day, f.center_id, f.standard_id, t.gender, COALESCE(ttg.target_group_code, ''),
               COUNT(*), SUM(f.passed), SUM(f.record_key), SUM(f.passed * f.record_key)
        FROM statistics_facts f JOIN trainees t ON t.id = f.trainee_id LEFT JOIN trainee_target_groups ttg ON ttg.trainee_id = f.trainee_id
        GROUP BY f.measure, f.day, f.center_id, f.standard_id, t.gender, COALESCE(ttg.target_group_code, '')
        """;

    /// <summary>The statements of a rebuild, for progress counted in steps.</summary>
    public const int RebuildSteps = 4;

    /// <summary>
    /// Replaces the roll-up with a recount from the base tables, in one transaction (an interrupted rebuild leaves the
    /// roll-up as it was). Returns the rows written (both tables).
    /// </summary>
    public Task<int> RebuildAsync(CancellationToken ct, ProgressReporter? progress = null) => db.WriteAsync(async s =>
    {
        var rows = 0;
        foreach (var statement in (string[])[DeleteDaily, DeleteTargetGroups, InsertDaily, InsertTargetGroups])
        {
            var affected = await s.ExecuteAsync(statement);
            if (statement.StartsWith("INSERT", StringComparison.Ordinal)) rows += affected;
            progress?.Advance();
        }
        return rows;
    }, ct);

    /// <summary>Every roll-up row as stored (target group "*" = the table without target groups), in a fixed order.</summary>
    public Task<IReadOnlyList<RollupRow>> StoredAsync(CancellationToken ct) => db.ReadAsync(s => RowsAsync(s, SelectStored), ct);

    /// <summary>What the roll-up should hold, counted now from the base tables, in the same shape and order as <see cref="StoredAsync"/>.</summary>
    public Task<IReadOnlyList<RollupRow>> RecountAsync(CancellationToken ct) => db.ReadAsync(s => RowsAsync(s, SelectRecount), ct);

    private static async Task<IReadOnlyList<RollupRow>> RowsAsync(DbSession s, string sql) =>
        [.. (await s.QueryAsync<RollupLine>(sql))
            .Select(l => new RollupRow(l.Measure, l.Day, l.CenterId, l.StandardId, l.Gender, l.TargetGroup, l.Records, l.Passed, l.RecordKey, l.PassedKey))
            .OrderBy(r => r.ToString(), StringComparer.Ordinal)];

    private sealed class RollupLine
    {
        public string Measure { get; set; } = "";
        public DateOnly Day { get; set; }
        public Guid CenterId { get; set; }
        public Guid StandardId { get; set; }
        public string Gender { get; set; } = "";
        public string TargetGroup { get; set; } = "";
        public long Records { get; set; }
        public long Passed { get; set; }
        public long RecordKey { get; set; }
        public long PassedKey { get; set; }
    }
}

/// <summary>One cell of the roll-up: a day, center, standard, gender and target group ("*": all; "": none) and its sums.</summary>
public sealed record RollupRow(string Measure, DateOnly Day, Guid CenterId, Guid StandardId, string Gender, string TargetGroup,
    long Records, long Passed, long RecordKey, long PassedKey);
