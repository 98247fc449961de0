using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Infrastructure.Auth;

public sealed record StoredApiKey(
    Guid Id, string Hash, string Name, string Role, Guid? CenterId, Guid? PartnerId,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>Authenticates the X-Api-Key header. Looked up on every request so a revocation counts at once, on every instance.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    Db db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string FailureItem = "sr:auth-failure";

    private const string SelectByPrefix = """
        SELECT id AS Id, hash AS Hash, name AS Name, role AS Role, center_id AS CenterId, partner_id AS PartnerId,
               expires_at AS ExpiresAt, revoked_at AS RevokedAt
        FROM api_keys WHERE prefix = @prefix
        """;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values)) return AuthenticateResult.NoResult();
        var presented = values.ToString().Trim();
        // The answers name no key, prefix or key name: a 401 may be shown or logged where the key's owner is not the reader.
        if (!ApiKeySecret.LooksValid(presented)) return Fail($"The {HeaderName} header does not hold a SkillsRegistry API key (srk_ followed by 43 characters).");

        var stored = await db.ReadAsync(s => s.QuerySingleOrDefaultAsync<StoredApiKey>(SelectByPrefix, new { prefix = ApiKeySecret.PrefixOf(presented) }), Context.RequestAborted);
        if (stored is null || !ApiKeySecret.Matches(presented, stored.Hash)) return Fail("The API key is unknown to the registry.");
        if (stored.RevokedAt is not null) return Fail("The API key has been revoked. Ask the registry's administrators for a new one.");
        if (stored.ExpiresAt is { } expires && expires <= clock.GetUtcNow()) return Fail("The API key has expired. Ask the registry's administrators for a new one.");

        var claims = new List<Claim>
        {
            new(ApiKeyClaims.KeyId, stored.Id.ToString()),
            new(ClaimTypes.Name, stored.Name),
            new(ClaimTypes.Role, stored.Role),
        };
        if (stored.CenterId is { } c) claims.Add(new(ApiKeyClaims.CenterId, c.ToString()));
        if (stored.PartnerId is { } p) claims.Add(new(ApiKeyClaims.PartnerId, p.ToString()));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = Context.Items[FailureItem] as string
            ?? $"This operation needs an API key in the {HeaderName} header.";
        return ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, detail,
            headers: h => h.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var caller = Caller.From(Context.User);
        return ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden,
            $"A key with the role '{caller.RoleName}' may not call {Request.Method} {Request.Path}.");
    }
}
