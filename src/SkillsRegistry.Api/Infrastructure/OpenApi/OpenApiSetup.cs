using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SkillsRegistry.Api.Infrastructure.Auth;

namespace SkillsRegistry.Api.Infrastructure.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    private const string SchemeId = "ApiKey";

    public static IServiceCollection AddRegistryOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "SkillsRegistry API",
                    Version = "1.0.0",
                    Description = "National registry for vocational skills certification: competency standards, training centers, " +
                                  "assessment results and certificates that employers can verify.",
                    Contact = new OpenApiContact { Name = "SkillsRegistry operations", Email = "registry-ops@example.org" },
                    License = new OpenApiLicense { Name = "Proprietary; API contract free to implement against" },
                };
                document.Servers = [new OpenApiServer { Url = "/", Description = "This registry instance" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "An API key created with `keys create` or POST /api/v1/api-keys. Roles: admin, center, partner.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var needsKey = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
                operation.Security = needsKey
                    ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] }]
                    : [];
                return Task.CompletedTask;
            });
        });
        return services;
    }
}
