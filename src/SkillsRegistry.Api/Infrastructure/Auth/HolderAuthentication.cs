using System.Reflection;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Infrastructure.Auth;

/// <summary>The person a holder credential stands for, and the session (or sign-in) it came from.</summary>
public sealed record HolderIdentity(Guid PersonId, Guid SessionId);

/// <summary>
/// Turns the bearer credential of a holder request into the person it stands for. Today: a registry holder session made from
/// a one-time access code and the birth date. A national single sign-on (OpenID Connect) replaces it by validating its own
/// access token and mapping its subject to a person; the holder routes know only <see cref="Holder"/>.
/// </summary>
public interface IHolderAuthenticator
{
    /// <summary>The holder, or a rejection whose detail says why the credential is not accepted (never the credential).</summary>
    Task<Outcome<HolderIdentity>> AuthenticateAsync(string credential, CancellationToken ct);
}

/// <summary>Authenticates <c>Authorization: Bearer …</c> on holder routes through <see cref="IHolderAuthenticator"/>.</summary>
public sealed class HolderAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IHolderAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HolderSession";
    private const string FailureItem = "sr:holder-auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var outcome = await authenticator.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (outcome.Rejection is { } rejection)
        {
            Context.Items[FailureItem] = rejection.Detail;
            return AuthenticateResult.Fail(rejection.Detail);
        }
        var claims = new[]
        {
            new Claim(HolderClaims.PersonId, outcome.Value.PersonId.ToString()),
            new Claim(HolderClaims.SessionId, outcome.Value.SessionId.ToString()),
        };
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            Context.Items[FailureItem] as string ?? "This operation needs a holder session: Authorization: Bearer <token from POST /holder/sessions>.",
            headers: h => h.WWWAuthenticate = "Bearer realm=\"holder\"");
}

public static class HolderClaims
{
    public const string PersonId = "sr:holder_person_id";
    public const string SessionId = "sr:holder_session_id";
}

/// <summary>The authenticated holder of a holder route: the only person whose data it may read.</summary>
public sealed record Holder(Guid PersonId, Guid SessionId) : IEndpointParameterMetadataProvider
{
    public static ValueTask<Holder?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(Guid.TryParse(context.User.FindFirstValue(HolderClaims.PersonId), out var person)
                             && Guid.TryParse(context.User.FindFirstValue(HolderClaims.SessionId), out var session)
            ? new Holder(person, session)
            : null);

    // The holder is not a request parameter: nothing of it appears in the OpenAPI document.
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) { }
}
