using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.OpenBadges;
using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Certificates.Status;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Holders;

/// <summary>
/// The person a certificate belongs to: an access code from a center, exchanged for a holder session, reads their own record,
/// certificates and read log, and shares certificates by link. A holder route answers only about the session's own person:
/// any other id is 404, as if it did not exist.
/// </summary>
public static class HolderEndpoints
{
    public static IServiceCollection AddHolders(this IServiceCollection services)
    {
        var options = services.AddOptions<HolderOptions>().BindConfiguration(HolderOptions.Section);
        foreach (var (value, name) in HolderOptions.Positive)
            options.Validate(o => value(o) > 0, $"{HolderOptions.Section}:{name} must be a positive number.");
        options.ValidateOnStart();
        return services
            .AddFailedAttemptLimiting()
            .AddSingleton<HolderAccess>()
            .AddSingleton<HolderSessions>()
            .AddSingleton<IHolderAuthenticator>(sp => sp.GetRequiredService<HolderSessions>())
            .AddSingleton<HolderRecords>()
            .AddSingleton<HolderShares>();
    }

    /// <summary>Under /api/v1: a center or admin issues a code.</summary>
    public static IEndpointRouteBuilder MapHolderAccessCodes(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/trainees")
            .WithTags("Holders")
            .RequireAuthorization(Policies.AdminOrCenter)
            .MapPost("/{id:guid}/access-codes", IssueAccessCode)
            .WithName("IssueHolderAccessCode")
            .WithSummary("Issue a one-time access code for the person to see their own record")
            .WithDescription("Admin, or a center linked to the person. The code (XXXX-XXXX-XXXX) is shown in this answer only: the registry " +
                             "keeps its keyed hash. It works once, for Holders:AccessCodeHours (72 h), with the person's birth date, at " +
                             "POST /holder/sessions. A person holds at most Holders:AliveCodesPerPerson (3) live codes: a new one retires " +
                             "the oldest. Audited (never the code).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGroup("/shares")
            .WithTags("Holders")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .MapGet("/{token}", ViewShareJson)
            .WithName("ViewShare")
            .WithSummary("What a holder's share link shows (public)")
            .WithDescription("state first (active, revoked, expired, not-found, with message in the language asked with lang=fa|en|ar or " +
                             "Accept-Language, default fa, and messageEn/messageFa beside it): only an active share shows the holder's " +
                             "name and its certificates, each as verification answers it, verdict first (genuine, genuine-but-revoked, " +
                             "genuine-but-superseded, genuine-but-expired). Never a national ID, birth date or contact detail. Every call is " +
                             "counted as a view the holder sees (time and the viewer's network, never the address). The link itself, " +
                             "/shares/{token}, opens the page (JSON with Accept: application/json or /shares/{token}.json).")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    /// <summary>/holder: the session exchange and everything a holder does with a session.</summary>
    public static IEndpointRouteBuilder MapHolders(this IEndpointRouteBuilder app)
    {
        var holder = app.MapGroup("/holder")
            .WithTags("Holders")
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            // A holder's own data: no shared or browser cache keeps a copy.
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Response.Headers.CacheControl = "no-store";
                return await next(context);
            });
        holder.MapPost("/sessions", SignIn)
            .AllowAnonymous()
            .LimitFailedAttempts()
            .WithName("CreateHolderSession")
            .WithSummary("Exchange an access code and birth date for a holder session")
            .WithDescription("The code from IssueHolderAccessCode (hyphens, spaces and case do not matter) and the birth date (YYYY-MM-DD). " +
                             "The answer's token goes in Authorization: Bearer on /holder routes; it ends after idleTimeoutMinutes without " +
                             "a request and at expiresAt at the latest. Any refusal is 422 and reads the same whatever was wrong. A code is " +
                             "burned after Holders:WrongBirthDatesPerCode (5) wrong birth dates; a network that made " +
                             "RateLimiting:FailedAttempts:PermitLimit (10) refused attempts in WindowMinutes (15) gets 429 until the window ends.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var own = holder.MapGroup("")
            .RequireAuthorization(Policies.Holder)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        own.MapDelete("/sessions/current", EndSession)
            .WithName("EndHolderSession")
            .WithSummary("End this holder session (sign out)");
        own.MapGet("/record", GetRecord)
            .WithName("GetHolderRecord")
            .WithSummary("Your record as the registry holds it (identifiers masked)");
        own.MapGet("/certificates", ListOwnCertificates)
            .WithName("ListHolderCertificates")
            .WithSummary("Your certificates, newest first, with status (your transcript)");
        own.MapGet("/certificates/{id:guid}/pdf", GetOwnCertificatePdf)
            .WithName("GetHolderCertificatePdf")
            .WithSummary("One of your certificates as the bilingual PDF with its verification QR code")
            .WithDescription("503 when the PDF engine is not installed or is saturated; retry later.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        own.MapGet("/certificates/{id:guid}/ob3", GetOwnCertificateOpenBadge)
            .WithName("GetHolderCertificateOpenBadge")
            .WithSummary("One of your certificates as an Open Badges 3.0 credential (VC-JWT) for your wallet")
            .Produces<string>(StatusCodes.Status200OK, VerifiableCredentials.JwtMediaType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        own.MapGet("/reads", ListReads)
            .WithName("ListHolderPersonalDataReads")
            .WithSummary("Who read your personal data: when, which organisation, what")
            .WithDescription("Newest first. The reader is named by organisation (a training center, a partner agency, or the registry's " +
                             "administration), never by key or person. Your own reads are not listed.");
        own.MapPost("/shares", CreateShare)
            .WithName("CreateHolderShare")
            .WithSummary("Share certificates (or your whole transcript) by link and QR code")
            .WithDescription("certificateIds (your own, up to 100) or wholeTranscript: true; days 1–90 (default 30); recipientLabel (optional, " +
                             "for your own list). The url is shown in this answer only (the registry keeps its hash); qrSvg encodes it.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        own.MapGet("/shares", ListShares)
            .WithName("ListHolderShares")
            .WithSummary("Your shares with their state and view counts, newest first");
        own.MapGet("/shares/{id:guid}/views", ListShareViews)
            .WithName("ListHolderShareViews")
            .WithSummary("Each view of one of your shares: when, and the viewer's network (never the address)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        own.MapPost("/shares/{id:guid}/revoke", RevokeShare)
            .WithName("RevokeHolderShare")
            .WithSummary("Withdraw a share: its link shows that it was withdrawn, and nothing else")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<AccessCodeDto>, ProblemHttpResult>> IssueAccessCode(
        Guid id, Caller caller, HolderAccess access, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var issued = await access.IssueAsync(id, caller, ct);
        if (issued.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Created((string?)null, issued.Value);
    }

    private static async Task<Results<Created<HolderSessionDto>, ProblemHttpResult>> SignIn(
        HolderSignInRequest request, HolderAccess access, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("code", request.Code, 40);
        if (request.BirthDate is null) errors.Add("birthDate", "Required: your birth date as YYYY-MM-DD.");
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var session = await access.SignInAsync(request.Code, request.BirthDate!.Value, ct);
        if (session.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Created((string?)null, session.Value);
    }

    private static async Task<NoContent> EndSession(Holder holder, HolderSessions sessions, CancellationToken ct)
    {
        await sessions.EndAsync(holder, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<HolderRecordDto>, ProblemHttpResult>> GetRecord(Holder holder, HolderRecords records, CancellationToken ct) =>
        await records.GetAsync(holder.PersonId, ct) is { } record
            ? TypedResults.Ok(record)
            : Rejection.NotFound("Your record is no longer in the registry.").ToProblem();

    private static async Task<Results<Ok<Page<CertificateDto>>, ProblemHttpResult>> ListOwnCertificates(
        int? page, int? pageSize, Holder holder, CertificateRepository certificates, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return TypedResults.Ok(await certificates.ListAsync(new CertificateFilter(holder.PersonId, null, null, null, null, null, null), p, size, offset, ct));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetOwnCertificatePdf(
        Guid id, Holder holder, CertificateRepository certificates, CertificatePdfs pdfs, RegistryIdentity registry, CancellationToken ct)
    {
        var printable = await certificates.GetPrintableAsync(id, ct);
        if (printable is null || printable.Certificate.TraineeId != holder.PersonId) return NotYours(id).ToProblem();
        return await CertificatePdfEndpoint.PdfAsync(printable, pdfs, registry, ct);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetOwnCertificateOpenBadge(
        Guid id, Holder holder, CertificateRepository certificates, OpenBadgeCredentials badges, CancellationToken ct)
    {
        var facts = await certificates.GetCredentialFactsAsync(id, ct);
        if (facts is null || facts.Certificate.TraineeId != holder.PersonId) return NotYours(id).ToProblem();
        return TypedResults.Text(badges.Sign(facts), VerifiableCredentials.JwtMediaType);
    }

    private static Rejection NotYours(Guid certificateId) => Rejection.NotFound($"You hold no certificate {certificateId}.");

    private static async Task<Results<Ok<Page<PersonalDataReadDto>>, ProblemHttpResult>> ListReads(
        int? page, int? pageSize, Holder holder, HolderRecords records, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return TypedResults.Ok(await records.ReadsAsync(holder.PersonId, p, size, offset, ct));
    }

    private static async Task<Results<Created<CreatedShareDto>, ProblemHttpResult>> CreateShare(
        CreateShareRequest request, Holder holder, HolderShares shares, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var ids = (request.CertificateIds ?? []).Distinct().ToList();
        var whole = request.WholeTranscript == true;
        if (whole == ids.Count > 0) errors.Add("certificateIds", "Name your certificates in certificateIds, or set wholeTranscript to true: one of the two.");
        if (ids.Count > 100) errors.Add("certificateIds", "At most 100 certificates in one share; share the whole transcript instead.");
        if (request.Days is < 1 or > HolderOptions.MostShareDays) errors.Add("days", $"From 1 to {HolderOptions.MostShareDays} days.");
        errors.MaxLength("recipientLabel", request.RecipientLabel, 100);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var created = await shares.CreateAsync(holder, ids, whole, request.Days ?? 30, string.IsNullOrWhiteSpace(request.RecipientLabel) ? null : request.RecipientLabel.Trim(), ct);
        if (created.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Created($"/holder/shares/{created.Value.Share.Id}", created.Value);
    }

    private static async Task<Results<Ok<Page<ShareDto>>, ProblemHttpResult>> ListShares(
        int? page, int? pageSize, Holder holder, HolderShares shares, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return TypedResults.Ok(await shares.ListAsync(holder, p, size, offset, ct));
    }

    private static async Task<Results<Ok<Page<ShareViewDto>>, ProblemHttpResult>> ListShareViews(
        Guid id, int? page, int? pageSize, Holder holder, HolderShares shares, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var views = await shares.ViewsAsync(holder, id, p, size, offset, ct);
        if (views.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Ok(views.Value);
    }

    private static async Task<Results<Ok<ShareDto>, ProblemHttpResult>> RevokeShare(Guid id, Holder holder, HolderShares shares, CancellationToken ct)
    {
        var revoked = await shares.RevokeAsync(holder, id, ct);
        if (revoked.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Ok(revoked.Value);
    }

    private static async Task<Ok<ShareAnswer>> ViewShareJson(
        string token, [FromQuery(Name = "lang"), OneOf(typeof(Language))] string? language, HttpContext http, HolderShares shares, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await shares.ViewAsync(token, http.Connection.RemoteIpAddress, VerificationEndpoints.SpeakTo(http, language), ct));
    }
}
