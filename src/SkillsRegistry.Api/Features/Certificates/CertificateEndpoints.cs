using SkillsRegistry.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Certificates.OpenBadges;
using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Certificates.Status;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Certificates;

public static class CertificateEndpoints
{
    public static IServiceCollection AddCertificates(this IServiceCollection services, IConfiguration configuration) => services
        .AddOptions<SigningOptions>().BindConfiguration("Signing")
            .Validate(o => o.Keys.All(k => k.Kid.Length > 0 && k.PemPath.Length > 0), "Signing:Keys: every key needs a Kid and a PemPath.")
            .Validate(o => o.Keys.Count == 0 || o.Keys.Count(k => k.Active) == 1, "Signing:Keys must mark exactly one key Active.")
            .ValidateOnStart().Services
        .AddSingleton(sp => sp.GetRequiredService<IOptions<SigningOptions>>().Value)
        .AddOptions<RegistryIdentity>().BindConfiguration("Registry")
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme is "https" or "http",
                "Registry:PublicBaseUrl must be an absolute http(s) URL, e.g. https://verify.skills.example.")
            .ValidateOnStart().Services
        .AddSingleton(sp => sp.GetRequiredService<IOptions<RegistryIdentity>>().Value)
        .AddSingleton<SigningKeyRing>()
        .AddSingleton<CertificateToken>()
        .AddSingleton<CertificateIssuer>()
        .AddSingleton<CertificateRepository>()
        .AddSingleton<CertificateCorrector>()
        .AddSingleton<IdentityCorrectionReissuer>()
        .AddSingleton<StatusListRepository>()
        .AddSingleton<StatusListCredentials>()
        .AddSingleton<OpenBadgeCredentials>()
        .AddCertificateRendering(configuration);

    public static IEndpointRouteBuilder MapCertificates(this IEndpointRouteBuilder api)
    {
        // Partner keys read (list, get, transcript, OB3 export) certificates of standards in their agreement's sectors while it is in force.
        var group = api.MapGroup("/certificates")
            .WithTags("Certificates")
            .RequireAuthorization(Policies.AnyKey)
            .RequirePartnerAgreementInForce()
            // Certificates carry names and scores: no shared or browser cache may keep a copy (JSON, PDF, OB3 alike).
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Response.Headers.CacheControl = "no-store";
                return await next(context);
            });
        group.MapGet("/", ListCertificates)
            .WithName("ListCertificates")
            .WithSummary("List certificates")
            .WithDescription("Filters: traineeId, centerId, standardCode, status (valid, expired, revoked, superseded), issuedFrom, issuedTo. A center key sees the certificates it issued; a partner key those of standards in its agreement's sectors.");
        group.MapGet("/{id:guid}", GetCertificate)
            .WithName("GetCertificate")
            .WithSummary("Get a certificate")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/ob3", GetCertificateOpenBadge)
            .WithName("GetCertificateOpenBadge")
            .WithSummary("Export a certificate as an Open Badges 3.0 credential (VC-JWT)")
            .WithDescription("An OpenBadgeCredential (AchievementCredential) signed with the registry's ES256 key (see GetSigningKeys), media type " +
                             "application/vc+jwt. Its credentialStatus points into a revocation status list (GetRevocationStatusList). " +
                             "It names the holder only by a salted hash of the Latin name. Visible to the same keys as GetCertificate.")
            .Produces<string>(StatusCodes.Status200OK, VerifiableCredentials.JwtMediaType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/revoke", RevokeCertificate)
            .WithName("RevokeCertificate")
            .WithSummary("Revoke a certificate (admin)")
            .WithDescription("reasonCode: issued-in-error, fraud, assessment-annulled, holder-request, other; reason: free text. Revoking a revoked certificate changes nothing.")
            .RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/corrections", CorrectCertificate)
            .WithName("CorrectCertificate")
            .WithSummary("Correct a certificate by issuing a replacement")
            .RequireAuthorization(Policies.AdminOrCenter)
            .WithDescription("Issues a new certificate with a new number carrying the corrected scores, exam date and/or standard version (of the same code); " +
                             "the old one becomes superseded and points to it. Admin, or the issuing center within 30 days of first issue. The holder's names " +
                             "are always those of the trainee record: names or other identity fields in the body are refused (400).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapCertificatePdf();

        api.MapGroup("/trainees")
            .WithTags("Certificates")
            .RequireAuthorization(Policies.AnyKey)
            .RequirePartnerAgreementInForce()
            .MapGet("/{id:guid}/transcript", GetTranscript)
            .WithName("GetTraineeTranscript")
            .WithSummary("A trainee's certificates, newest first, with status")
            .WithDescription("Admin sees all of the person's certificates; a center key sees those it issued; a partner key those in its agreement's sectors. " +
                             "A non-empty transcript is recorded in the audit log as a read of the person's data.");
        return api;
    }

    private static async Task<Results<Ok<Page<CertificateDto>>, ProblemHttpResult>> ListCertificates(
        Guid? traineeId, Guid? centerId, string? standardCode, [OneOf(typeof(CertificateStatus))] string? status, DateOnly? issuedFrom, DateOnly? issuedTo,
        int? page, int? pageSize, Caller caller, HttpContext context, CertificateRepository certificates, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        CertificateStatus? statusFilter = null;
        if (status is not null && errors.OneOf<CertificateStatus>("status", status, out var parsed)) statusFilter = parsed;
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        if (caller.IsCenter)
        {
            if (centerId is { } other && other != caller.CenterId) return Rejection.Forbidden("A center key sees only the certificates its center issued.").ToProblem();
            centerId = caller.CenterId;
        }
        var filter = new CertificateFilter(traineeId, centerId, standardCode?.Trim().ToUpperInvariant(), statusFilter, issuedFrom, issuedTo,
            PartnerGrant.AgreementOf(context)?.PartnerId);
        return TypedResults.Ok(await certificates.ListAsync(filter, p, size, offset, ct));
    }

    private static async Task<Results<Ok<CertificateDto>, ProblemHttpResult>> GetCertificate(
        Guid id, Caller caller, HttpContext context, CertificateRepository certificates, CancellationToken ct)
    {
        var certificate = await certificates.GetAsync(id, ct);
        if (certificate is null || !MayRead(caller, context, certificate)) return Rejection.NotFound($"No certificate {id} is visible to this key.").ToProblem();
        return TypedResults.Ok(certificate);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetCertificateOpenBadge(
        Guid id, Caller caller, HttpContext context, CertificateRepository certificates, OpenBadgeCredentials badges, CancellationToken ct)
    {
        var facts = await certificates.GetCredentialFactsAsync(id, ct);
        if (facts is null || !MayRead(caller, context, facts.Certificate)) return Rejection.NotFound($"No certificate {id} is visible to this key.").ToProblem();
        return TypedResults.Text(badges.Sign(facts), VerifiableCredentials.JwtMediaType);
    }

    /// <summary>Admin; the issuing center; a partner whose agreement (in force: checked by the group filter) covers the standard's sector.</summary>
    internal static bool MayRead(Caller caller, HttpContext context, CertificateDto certificate) =>
        caller.ActsForCenter(certificate.Center.Id) || (caller.IsPartner && PartnerGrant.MayRead(context, certificate.Standard.Sector));

    private static async Task<Results<Ok<CertificateDto>, ProblemHttpResult>> RevokeCertificate(
        Guid id, RevokeCertificateRequest request, Caller caller, CertificateRepository certificates, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.OneOf<RevocationReason>("reasonCode", request.ReasonCode, out var code);
        errors.Required("reason", request.Reason, 500);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var revoked = await certificates.RevokeAsync(id, code, request.Reason!.Trim(), caller, ct);
        if (revoked.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Ok(revoked.Value);
    }

    private static async Task<Results<Created<CertificateDto>, ProblemHttpResult>> CorrectCertificate(
        Guid id, CorrectCertificateRequest request, Caller caller, CertificateCorrector corrector, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("reason", request.Reason, 500);
        foreach (var field in request.OtherFields?.Keys ?? [])
            errors.Add(field, "A correction changes only what the center assessed: theoryScore, practicalScore, examDate, standardVersion. " +
                              "The holder's names and identity come from the trainee record; the registry corrects those on the trainee.");
        errors.Range("theoryScore", request.TheoryScore, 0, 100);
        errors.Range("practicalScore", request.PracticalScore, 0, 100);
        if (request.StandardVersion is < 1) errors.Add("standardVersion", "Versions start at 1.");
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var corrected = await corrector.CorrectAsync(id, request, caller, ct);
        if (corrected.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Created($"/api/v1/certificates/{corrected.Value.Id}", corrected.Value);
    }

    private static async Task<Results<Ok<Page<CertificateDto>>, ProblemHttpResult>> GetTranscript(
        Guid id, int? page, int? pageSize, Caller caller, HttpContext context, CertificateRepository certificates, PersonalDataReads reads, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var filter = new CertificateFilter(id, caller.IsCenter ? caller.CenterId : null, null, null, null, null, PartnerGrant.AgreementOf(context)?.PartnerId);
        var transcript = await certificates.ListAsync(filter, p, size, offset, ct);
        // A transcript is a person's record of achievement: reading it is audited like a read of their personal data.
        if (transcript.Items.Count > 0) await reads.RecordAsync(caller, "GetTraineeTranscript", [id], ct);
        return TypedResults.Ok(transcript);
    }
}
