namespace SkillsRegistry.Api.Infrastructure.Auth;

/// <summary>Authorization policies set once on endpoint groups.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string AdminOrCenter = "admin-or-center";
    public const string AdminOrPartner = "admin-or-partner";
    /// <summary>Any key that may read the registry: admin, center or partner (a verifier key may only verify).</summary>
    public const string AnyKey = "any-key";
    /// <summary>Bulk verification: verifier keys, partner keys and admin.</summary>
    public const string Verifiers = "verifiers";
    /// <summary>A holder session (never an API key): the person reads only their own data.</summary>
    public const string Holder = "holder";

    public static IServiceCollection AddRegistryAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HolderAuthenticationHandler>(
                HolderAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, p => p.RequireRole("admin"))
            .AddPolicy(AdminOrCenter, p => p.RequireRole("admin", "center"))
            .AddPolicy(AdminOrPartner, p => p.RequireRole("admin", "partner"))
            .AddPolicy(AnyKey, p => p.RequireRole("admin", "center", "partner"))
            .AddPolicy(Verifiers, p => p.RequireRole("admin", "partner", "verifier"))

            .AddPolicy(Holder, p => p.AddAuthenticationSchemes(HolderAuthenticationHandler.SchemeName).RequireClaim(HolderClaims.PersonId));
        return services;
    }
}
