using System.Globalization;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// The practitioner statistics' SQL, read from the base tables (practitioners are few beside results: no roll-up). Both
/// statements are set-based; <c>{0}</c> is the dialect's random byte of the practitioner's id (the per-record key of
/// disclosure control). What a key may see: <c>@CenterId</c> (a center's own staff), <c>@ProvinceOfCenterId</c> (its
/// province's), <c>@PartnerId</c> (the standards, or for hours the sectors, of its agreement).
/// </summary>
internal static class PractitionerStatisticsSql
{
    // Hours are read as "hours * 1.0": SQLite stores 10 as an integer and 2.5 as a real, and a reader must see one type per
    // column (PostgreSQL keeps numeric either way).

    /// <summary>The province value of practitioners whose home is a partner agency.</summary>
    internal const string PartnerAgencies = "partner-agencies";

    private const string HomeProvince = $"CASE WHEN p.home_partner_id IS NOT NULL THEN '{PartnerAgencies}' ELSE tc.province_code END";

    private const string HomeCenter = "LEFT JOIN training_centers tc ON tc.id = p.home_center_id";

    private const string HomeVisible = $"""
        (@Province IS NULL OR {HomeProvince} = @Province)
          AND (@CenterId IS NULL OR p.home_center_id = @CenterId)
          AND (@ProvinceOfCenterId IS NULL OR tc.province_code = (SELECT own.province_code FROM training_centers own WHERE own.id = @ProvinceOfCenterId))
        """;

    /// <summary>Qualifications of the kind (assessor includes lead assessors, who may assess too) that began by @On.</summary>
    private const string QualificationsFrom = $"FROM practitioner_qualifications q JOIN practitioners p ON p.id = q.practitioner_id {HomeCenter}";

    private const string QualificationsWhere = $"""
        WHERE q.valid_from <= @On
          AND (@Kind IS NULL OR q.kind = @Kind OR (@Kind = 'assessor' AND q.kind = 'lead-assessor'))
          AND (@Sector IS NULL OR EXISTS (SELECT 1 FROM standards ss WHERE ss.code = q.standard_code AND ss.sector_code = @Sector))
          AND (@PartnerId IS NULL OR EXISTS (SELECT 1 FROM standards ss JOIN partner_sectors ps ON ps.sector_code = ss.sector_code
                                             WHERE ss.code = q.standard_code AND ps.partner_id = @PartnerId))
          AND {HomeVisible}
        """;

    /// <summary>The version of the code in force on @On (the one <c>PractitionerSql.SelectRequirementsInForce</c> reads).</summary>
    private const string SelectQualificationsText = $$"""
        SELECT q.practitioner_id AS PractitionerId, {0} AS PractitionerKey, q.standard_code AS StandardCode,
               s.title_en AS TitleEn, s.title_fa AS TitleFa, {{HomeProvince}} AS Province, pr.name_en AS ProvinceNameEn, pr.name_fa AS ProvinceNameFa,
               q.valid_from AS ValidFrom, q.valid_to AS ValidTo, q.withdrawn_from AS WithdrawnFrom,
               (s.id IS NOT NULL) AS HasVersionInForce, s.refresher_hours AS RefresherHours, s.refresher_months AS RefresherMonths
        {{QualificationsFrom}}
        LEFT JOIN provinces pr ON pr.code = tc.province_code
        LEFT JOIN standards s ON s.code = q.standard_code AND s.status <> 'draft' AND s.effective_from <= @On
                                 AND (s.effective_to IS NULL OR s.effective_to >= @On)
        {{QualificationsWhere}}
        """;

    /// <summary>The refresher courses, completed by @On, of the practitioners the first statement reads.</summary>
    private const string SelectCoursesText = $"""
        SELECT r.practitioner_id AS PractitionerId, r.completed_on AS CompletedOn, r.hours * 1.0 AS Hours
        FROM refresher_courses r
        WHERE r.completed_on <= @On AND r.practitioner_id IN (SELECT q.practitioner_id {QualificationsFrom} {QualificationsWhere})
        """;

    /// <summary>
    /// Hours per sector and Solar Hijri year of completion. A course counts in each sector of the standards its practitioner
    /// holds a qualification for (any kind, any dates: refresher hours keep all of a practitioner's qualifications current),
    /// once per sector; with none, in the unknown sector. Summed per practitioner first, so a cell knows how many people it holds.
    /// </summary>
    private const string SelectHoursText = $$"""
        WITH held AS (
            SELECT DISTINCT q.practitioner_id, s.sector_code FROM practitioner_qualifications q JOIN standards s ON s.code = q.standard_code
        ),
        per_practitioner AS (
            SELECT h.sector_code, CAST(shy.year AS TEXT) AS solar_year, r.practitioner_id, MIN({0}) AS practitioner_key,
                   SUM(r.hours) AS hours, SUM({1}) AS course_key
            FROM refresher_courses r JOIN practitioners p ON p.id = r.practitioner_id
            {{HomeCenter}}
            LEFT JOIN held h ON h.practitioner_id = r.practitioner_id
            LEFT JOIN solar_hijri_years shy ON r.completed_on >= shy.starts_on AND r.completed_on <= shy.ends_on
            WHERE r.completed_on >= @From AND r.completed_on <= @To
              AND (@Sector IS NULL OR h.sector_code = @Sector)
              AND (@PartnerId IS NULL OR h.sector_code IN (SELECT ps.sector_code FROM partner_sectors ps WHERE ps.partner_id = @PartnerId))
              AND {{HomeVisible}}
            GROUP BY h.sector_code, shy.year, r.practitioner_id
        )
        SELECT f.sector_code AS Sector, MIN(sec.name_en) AS SectorNameEn, MIN(sec.name_fa) AS SectorNameFa, f.solar_year AS SolarYear,
               COUNT(*) AS Practitioners, CAST(SUM(f.practitioner_key) AS BIGINT) AS PractitionerKey,
               SUM(f.hours) * 1.0 AS Hours, CAST(SUM(f.course_key) AS BIGINT) AS CourseKey
        FROM per_practitioner f LEFT JOIN sectors sec ON sec.code = f.sector_code
        GROUP BY f.sector_code, f.solar_year
        ORDER BY CASE WHEN f.sector_code IS NULL THEN 1 ELSE 0 END, f.sector_code, f.solar_year
        """;

    internal const string SelectCourses = SelectCoursesText;

    internal static string SelectQualifications(SqlDialect dialect) =>
        string.Format(CultureInfo.InvariantCulture, SelectQualificationsText, dialect.RandomByteOf("q.practitioner_id"));

    internal static string SelectHours(SqlDialect dialect) =>
        string.Format(CultureInfo.InvariantCulture, SelectHoursText, dialect.RandomByteOf("r.practitioner_id"), dialect.RandomByteOf("r.id"));
}
