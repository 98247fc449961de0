namespace SkillsRegistry.Api.Features.Standards;

/// <summary>Endpoints for competency standards.</summary>
public static class StandardEndpoints
{
    public static IServiceCollection AddStandards(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapStandards(this IEndpointRouteBuilder api) => api;
}
