namespace SkillsRegistry.Api.Features.Partners;

/// <summary>Endpoints for partner agencies.</summary>
public static class PartnerEndpoints
{
    public static IServiceCollection AddPartners(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapPartners(this IEndpointRouteBuilder api) => api;
}
