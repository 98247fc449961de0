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
    private const string HolderSchemeId = HolderAuthenticationHandler.SchemeName;

    /// <summary>Tag descriptions shown by documentation tools (Redocly's tag-description rule asks for one per tag).</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Verification"] = "Public checks for employers: certificate verification, the registry's signing keys, revocation status lists.",
        ["API keys"] = "Keys for admins, training centers and partner agencies (admin only).",
        ["Reference data"] = "Provinces, economic sectors and trainee target groups: public to read, admin to edit.",
        ["Partner agencies"] = "Partner agencies and their agreements (MoU): sectors, term and extensions.",
        ["Competency standards"] = "National competency standards: versions, lifecycle and the version in force on a date.",
        ["Training centers"] = "Public and private training centers, their licences and licensed scope.",
        ["Trainees"] = "People who take assessments, identified by national ID or passport.",
        ["Assessments"] = "Assessment results submitted by training centers in batches; passing results issue certificates.",
        ["Certificates"] = "Issued certificates: listing, transcripts, revocation, corrections and Open Badges 3.0 export.",
        ["Audit"] = "The audit trail of every change (admin only).",
        ["Webhooks"] = "Event subscriptions for partner agencies and centers: signed deliveries, retries and the delivery log.",
        ["Statistics"] = "Aggregate counts and pass rates by province, center, standard, sector, target group, gender and period.",
        ["Integrity"] = "Signals of results that look too good to be true (admin only).",
        ["Holders"] = "The person a certificate belongs to: a one-time access code (from a center) exchanged for a holder session; " +
                      "their own record, certificates and read log; shares of certificates by link, and what a share link shows.",
    };

    /// <param name="featureHeaders">Request headers that features read (the shared ones are declared in <see cref="ContractComponents"/>).</param>
    public static IServiceCollection AddRegistryOpenApi(this IServiceCollection services, params ContractRequestHeader[] featureHeaders)
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
                    License = new OpenApiLicense
                    {
                        Name = "Proprietary; API contract free to implement against",
                        Url = new Uri("https://registry.example.org/api-terms"),
                    },
                };
                document.Servers = [new OpenApiServer { Url = "/", Description = "This registry instance" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "An API key created with `keys create` or POST /api/v1/api-keys. Roles: admin, center, partner, verifier (bulk verification only).",
                };
                document.Components.SecuritySchemes[HolderSchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A holder session token (srh_…) from POST /holder/sessions (an access code and the birth date). " +
                                  "Only /holder routes accept it, and they answer only about the session's own person.",
                };
                foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
                {
                    if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description ??= description;
                }
                ContractComponents.AddTo(document, featureHeaders);
                RequestSchemaTransformer.StripRequestNulls(document);
                ContractOperationTransformer.JsonOnlyForJson(document);
                ResponseExamples.AddTo(document);
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer<RequestSchemaTransformer>();
            o.AddOperationTransformer<ContractOperationTransformer>();
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true && RequestExamples.For(operation.OperationId) is { } example)
                    body.Example = ContractComponents.WithoutNulls(example);
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var needsKey = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
                var scheme = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == Policies.Holder) ? HolderSchemeId : SchemeId;
                operation.Security = needsKey
                    ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }]
                    : [];
                // 401/403 are declared once on /api/v1; an operation that needs no key answers neither.
                if (!needsKey && operation.Responses is { } responses)
                {
                    responses.Remove("401");
                    responses.Remove("403");
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }
}
