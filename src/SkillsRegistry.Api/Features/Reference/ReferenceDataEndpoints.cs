namespace SkillsRegistry.Api.Features.Reference;

/// <summary>Endpoints for reference data (provinces, sectors, target groups).</summary>
public static class ReferenceDataEndpoints
{
    public static IServiceCollection AddReferenceData(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapReferenceData(this IEndpointRouteBuilder api) => api;
}
