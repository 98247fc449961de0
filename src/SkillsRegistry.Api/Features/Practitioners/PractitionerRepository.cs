using Dapper;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Protection;
using SkillsRegistry.Api.Infrastructure.Text;
using static SkillsRegistry.Api.Features.Practitioners.PractitionerSql;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>
/// Practitioners, their qualifications, refresher courses and visits. Visibility: admin (and the system) see everyone; a
/// center its own staff and the practitioners with a visit recorded at it; a partner its own people. The person's
/// identifiers are the trainees row's (encrypted, found by keyed hash through the trainee code).
/// </summary>
public sealed class PractitionerRepository(Db db, TimeProvider clock, FieldProtector protector)
{
    private DateOnly Today => RegistryCalendar.Today(clock);

    internal static object Visibility(Caller caller) => new
    {
        seeAll = caller.IsAdmin || caller == Caller.System,
        centerId = caller.IsCenter ? caller.CenterId ?? Guid.Empty : Guid.Empty,
        partnerId = caller.IsPartner ? caller.PartnerId ?? Guid.Empty : Guid.Empty,
    };

    public Task<PractitionerDto?> GetAsync(Guid id, Caller caller, CancellationToken ct) => db.ReadAsync(s => GetVisibleAsync(s, id, caller), ct);

    public Task<Page<PractitionerSummaryDto>> ListAsync(PractitionerQuery query, Caller caller, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            var args = new DynamicParameters(Visibility(caller));
            args.AddDynamicParams(new
            {
                pattern = query.Q is { } q ? PersianText.ContainsPattern(q) : null, standardCode = query.StandardCode,
                homeCenterId = query.HomeCenterId, homePartnerId = query.HomePartnerId, limit = size, offset,
            });
            var rows = await s.QueryAsync<PractitionerRow>(SelectPage, args);
            var total = await s.ExecuteScalarAsync<long>(SelectCount, args);
            return new Page<PractitionerSummaryDto>(rows.Select(r => r.ToSummary()).ToList(), page, size, total);
        }, ct);

    internal async Task<PractitionerDto?> GetVisibleAsync(DbSession s, Guid id, Caller caller)
    {
        var args = new DynamicParameters(Visibility(caller));
        args.Add("id", id);
        var row = await s.QuerySingleOrDefaultAsync<PractitionerRow>(SelectVisibleById, args);
        if (row is null) return null;
        var qualifications = (await s.QueryAsync<QualificationRow>(SelectQualifications, new { id })).ToList();
        var courses = (await s.QueryAsync<RefresherCourseRow>(SelectRefresherCourses, new { id })).ToList();
        var today = Today;
        var requirements = await RequirementsOnAsync(s, qualifications.Select(q => q.StandardCode).Distinct().ToList(), today);
        var hours = courses.Select(c => (c.CompletedOn, c.Hours)).ToList();
        return row.ToDto(protector,
            qualifications.Select(q => q.ToDto(today, q.InForceOn(today) && requirements.TryGetValue(q.StandardCode, out var r)
                && QualificationCurrency.RefreshedOn(r, hours, today))).ToList(),
            courses.Select(c => c.ToDto()).ToList(),
            (await s.QueryAsync<VisitRow>(SelectVisits, new { id })).Select(v => v.ToDto()).ToList());
    }

    /// <summary>What the version of each code in force on the day asks of assessors; a code with no version in force is absent.</summary>
    private static async Task<Dictionary<string, AssessorRequirements>> RequirementsOnAsync(DbSession s, IReadOnlyList<string> codes, DateOnly on) =>
        codes.Count == 0 ? [] : (await s.QueryInAsync<RequirementRow, string>(SelectRequirementsInForce, "codes", codes, new { on }))
            .ToDictionary(r => r.Code, r => new AssessorRequirements(r.RefresherHours, r.RefresherMonths, r.RequiresPartnerAssessor));

    internal static Task<Guid?> PractitionerOfPersonAsync(DbSession s, Guid personId) =>
        s.QuerySingleOrDefaultAsync<Guid?>(SelectIdByPerson, new { personId });

    internal static async Task<bool> CodeTakenAsync(DbSession s, string code) => await s.ExecuteScalarAsync<long>(SelectCodeTaken, new { code }) > 0;

    internal static async Task<bool> CenterExistsAsync(DbSession s, Guid id) => await s.ExecuteScalarAsync<long>(SelectCenterExists, new { id }) > 0;

    internal static async Task<bool> PartnerExistsAsync(DbSession s, Guid id) => await s.ExecuteScalarAsync<long>(SelectPartnerExists, new { id }) > 0;

    internal static async Task<bool> HoldsValidCertificateAsync(DbSession s, Guid certificateId, Guid personId, string code, DateOnly on) =>
        await s.ExecuteScalarAsync<long>(SelectOwnValidCertificate, new { certificateId, personId, code, on }) > 0;

    internal static Task<QualificationRow?> FindQualificationAsync(DbSession s, Guid id, Guid qualificationId) =>
        s.QuerySingleOrDefaultAsync<QualificationRow>(SelectQualification, new { id, qualificationId });

    internal Task InsertAsync(DbSession s, Guid id, string code, Guid personId, Guid? homeCenterId, Guid? homePartnerId, string? phone, string? email) =>
        s.ExecuteAsync(InsertPractitioner, new { id, code, personId, homeCenterId, homePartnerId, phone, email, now = clock.GetUtcNow() });

    internal async Task InsertQualificationAsync(DbSession s, object qualification)
    {
        var args = new DynamicParameters(qualification);
        args.Add("now", clock.GetUtcNow());
        await s.ExecuteAsync(InsertQualification, args);
    }

    internal Task<int> WithdrawAsync(DbSession s, Guid qualificationId, DateOnly from, string reason, bool forCause) =>
        s.ExecuteAsync(UpdateWithdrawQualification, new { qualificationId, from, reason, forCause });

    internal async Task InsertRefresherCourseAsync(DbSession s, object course)
    {
        var args = new DynamicParameters(course);
        args.Add("now", clock.GetUtcNow());
        await s.ExecuteAsync(InsertRefresherCourse, args);
    }

    internal async Task InsertVisitAsync(DbSession s, object visit)
    {
        var args = new DynamicParameters(visit);
        args.Add("now", clock.GetUtcNow());
        await s.ExecuteAsync(InsertVisit, args);
    }

    internal Task TouchAsync(DbSession s, Guid id) => s.ExecuteAsync(UpdateTouch, new { id, now = clock.GetUtcNow() });

    /// <summary>
    /// The practitioners a batch names (by id or code) and their assessor facts at <paramref name="centerId"/>: two statements
    /// for the whole batch, whatever its size.
    /// </summary>
    public static async Task<AssessorRegister> AssessorsAsync(DbSession s, Guid centerId, IReadOnlyCollection<string> references)
    {
        if (references.Count == 0) return new AssessorRegister([], []);
        var keys = references.Select(AssessorRegister.Key).Distinct().ToList();
        var ids = keys.Select(k => Guid.TryParse(k, out var g) ? g : (Guid?)null).OfType<Guid>().ToList();
        var args = new DynamicParameters();
        var sql = SetStatements.ExpandList(SelectAssessors, "ids", ids, args);
        var assessors = (await s.QueryAsync<AssessorFacts>(SetStatements.ExpandList(sql, "codes", keys, args), args)).ToList();
        if (assessors.Count == 0) return new AssessorRegister([], []);
        var factArgs = new DynamicParameters(new { centerId });
        var facts = await s.QueryAsync<AssessorFactRow>(SetStatements.ExpandList(SelectAssessorFacts, "ids", assessors.Select(a => a.Id), factArgs), factArgs);
        return new AssessorRegister(assessors, facts);
    }
}
