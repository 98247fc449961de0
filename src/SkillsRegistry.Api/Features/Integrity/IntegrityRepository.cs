using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Integrity;

/// <summary>
/// The aggregates the integrity signals are computed from (grouped in the database), and the ids of the assessments a
/// signal points to. Only recorded (not voided) assessments count. Where SQLite and PostgreSQL differ (month of a date,
/// day of a timestamp, days between two dates) a statement is composed with the dialect's fragment.
/// </summary>
public sealed class IntegrityRepository(Db db)
{
    private const string RecordedJoins = """
        FROM assessments a
        JOIN standards s ON s.id = a.standard_id
        JOIN training_centers tc ON tc.id = a.center_id
        """;
    private const string InPeriod = "(@From IS NULL OR a.exam_date >= @From) AND (@To IS NULL OR a.exam_date <= @To)";
    private const string Recorded = $"{RecordedJoins} WHERE a.status = 'recorded' AND {InPeriod}";
    private const string CenterColumns = "a.center_id AS CenterId, tc.code AS CenterCode, tc.name_fa AS CenterNameFa, tc.name_en AS CenterNameEn";
    private const string CenterGroup = "a.center_id, tc.code, tc.name_fa, tc.name_en";

    // 1. Results and passes per center, standard code and month (months are pooled into windows in C#).
    private static string SelectPassRateCells(SqlDialect d) => $"""
        SELECT {CenterColumns}, s.code AS StandardCode, {d.MonthOf("a.exam_date")} AS Month, COUNT(*) AS Results,
               SUM(CASE WHEN a.outcome = 'passed' THEN 1 ELSE 0 END) AS Passed
        {Recorded}
        GROUP BY {CenterGroup}, s.code, {d.MonthOf("a.exam_date")}
        """;
    // The same per registered assessor (the result's assessor, not the second one): peers are the other registered assessors.
    private static string SelectAssessorPassRateCells(SqlDialect d) => $"""
        SELECT {CenterColumns}, s.code AS StandardCode, {d.MonthOf("a.exam_date")} AS Month, COUNT(*) AS Results,
               SUM(CASE WHEN a.outcome = 'passed' THEN 1 ELSE 0 END) AS Passed,
               a.assessor_practitioner_id AS AssessorId, p.code AS AssessorCode, {PersonName} AS AssessorName
        {RecordedJoins}
        JOIN practitioners p ON p.id = a.assessor_practitioner_id
        JOIN trainees t ON t.id = p.person_id
        WHERE a.status = 'recorded' AND {InPeriod}
        GROUP BY {CenterGroup}, s.code, {d.MonthOf("a.exam_date")}, a.assessor_practitioner_id, p.code, t.given_name_latin, t.family_name_latin
        """;
    private const string PersonName = "t.given_name_latin || ' ' || t.family_name_latin";
    // A center's results, or (with @AssessorId) a registered assessor's at every center.
    private const string SelectPassRateIds = $"""
        SELECT a.id AS Id, COUNT(*) OVER () AS Total
        {Recorded} AND s.code = @StandardCode AND a.exam_date >= @PeriodFrom AND a.exam_date <= @PeriodTo
          AND ((@AssessorId IS NULL AND a.center_id = @CenterId) OR a.assessor_practitioner_id = @AssessorId)
        ORDER BY a.exam_date, a.id LIMIT @Limit
        """;

    // 2. Scores exactly at the pass mark and just below it, per center and standard code, theory and practical apart.
    private const string SelectHeapingCells = $"""
        SELECT {CenterColumns}, s.code AS StandardCode, MIN(a.exam_date) AS FirstExam, MAX(a.exam_date) AS LastExam,
               MIN(s.theory_pass_mark) AS TheoryPassMark, MIN(s.practical_pass_mark) AS PracticalPassMark,
               SUM(CASE WHEN a.theory_score = s.theory_pass_mark THEN 1 ELSE 0 END) AS TheoryAtMark,
               SUM(CASE WHEN a.theory_score < s.theory_pass_mark AND a.theory_score >= s.theory_pass_mark - @Width THEN 1 ELSE 0 END) AS TheoryJustBelow,
               SUM(CASE WHEN a.practical_score = s.practical_pass_mark THEN 1 ELSE 0 END) AS PracticalAtMark,
               SUM(CASE WHEN a.practical_score < s.practical_pass_mark AND a.practical_score >= s.practical_pass_mark - @Width THEN 1 ELSE 0 END) AS PracticalJustBelow
        {Recorded}
        GROUP BY {CenterGroup}, s.code
        HAVING SUM(CASE WHEN a.theory_score = s.theory_pass_mark THEN 1 ELSE 0 END) >= @MinAtMark
            OR SUM(CASE WHEN a.practical_score = s.practical_pass_mark THEN 1 ELSE 0 END) >= @MinAtMark
        """;
    private const string SelectTheoryAtMarkIds = $"""
        SELECT a.id AS Id, COUNT(*) OVER () AS Total
        {Recorded} AND a.center_id = @CenterId AND s.code = @StandardCode AND a.theory_score = s.theory_pass_mark
        ORDER BY a.exam_date, a.id LIMIT @Limit
        """;
    private const string SelectPracticalAtMarkIds = $"""
        SELECT a.id AS Id, COUNT(*) OVER () AS Total
        {Recorded} AND a.center_id = @CenterId AND s.code = @StandardCode AND a.practical_score = s.practical_pass_mark
        ORDER BY a.exam_date, a.id LIMIT @Limit
        """;

    // 3. Per assessor (center + assessor id, or name when there is no id): results, and those with a near-perfect practical
    //    while theory only just passed.
    private const string AssessorId = "COALESCE(a.assessor_id, '')";
    private const string AssessorName = "CASE WHEN a.assessor_id IS NULL THEN a.assessor_name ELSE '' END";
    private const string Suspicious = """
        a.practical_score >= @HighPractical AND a.theory_score >= s.theory_pass_mark AND a.theory_score <= s.theory_pass_mark + @Margin
        """;
    private const string SelectAssessorCells = $"""
        SELECT {CenterColumns}, {AssessorId} AS AssessorId, MIN(a.assessor_name) AS AssessorName,
               MIN(s.code) AS FirstCode, MAX(s.code) AS LastCode, MIN(a.exam_date) AS FirstExam, MAX(a.exam_date) AS LastExam,
               COUNT(*) AS Results, SUM(CASE WHEN {Suspicious} THEN 1 ELSE 0 END) AS Matching
        {Recorded}
        GROUP BY {CenterGroup}, {AssessorId}, {AssessorName}
        HAVING SUM(CASE WHEN {Suspicious} THEN 1 ELSE 0 END) >= @MinCount
        """;
    private const string SelectAssessorIds = $"""
        SELECT a.id AS Id, COUNT(*) OVER () AS Total
        {Recorded} AND a.center_id = @CenterId AND {AssessorId} = @AssessorId AND {AssessorName} = @AssessorNameKey AND {Suspicious}
        ORDER BY a.exam_date, a.id LIMIT @Limit
        """;

    // 4. The same trainee assessed at two different centers on the same exam date.
    private const string SelectSamePersonPairs = """
        SELECT a1.id AS FirstId, a2.id AS SecondId, a1.trainee_id AS TraineeId, a1.exam_date AS ExamDate, s1.code AS StandardCode,
               a1.center_id AS CenterId, c1.code AS CenterCode, c1.name_fa AS CenterNameFa, c1.name_en AS CenterNameEn,
               a2.center_id AS OtherCenterId, c2.code AS OtherCenterCode, c2.name_fa AS OtherCenterNameFa, c2.name_en AS OtherCenterNameEn,
               a1.assessor_name AS AssessorName, a1.assessor_id AS AssessorId
        FROM assessments a1
        JOIN assessments a2 ON a2.trainee_id = a1.trainee_id AND a2.exam_date = a1.exam_date AND a2.center_id <> a1.center_id AND a1.id < a2.id
        JOIN standards s1 ON s1.id = a1.standard_id
        JOIN training_centers c1 ON c1.id = a1.center_id
        JOIN training_centers c2 ON c2.id = a2.center_id
        WHERE a1.status = 'recorded' AND a2.status = 'recorded'
          AND (@From IS NULL OR a1.exam_date >= @From) AND (@To IS NULL OR a1.exam_date <= @To)
        ORDER BY a1.exam_date, a1.id, a2.id
        """;

    // 6. One person's results for one standard code, for people with at least @MinCount of them in the period
    //    (the sliding window over exam dates is applied in C#).
    private const string SelectRepeatedResults = """
        SELECT a.id AS Id, a.trainee_id AS TraineeId, s.code AS StandardCode, a.exam_date AS ExamDate, a.outcome AS Outcome,
               a.center_id AS CenterId, tc.code AS CenterCode, tc.name_fa AS CenterNameFa, tc.name_en AS CenterNameEn
        FROM assessments a
        JOIN standards s ON s.id = a.standard_id
        JOIN training_centers tc ON tc.id = a.center_id
        JOIN (SELECT r.trainee_id AS trainee_id, rs.code AS code
              FROM assessments r JOIN standards rs ON rs.id = r.standard_id
              WHERE r.status = 'recorded' AND (@From IS NULL OR r.exam_date >= @From) AND (@To IS NULL OR r.exam_date <= @To)
              GROUP BY r.trainee_id, rs.code
              HAVING COUNT(*) >= @MinCount) g ON g.trainee_id = a.trainee_id AND g.code = s.code
        WHERE a.status = 'recorded' AND (@From IS NULL OR a.exam_date >= @From) AND (@To IS NULL OR a.exam_date <= @To)
        ORDER BY a.trainee_id, s.code, a.exam_date, a.id
        """;

    // 7. Per registered assessor, exam date and center, the results they assessed as assessor or as second assessor, for
    //    assessors whose day (all centers) holds more than @DailyLimit.
    private const string AssessedBy = $"""
        SELECT a.assessor_practitioner_id AS practitioner_id, a.exam_date, a.center_id FROM assessments a
        WHERE a.status = 'recorded' AND a.assessor_practitioner_id IS NOT NULL AND {InPeriod}
        UNION ALL
        SELECT a.second_assessor_practitioner_id, a.exam_date, a.center_id FROM assessments a
        WHERE a.status = 'recorded' AND a.second_assessor_practitioner_id IS NOT NULL AND {InPeriod}
        """;
    private const string SelectAssessorDays = $"""
        SELECT g.* FROM (
            SELECT x.practitioner_id AS AssessorId, p.code AS AssessorCode, {PersonName} AS AssessorName, x.exam_date AS ExamDate,
                   x.center_id AS CenterId, tc.code AS CenterCode, tc.name_fa AS CenterNameFa, tc.name_en AS CenterNameEn,
                   COUNT(*) AS Results, CAST(SUM(COUNT(*)) OVER (PARTITION BY x.practitioner_id, x.exam_date) AS bigint) AS DayResults
            FROM ({AssessedBy}) x
            JOIN practitioners p ON p.id = x.practitioner_id
            JOIN trainees t ON t.id = p.person_id
            JOIN training_centers tc ON tc.id = x.center_id
            GROUP BY x.practitioner_id, p.code, t.given_name_latin, t.family_name_latin, x.exam_date, x.center_id, tc.code, tc.name_fa, tc.name_en) g
        WHERE g.DayResults > @DailyLimit
        ORDER BY g.AssessorCode, g.ExamDate, g.Results DESC, g.CenterCode
        """;
    private const string SelectAssessorDayIds = """
        SELECT a.id AS Id, COUNT(*) OVER () AS Total
        FROM assessments a
        WHERE a.status = 'recorded' AND a.exam_date = @ExamDate
          AND (a.assessor_practitioner_id = @AssessorId OR a.second_assessor_practitioner_id = @AssessorId)
        ORDER BY a.center_id, a.id LIMIT @Limit
        """;

    // 8. Results of a standard version that asks for a second assessor from a partner agency, where no assessor on record
    //    (assessor or second assessor) is from one. The batch refuses such rows; they come from results recorded before
    //    the rule and from corrections that move a result to such a version (the correction does not re-check assessors).
    private const string SelectPartnerMissing = $"""
        SELECT a.id AS Id, {CenterColumns}, s.code AS StandardCode, s.version AS StandardVersion, a.exam_date AS ExamDate,
               a.assessor_practitioner_id AS AssessorId, ap.code AS AssessorCode, a.assessor_name AS AssessorName,
               ap.home_center_id AS AssessorHomeCenterId
        {RecordedJoins}
        LEFT JOIN practitioners ap ON ap.id = a.assessor_practitioner_id
        LEFT JOIN practitioners sp ON sp.id = a.second_assessor_practitioner_id
        WHERE a.status = 'recorded' AND {InPeriod} AND s.requires_partner_assessor = @Required
          AND ap.home_partner_id IS NULL AND sp.home_partner_id IS NULL
        ORDER BY tc.code, s.code, a.exam_date, a.id
        """;

    // 5. Late results (recorded long after the exam) from one center, per recording day (UTC). The period filters the recording day.
    private const string LateFrom = """
        FROM assessments a
        JOIN standards s ON s.id = a.standard_id
        JOIN training_centers tc ON tc.id = a.center_id
        WHERE a.status = 'recorded'
        """;
    private static string RecordedDay(SqlDialect d) => d.UtcDayOf("a.recorded_at");
    private static string DaysLate(SqlDialect d) => d.DaysBetween("a.exam_date", RecordedDay(d));

    private static string SelectLateBursts(SqlDialect d) => $"""
        SELECT {CenterColumns}, {RecordedDay(d)} AS RecordedOn, COUNT(*) AS Results, MAX({DaysLate(d)}) AS MaxDaysLate,
               MIN(s.code) AS FirstCode, MAX(s.code) AS LastCode, MIN(a.exam_date) AS FirstExam, MAX(a.exam_date) AS LastExam
        {LateFrom} AND {DaysLate(d)} > @LateDays
          AND (@From IS NULL OR {RecordedDay(d)} >= @From) AND (@To IS NULL OR {RecordedDay(d)} <= @To)
        GROUP BY {CenterGroup}, {RecordedDay(d)}
        HAVING COUNT(*) >= @BurstSize
        """;
    private static string SelectLateBurstIds(SqlDialect d) => $"""
        SELECT a.id AS Id, COUNT(*) OVER () AS Total
        {LateFrom} AND a.center_id = @CenterId AND {RecordedDay(d)} = @RecordedOn AND {DaysLate(d)} > @LateDays
        ORDER BY a.exam_date, a.id LIMIT @Limit
        """;

    public Db Db { get; } = db;

    public static async Task<IReadOnlyList<PassRateCell>> PassRateCellsAsync(DbSession s, DateOnly? from, DateOnly? to) =>
        [.. await s.QueryAsync<PassRateCell>(SelectPassRateCells(s.Dialect), new { From = from, To = to })];

    public static async Task<IReadOnlyList<HeapingCell>> HeapingCellsAsync(DbSession s, DateOnly? from, DateOnly? to, IntegrityOptions o) =>
        [.. await s.QueryAsync<HeapingCell>(SelectHeapingCells, new { From = from, To = to, Width = (double)o.JustBelowWidth, o.MinAtMark })];

    public static async Task<IReadOnlyList<AssessorCell>> AssessorCellsAsync(DbSession s, DateOnly? from, DateOnly? to, IntegrityOptions o) =>
        [.. await s.QueryAsync<AssessorCell>(SelectAssessorCells, new
        {
            From = from, To = to, HighPractical = (double)o.AssessorHighPractical, Margin = (double)o.AssessorTheoryMargin, MinCount = o.AssessorMinCount,
        })];

    public static async Task<IReadOnlyList<SamePersonPair>> SamePersonPairsAsync(DbSession s, DateOnly? from, DateOnly? to) =>
        [.. await s.QueryAsync<SamePersonPair>(SelectSamePersonPairs, new { From = from, To = to })];

    public static async Task<IReadOnlyList<LateBurstCell>> LateBurstsAsync(DbSession s, DateOnly? from, DateOnly? to, IntegrityOptions o) =>
        [.. await s.QueryAsync<LateBurstCell>(SelectLateBursts(s.Dialect),
            new { From = from, To = to, o.LateDays, o.BurstSize })];

    public static async Task<IReadOnlyList<RepeatedResult>> RepeatedResultsAsync(DbSession s, DateOnly? from, DateOnly? to, IntegrityOptions o) =>
        [.. await s.QueryAsync<RepeatedResult>(SelectRepeatedResults, new { From = from, To = to, MinCount = Math.Max(2, o.RepeatMinAssessments) })];

    public static async Task<IReadOnlyList<PassRateCell>> AssessorPassRateCellsAsync(DbSession s, DateOnly? from, DateOnly? to) =>
        [.. await s.QueryAsync<PassRateCell>(SelectAssessorPassRateCells(s.Dialect), new { From = from, To = to })];

    public static async Task<IReadOnlyList<AssessorDayCell>> AssessorDaysAsync(DbSession s, DateOnly? from, DateOnly? to, IntegrityOptions o) =>
        [.. await s.QueryAsync<AssessorDayCell>(SelectAssessorDays, new { From = from, To = to, DailyLimit = o.AssessorDailyLimit })];

    public static async Task<IReadOnlyList<PartnerMissingResult>> PartnerMissingAsync(DbSession s, DateOnly? from, DateOnly? to) =>
        [.. await s.QueryAsync<PartnerMissingResult>(SelectPartnerMissing, new { From = from, To = to, Required = true })];

    /// <summary>The results behind a pass-rate cell: the center's, or the registered assessor's when the cell has one.</summary>
    public static Task<EvidenceIds> PassRateIdsAsync(DbSession s, PassRateCell cell, DateOnly periodFrom, DateOnly periodTo, int limit) =>
        IdsAsync(s, SelectPassRateIds, new
        {
            From = (DateOnly?)null, To = (DateOnly?)null, cell.CenterId, cell.AssessorId, cell.StandardCode, PeriodFrom = periodFrom, PeriodTo = periodTo, Limit = limit,
        });

    public static Task<EvidenceIds> AssessorDayIdsAsync(DbSession s, Guid assessorId, DateOnly examDate, int limit) =>
        IdsAsync(s, SelectAssessorDayIds, new { AssessorId = assessorId, ExamDate = examDate, Limit = limit });

    public static Task<EvidenceIds> AtMarkIdsAsync(DbSession s, HeapingCell cell, bool theory, DateOnly? from, DateOnly? to, int limit) =>
        IdsAsync(s, theory ? SelectTheoryAtMarkIds : SelectPracticalAtMarkIds, new { From = from, To = to, cell.CenterId, cell.StandardCode, Limit = limit });

    public static Task<EvidenceIds> AssessorIdsAsync(DbSession s, AssessorCell cell, DateOnly? from, DateOnly? to, IntegrityOptions o) =>
        IdsAsync(s, SelectAssessorIds, new
        {
            From = from, To = to, cell.CenterId, AssessorId = cell.AssessorId ?? "", AssessorNameKey = cell.AssessorId is { Length: > 0 } ? "" : cell.AssessorName,
            HighPractical = (double)o.AssessorHighPractical, Margin = (double)o.AssessorTheoryMargin, Limit = o.MaxEvidenceIds,
        });

    public static Task<EvidenceIds> LateBurstIdsAsync(DbSession s, LateBurstCell cell, IntegrityOptions o) =>
        IdsAsync(s, SelectLateBurstIds(s.Dialect),
            new { cell.CenterId, cell.RecordedOn, o.LateDays, Limit = o.MaxEvidenceIds });

    private sealed class IdRow
    {
        public Guid Id { get; set; }
        public long Total { get; set; }
    }

    private static async Task<EvidenceIds> IdsAsync(DbSession s, string sql, object param)
    {
        var rows = (await s.QueryAsync<IdRow>(sql, param)).ToList();
        return new EvidenceIds(rows.Select(r => r.Id).ToList(), rows.Count == 0 ? 0 : (int)rows[0].Total);
    }
}

public sealed record EvidenceIds(IReadOnlyList<Guid> Ids, int Total);

public sealed class PassRateCell
{
    public Guid CenterId { get; set; }
    public string CenterCode { get; set; } = "";
    public string CenterNameFa { get; set; } = "";
    public string CenterNameEn { get; set; } = "";
    public string StandardCode { get; set; } = "";
    public string Month { get; set; } = "";
    public long Results { get; set; }
    public long Passed { get; set; }
    /// <summary>Set for an assessor's cell: the registered assessor, compared with the other assessors of the code.</summary>
    public Guid? AssessorId { get; set; }
    public string? AssessorCode { get; set; }
    public string? AssessorName { get; set; }
}

public sealed class AssessorDayCell
{
    public Guid AssessorId { get; set; }
    public string AssessorCode { get; set; } = "";
    public string AssessorName { get; set; } = "";
    public DateOnly ExamDate { get; set; }
    public Guid CenterId { get; set; }
    public string CenterCode { get; set; } = "";
    public string CenterNameFa { get; set; } = "";
    public string CenterNameEn { get; set; } = "";
    public long Results { get; set; }
    public long DayResults { get; set; }
}

public sealed class PartnerMissingResult
{
    public Guid Id { get; set; }
    public Guid CenterId { get; set; }
    public string CenterCode { get; set; } = "";
    public string CenterNameFa { get; set; } = "";
    public string CenterNameEn { get; set; } = "";
    public string StandardCode { get; set; } = "";
    public int StandardVersion { get; set; }
    public DateOnly ExamDate { get; set; }
    public Guid? AssessorId { get; set; }
    public string? AssessorCode { get; set; }
    public string AssessorName { get; set; } = "";
    public Guid? AssessorHomeCenterId { get; set; }
}

public sealed class HeapingCell
{
    public Guid CenterId { get; set; }
    public string CenterCode { get; set; } = "";
    public string CenterNameFa { get; set; } = "";
    public string CenterNameEn { get; set; } = "";
    public string StandardCode { get; set; } = "";
    public DateOnly FirstExam { get; set; }
    public DateOnly LastExam { get; set; }
    public decimal TheoryPassMark { get; set; }
    public decimal PracticalPassMark { get; set; }
    public long TheoryAtMark { get; set; }
    public long TheoryJustBelow { get; set; }
    public long PracticalAtMark { get; set; }
    public long PracticalJustBelow { get; set; }
}

public sealed class AssessorCell
{
    public Guid CenterId { get; set; }
    public string CenterCode { get; set; } = "";
    public string CenterNameFa { get; set; } = "";
    public string CenterNameEn { get; set; } = "";
    public string? AssessorId { get; set; }
    public string AssessorName { get; set; } = "";
    public string FirstCode { get; set; } = "";
    public string LastCode { get; set; } = "";
    public DateOnly FirstExam { get; set; }
    public DateOnly LastExam { get; set; }
    public long Results { get; set; }
    public long Matching { get; set; }
}

public sealed class SamePersonPair
{
    public Guid FirstId { get; set; }
    public Guid SecondId { get; set; }
    public Guid TraineeId { get; set; }
    public DateOnly ExamDate { get; set; }
    public string StandardCode { get; set; } = "";
    public Guid CenterId { get; set; }
    public string CenterCode { get; set; } = "";
    public string CenterNameFa { get; set; } = "";
    public string CenterNameEn { get; set; } = "";
    public Guid OtherCenterId { get; set; }
    public string OtherCenterCode { get; set; } = "";
    public string OtherCenterNameFa { get; set; } = "";
    public string OtherCenterNameEn { get; set; } = "";
    public string AssessorName { get; set; } = "";
    public string? AssessorId { get; set; }
}

public sealed class LateBurstCell
{
    public Guid CenterId { get; set; }
    public string CenterCode { get; set; } = "";
    public string CenterNameFa { get; set; } = "";
    public string CenterNameEn { get; set; } = "";
    public DateOnly RecordedOn { get; set; }
    public long Results { get; set; }
    public long MaxDaysLate { get; set; }
    public string FirstCode { get; set; } = "";
    public string LastCode { get; set; } = "";
    public DateOnly FirstExam { get; set; }
    public DateOnly LastExam { get; set; }
}

public sealed class RepeatedResult
{
    public Guid Id { get; set; }
    public Guid TraineeId { get; set; }
    public string StandardCode { get; set; } = "";
    public DateOnly ExamDate { get; set; }
    public string Outcome { get; set; } = "";
    public Guid CenterId { get; set; }
    public string CenterCode { get; set; } = "";
    public string CenterNameFa { get; set; } = "";
    public string CenterNameEn { get; set; } = "";
}
