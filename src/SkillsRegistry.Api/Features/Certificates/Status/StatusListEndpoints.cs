using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Certificates.Status;

/// <summary>The public revocation status lists that certificates (QR tokens, Open Badges) point to.</summary>
public static class StatusListEndpoints
{
    public static IEndpointRouteBuilder MapStatusLists(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status/revocation/{listId:long}", GetRevocationStatusList)
            .WithTags("Verification")
            .WithName("GetRevocationStatusList")
            .WithSummary("A revocation status list (W3C Bitstring Status List v1.0) as a VC-JWT (public)")
            .WithDescription("""
                A BitstringStatusListCredential signed with the registry's ES256 key (see GetSigningKeys), media type application/vc+jwt.
                Bit i of the GZIP-compressed, multibase-base64url encodedList is 1 when the certificate with statusListIndex i
                (its QR token's sl/si claims, or its Open Badge's credentialStatus) is no longer valid: revoked, or superseded by a
                corrected certificate (which has its own entry). No key needed; rate-limited; cacheable 5 minutes.
                """)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.PublicPolicy)
            .Produces<string>(StatusCodes.Status200OK, VerifiableCredentials.JwtMediaType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetRevocationStatusList(
        long listId, HttpContext http, StatusListCredentials credentials, CancellationToken ct)
    {
        if (await credentials.SignedAsync(listId, ct) is not { } jwt) return Rejection.NotFound($"No revocation status list has id {listId}.").ToProblem();
        http.Response.Headers.CacheControl = $"public, max-age={StatusListCredentials.MaxAgeSeconds}";
        return TypedResults.Text(jwt, VerifiableCredentials.JwtMediaType);
    }
}
