namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>Endpoints for trainees.</summary>
public static class TraineeEndpoints
{
    public static IServiceCollection AddTrainees(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapTrainees(this IEndpointRouteBuilder api) => api;
}
