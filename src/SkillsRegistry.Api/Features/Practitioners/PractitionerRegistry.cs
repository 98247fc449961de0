using System.Security.Cryptography;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Text;
using static SkillsRegistry.Api.Features.Practitioners.PractitionerValidation;

namespace SkillsRegistry.Api.Features.Practitioners;

/// <summary>
/// Registering practitioners and recording what qualifies them, and who may. An admin does everything; a center registers
/// its own staff, adds certificate-based qualifications and refresher courses for the practitioners it sees, and records
/// visits to itself or of its staff; a partner agency (while its agreement is in force) registers its own people, accredits
/// them for standards in its sectors, and records their refresher courses and visits. Each write is one transaction that
/// rolls back on a rejection; the person is resolved under the trainee rules (<see cref="TraineeRegistration.ResolvePersonAsync"/>).
/// </summary>
public sealed class PractitionerRegistry(Db db, PractitionerRepository practitioners, TraineeRegistration people, StandardRepository standards,
    RegistryChanges changes, TimeProvider clock)
{
    private DateOnly Today => RegistryCalendar.Today(clock);

    public static Rejection NotVisible(Guid id) => Rejection.NotFound($"No practitioner with id {id} is visible to this key.");

    public Task<Outcome<PractitionerDto>> CreateAsync(ValidPractitioner request, Caller caller, CancellationToken ct) =>
        db.TryWriteAsync<PractitionerDto>(async s =>
        {
            var (homeCenterId, homePartnerId) = (request.HomeCenterId, request.HomePartnerId);
            if (homeCenterId is null && homePartnerId is null)
                (homeCenterId, homePartnerId) = (caller.IsCenter ? caller.CenterId : null, caller.IsPartner ? caller.PartnerId : null);
            if (RefuseHome(caller, homeCenterId, homePartnerId) is { } refused) return refused;
            if (homeCenterId is { } c && !await PractitionerRepository.CenterExistsAsync(s, c))
                return Rejection.UnprocessableField("homeCenterId", $"No training center has id {c}.");
            if (homePartnerId is { } p && !await PractitionerRepository.PartnerExistsAsync(s, p))
                return Rejection.UnprocessableField("homePartnerId", $"No partner agency has id {p}.");

            var person = await people.ResolvePersonAsync(s, request.Person, caller, "person", "practitioner");
            if (person.Rejection is { } notConfirmed) return notConfirmed;
            if (await PractitionerRepository.PractitionerOfPersonAsync(s, person.Value) is { } existing)
                return await practitioners.GetVisibleAsync(s, existing, caller) is not null
                    ? Rejection.Conflict($"This person is already registered as practitioner {existing} ({PractitionerEndpoints.LocationOf(existing)}).",
                        new Dictionary<string, object?> { ["existingId"] = existing, ["location"] = PractitionerEndpoints.LocationOf(existing) })
                    : Rejection.Conflict("This person is already registered as a practitioner of another organisation. Ask the registry.");
            var code = request.Code ?? NewCode();
            if (await PractitionerRepository.CodeTakenAsync(s, code))
                return Rejection.Conflict($"The practitioner code {code} is taken; choose another or leave it out to get one.");

            var id = Guid.CreateVersion7();
            await practitioners.InsertAsync(s, id, code, person.Value, homeCenterId, homePartnerId, request.Person.Phone, request.Person.Email);
            s.Audit(new AuditEntry(caller, "create", "practitioner", id.ToString(), new
            {
                code, personId = person.Value, identity = request.Person.Identity!.Masked(), homeCenterId, homePartnerId,
            }));
            return (await practitioners.GetVisibleAsync(s, id, caller))!;
        }, ct);

    /// <summary>A center registers only its own staff; a partner only its own people; an admin anyone, naming the home.</summary>
    private static Rejection? RefuseHome(Caller caller, Guid? homeCenterId, Guid? homePartnerId)
    {
        if (homeCenterId is null && homePartnerId is null)
            return Rejection.InvalidField("homeCenterId", "Required for an admin: the practitioner's home training center (or homePartnerId).");
        if (caller.IsCenter && homeCenterId != caller.CenterId)
            return Rejection.Forbidden("A training center registers only its own staff (homeCenterId = its own center).");
        if (caller.IsPartner && homePartnerId != caller.PartnerId)
            return Rejection.Forbidden("A partner agency registers only its own people (homePartnerId = its own agency).");
        return null;
    }

    private static string NewCode() => "PR-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    public Task<Outcome<PractitionerDto>> AddQualificationAsync(Guid id, ValidQualification q, Caller caller, CancellationToken ct) =>
        db.TryWriteAsync<PractitionerDto>(async s =>
        {
            if (await practitioners.GetVisibleAsync(s, id, caller) is not { } practitioner) return NotVisible(id);
            var versions = await standards.VersionsOfCodeAsync(s, q.StandardCode);
            Guid? partnerId = null;
            switch (q.Source)
            {
                case QualificationSource.PartnerAccreditation:
                    if (!caller.IsPartner) return Rejection.Forbidden("Only a partner agency accredits (source partner-accreditation).");
                    var agreement = await PartnerRepository.FindAgreementAsync(s, caller.PartnerId!.Value);
                    if (PartnerAgreement.RefusalOn(agreement, Today) is { } lapsed) return lapsed;
                    // Outside its sectors a standard does not exist for a partner: the same 404 as for standards.
                    if (!versions.Any(v => agreement!.Covers(v.SectorCode))) return Rejection.NotFound(StandardNotFound.Code(q.StandardCode));
                    if (agreement!.EndsOn is { } ends && (q.ValidTo is null || q.ValidTo > ends))
                        return Rejection.UnprocessableField("validTo", $"An accreditation ends at the latest with the agreement of partner agency '{agreement.Code}' on {ends:yyyy-MM-dd}.");
                    partnerId = agreement.PartnerId;
                    break;
                case QualificationSource.AdminDecision:
                    if (!caller.IsAdmin && caller != Caller.System) return Rejection.Forbidden("Only the registry (admin) qualifies by decision (source admin-decision).");
                    break;
                case QualificationSource.Certificate:
                    if (caller.IsPartner) return Rejection.Forbidden("A partner agency qualifies by accreditation (source partner-accreditation).");
                    if (!await PractitionerRepository.HoldsValidCertificateAsync(s, q.CertificateId!.Value, practitioner.PersonId, q.StandardCode, q.ValidFrom))
                        return Rejection.UnprocessableField("certificateId",
                            $"Certificate {q.CertificateId} is not this practitioner's own valid certificate for standard {q.StandardCode} on {q.ValidFrom:yyyy-MM-dd}.");
                    break;
            }
            if (versions.Count == 0) return Rejection.UnprocessableField("standardCode", $"No standard has code {q.StandardCode}.");
            var qualificationId = Guid.CreateVersion7();
            await practitioners.InsertQualificationAsync(s, new
            {
                id = qualificationId, practitionerId = id, standardCode = q.StandardCode, kind = EnumText.ToText(q.Kind), source = EnumText.ToText(q.Source),
                certificateId = q.CertificateId, partnerId, reason = q.Reason, validFrom = q.ValidFrom, validTo = q.ValidTo, forCause = false,
            });
            await practitioners.TouchAsync(s, id);
            s.Audit(new AuditEntry(caller, "qualify", "practitioner", id.ToString(), new
            {
                qualificationId, q.StandardCode, kind = EnumText.ToText(q.Kind), source = EnumText.ToText(q.Source), q.CertificateId, partnerId, q.Reason, q.ValidFrom, q.ValidTo,
            }));
            return (await practitioners.GetVisibleAsync(s, id, caller))!;
        }, ct);

    /// <summary>An admin withdraws any qualification; a partner its own accreditations; a center the certificate-based ones of its staff.</summary>
    public Task<Outcome<PractitionerDto>> WithdrawQualificationAsync(Guid id, Guid qualificationId, string reason, bool forCause, DateOnly? from,
        Caller caller, CancellationToken ct) =>
        db.TryWriteAsync<PractitionerDto>(async s =>
        {
            if (await practitioners.GetVisibleAsync(s, id, caller) is not { } practitioner) return NotVisible(id);
            if (await PractitionerRepository.FindQualificationAsync(s, id, qualificationId) is not { } q)
                return Rejection.NotFound($"Practitioner {id} has no qualification {qualificationId}.");
            var mayWithdraw = caller.IsAdmin
                || (caller.IsPartner && q.PartnerId == caller.PartnerId)
                || (caller.IsCenter && q.Source == "certificate" && practitioner.Home.Id == caller.CenterId);
            if (!mayWithdraw)
                return Rejection.Forbidden("Only the registry, the partner agency that accredited it, or the home center for a certificate-based qualification withdraws it.");
            if (q.WithdrawnFrom is { } already) return Rejection.Conflict($"This qualification was already withdrawn from {already:yyyy-MM-dd}.");
            var effective = from ?? Today;
            if (effective < q.ValidFrom) effective = q.ValidFrom;
            await practitioners.WithdrawAsync(s, qualificationId, effective, reason, forCause);
            // Verification shows whether a result's assessor still counts for its exam date: cached answers may be stale
            // (other instances: the trigger of db/postgres/0020).
            changes.SharedDataChanged(s);
            await practitioners.TouchAsync(s, id);
            s.Audit(new AuditEntry(caller, "withdraw-qualification", "practitioner", id.ToString(), new { qualificationId, from = effective, reason, forCause }));
            return (await practitioners.GetVisibleAsync(s, id, caller))!;
        }, ct);

    /// <summary>The provider is the calling center or partner unless an admin names it.</summary>
    public Task<Outcome<PractitionerDto>> AddRefresherCourseAsync(Guid id, ValidRefresherCourse course, Caller caller, CancellationToken ct) =>
        db.TryWriteAsync<PractitionerDto>(async s =>
        {
            if (await practitioners.GetVisibleAsync(s, id, caller) is null) return NotVisible(id);
            var (centerId, partnerId) = caller.IsAdmin ? (course.ProviderCenterId, course.ProviderPartnerId) : (caller.CenterId, caller.PartnerId);
            if (!caller.IsAdmin && ((course.ProviderCenterId is { } pc && pc != centerId) || (course.ProviderPartnerId is { } pp && pp != partnerId)))
                return Rejection.Forbidden("A center or partner agency records only the refresher courses it gave itself.");
            if (centerId is null && partnerId is null)
                return Rejection.InvalidField("providerCenterId", "Required for an admin: the center (or providerPartnerId) that gave the course.");
            if (centerId is { } c && !await PractitionerRepository.CenterExistsAsync(s, c))
                return Rejection.UnprocessableField("providerCenterId", $"No training center has id {c}.");
            if (partnerId is { } p && !await PractitionerRepository.PartnerExistsAsync(s, p))
                return Rejection.UnprocessableField("providerPartnerId", $"No partner agency has id {p}.");
            var courseId = Guid.CreateVersion7();
            await practitioners.InsertRefresherCourseAsync(s, new
            {
                id = courseId, practitionerId = id, courseCode = course.CourseCode, title = course.Title, hours = course.Hours,
                completedOn = course.CompletedOn, providerCenterId = centerId, providerPartnerId = partnerId,
            });
            await practitioners.TouchAsync(s, id);
            s.Audit(new AuditEntry(caller, "refresher", "practitioner", id.ToString(), new { courseId, course.CourseCode, course.Title, course.Hours, course.CompletedOn, centerId, partnerId }));
            return (await practitioners.GetVisibleAsync(s, id, caller))!;
        }, ct);

    /// <summary>
    /// A visit is recorded by an admin, by the host center (which may name any practitioner it was given the id of), by
    /// the practitioner's home center, or by their partner agency (the exchange of instructors).
    /// </summary>
    public Task<Outcome<PractitionerDto>> AddVisitAsync(Guid id, Guid centerId, DateOnly firstDay, DateOnly lastDay, Caller caller, CancellationToken ct) =>
        db.TryWriteAsync<PractitionerDto>(async s =>
        {
            var host = caller.IsCenter && caller.CenterId == centerId;
            if (await practitioners.GetVisibleAsync(s, id, host ? Caller.System : caller) is null) return NotVisible(id);
            if (!await PractitionerRepository.CenterExistsAsync(s, centerId))
                return Rejection.UnprocessableField("centerId", $"No training center has id {centerId}.");
            var visitId = Guid.CreateVersion7();
            await practitioners.InsertVisitAsync(s, new { id = visitId, practitionerId = id, centerId, firstDay, lastDay, role = caller.RoleName });
            await practitioners.TouchAsync(s, id);
            s.Audit(new AuditEntry(caller, "visit", "practitioner", id.ToString(), new { visitId, centerId, firstDay, lastDay }));
            return (await practitioners.GetVisibleAsync(s, id, caller))!;
        }, ct);
}
