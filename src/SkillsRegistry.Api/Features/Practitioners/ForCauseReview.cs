using Dapper;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>
/// A certificate to review: its result's assessor (or second assessor) held a qualification for the standard code whose
/// period covers the exam date, and that qualification was later withdrawn for cause. Every result assessed under it is
/// listed, also those before the withdrawal's effective day: a withdrawal for cause casts doubt on all of them. The
/// certificate itself is not changed; revoking it is a separate decision (POST /api/v1/certificates/{id}/revoke).
/// </summary>
public sealed record ForCauseReviewItemDto(
    Guid CertificateId, string CertificateNumber, CertificateStatus Status, string StandardCode, int StandardVersion, DateOnly ExamDate,
    OrganisationDto Center, [property: OneOf("assessor", "second-assessor")] string AssessorRole, Guid PractitionerId, string PractitionerCode,
    Guid QualificationId, DateOnly QualificationValidFrom, DateOnly? QualificationValidTo, DateOnly WithdrawnFrom, string WithdrawalReason);

internal sealed class ForCauseReviewRow
{
    public Guid CertificateId { get; init; }
    public string CertificateNumber { get; init; } = "";
    public string Status { get; init; } = "";
    public DateOnly? ExpiresOn { get; init; }
    public string StandardCode { get; init; } = "";
    public int StandardVersion { get; init; }
    public DateOnly ExamDate { get; init; }
    public Guid CenterId { get; init; }
    public string CenterCode { get; init; } = "";
    public string CenterNameFa { get; init; } = "";
    public string CenterNameEn { get; init; } = "";
    public string AssessorRole { get; init; } = "";
    public Guid PractitionerId { get; init; }
    public string PractitionerCode { get; init; } = "";
    public Guid PersonId { get; init; }
    public Guid QualificationId { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public DateOnly WithdrawnFrom { get; init; }
    public string WithdrawalReason { get; init; } = "";

    public ForCauseReviewItemDto ToDto(DateOnly today) => new(
        CertificateId, CertificateNumber, CertificateStatuses.Effective(Status, ExpiresOn, today), StandardCode, StandardVersion, ExamDate,
        new OrganisationDto("center", CenterId, CenterCode, CenterNameFa, CenterNameEn), AssessorRole, PractitionerId, PractitionerCode,
        QualificationId, ValidFrom, ValidTo, WithdrawnFrom, WithdrawalReason);
}

/// <summary>
/// The for-cause review list. Visibility: admin everything; a center the certificates it issued; a partner agency those of
/// standard versions it co-authored and those whose withdrawn qualification is its own accreditation.
/// </summary>
public sealed class ForCauseReviewRepository(Db db, TimeProvider clock)
{
    // The qualifications withdrawn for cause are few: start from them, then find the results each one's holder assessed
    // as assessor or as second assessor (two branches, so each can follow its own column).
    private const string Reviewed = """
        WITH flagged AS (
            SELECT q.id, q.practitioner_id, q.standard_code, q.valid_from, q.valid_to, q.withdrawn_from, q.withdrawal_reason, q.partner_id
            FROM practitioner_qualifications q
            WHERE q.withdrawn_for_cause = @forCause AND q.withdrawn_from IS NOT NULL AND q.kind IN ('assessor', 'lead-assessor')),
        reviewed AS (
            SELECT f.*, a.id AS assessment_id, 'assessor' AS assessor_role
            FROM flagged f JOIN assessments a ON a.assessor_practitioner_id = f.practitioner_id
            UNION ALL
            SELECT f.*, a.id AS assessment_id, 'second-assessor' AS assessor_role
            FROM flagged f JOIN assessments a ON a.second_assessor_practitioner_id = f.practitioner_id)
        """;

    private const string Matches = """
        FROM reviewed r
        JOIN certificates c ON c.assessment_id = r.assessment_id
        JOIN standards s ON s.id = c.standard_id AND s.code = r.standard_code
        JOIN training_centers tc ON tc.id = c.center_id
        JOIN practitioners p ON p.id = r.practitioner_id
        WHERE r.valid_from <= c.exam_date AND (r.valid_to IS NULL OR r.valid_to >= c.exam_date)
          AND (@seeAll OR c.center_id = @centerId OR r.partner_id = @partnerId
               OR EXISTS (SELECT 1 FROM standard_partners sp WHERE sp.standard_id = c.standard_id AND sp.partner_id = @partnerId))
        """;

    private const string SelectPage = $"""
        {Reviewed}
        SELECT c.id AS CertificateId, c.number AS CertificateNumber, c.status AS Status, c.expires_on AS ExpiresOn,
               s.code AS StandardCode, s.version AS StandardVersion, c.exam_date AS ExamDate,
               tc.id AS CenterId, tc.code AS CenterCode, tc.name_fa AS CenterNameFa, tc.name_en AS CenterNameEn,
               r.assessor_role AS AssessorRole, p.id AS PractitionerId, p.code AS PractitionerCode, p.person_id AS PersonId,
               r.id AS QualificationId, r.valid_from AS ValidFrom, r.valid_to AS ValidTo, r.withdrawn_from AS WithdrawnFrom,
               r.withdrawal_reason AS WithdrawalReason
        {Matches}
        ORDER BY r.withdrawn_from DESC, r.id, c.number, r.assessor_role
        LIMIT @limit OFFSET @offset
        """;

    private const string SelectCount = $"{Reviewed} SELECT COUNT(*) {Matches}";

    /// <summary>One page, and the persons (the assessors) it names, for the audit log.</summary>
    public Task<(Page<ForCauseReviewItemDto> Page, IReadOnlyList<Guid> PersonIds)> ListAsync(Caller caller, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync<(Page<ForCauseReviewItemDto>, IReadOnlyList<Guid>)>(async s =>
        {
            var args = new DynamicParameters(PractitionerRepository.Visibility(caller));
            args.AddDynamicParams(new { forCause = true, limit = size, offset });
            var rows = (await s.QueryAsync<ForCauseReviewRow>(SelectPage, args)).ToList();
            var total = await s.ExecuteScalarAsync<long>(SelectCount, args);
            var today = RegistryCalendar.Today(clock);
            return (new Page<ForCauseReviewItemDto>(rows.Select(r => r.ToDto(today)).ToList(), page, size, total),
                rows.Select(r => r.PersonId).Distinct().ToList());
        }, ct);
}
