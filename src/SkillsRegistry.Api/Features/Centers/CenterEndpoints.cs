namespace SkillsRegistry.Api.Features.Centers;

/// <summary>Endpoints for training centers.</summary>
public static class CenterEndpoints
{
    public static IServiceCollection AddCenters(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapCenters(this IEndpointRouteBuilder api) => api;
}
