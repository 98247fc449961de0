using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Metadata;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Infrastructure.Auth;

/// <summary>
/// <c>Verifier</c>: an employer's or agency's key that may only verify certificates in bulk (<c>POST /api/v1/verifications</c>).
/// </summary>
public enum ApiKeyRole { Admin, Center, Partner, Verifier }

/// <summary>Who is calling: the authenticated API key, or the system itself (CLI, seeding).</summary>
public sealed record Caller(Guid? KeyId, ApiKeyRole? Role, string Name, Guid? CenterId, Guid? PartnerId) : IEndpointParameterMetadataProvider
{
    public static readonly Caller System = new(null, null, "system", null, null);

    /// <summary>A person acting on their own record through a holder session (audited as role "holder", no key).</summary>
    public static readonly Caller Holder = new(null, null, "holder", null, null);

    public bool IsAdmin => Role == ApiKeyRole.Admin;
    public bool IsCenter => Role == ApiKeyRole.Center;
    public bool IsPartner => Role == ApiKeyRole.Partner;
    public string RoleName => Role is { } r ? EnumText.ToText(r) : Name == Holder.Name ? Holder.Name : "system";

    /// <summary>True when the caller may act for this training center: admin, or that center's own key.</summary>
    public bool ActsForCenter(Guid centerId) => IsAdmin || (IsCenter && CenterId == centerId);

    public static ValueTask<Caller> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

    public static Caller From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return new Caller(null, null, "anonymous", null, null);
        return new Caller(
            Guid.Parse(user.FindFirstValue(ApiKeyClaims.KeyId)!),
            EnumText.Parse<ApiKeyRole>(user.FindFirstValue(ClaimTypes.Role)!),
            user.FindFirstValue(ClaimTypes.Name) ?? "",
            ParseOptional(user.FindFirstValue(ApiKeyClaims.CenterId)),
            ParseOptional(user.FindFirstValue(ApiKeyClaims.PartnerId)));
    }

    private static Guid? ParseOptional(string? value) => Guid.TryParse(value, out var g) ? g : null;

    // Keeps the binder's metadata out of the OpenAPI document: the caller is not a request parameter.
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) { }
}

public static class ApiKeyClaims
{
    public const string KeyId = "sr:key_id";
    public const string CenterId = "sr:center_id";
    public const string PartnerId = "sr:partner_id";
}
