using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Features.Assessments;
using SkillsRegistry.Api.Features.Audit;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Api.Features.Certificates.Status;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Features.Demo;
using SkillsRegistry.Api.Features.Holders;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Features.Reference;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Features.Statistics;
using SkillsRegistry.Api.Features.Integrity;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Features.Practitioners;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Api.Infrastructure.Protection;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api;

/// <summary>
/// Composition root: everything Program.cs needs is two calls. The one place that knows every feature (Infrastructure never
/// refers to a feature).
/// </summary>
public static class RegistryHost
{
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <summary>
    /// QR codes, token issuers, Open Badges issuer ids and status-list URLs are all made from Registry:PublicBaseUrl and
    /// are printed or signed for good: a service outside Development (and the tests' Testing) refuses the localhost
    /// default. (The keys command, which serves nothing, does not need it.)
    /// </summary>
    private static void RefuseLocalhostIdentityOutsideDevelopment(WebApplication builder)
    {
        if (builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing")) return;
        var configured = builder.Configuration["Registry:PublicBaseUrl"];
        if (string.IsNullOrWhiteSpace(configured) || configured.TrimEnd('/') == Features.Certificates.Signing.RegistryIdentity.DefaultPublicBaseUrl)
            throw new InvalidOperationException(
                $"Registry:PublicBaseUrl is not set (it would default to {Features.Certificates.Signing.RegistryIdentity.DefaultPublicBaseUrl}) in the " +
                $"{builder.Environment.EnvironmentName} environment. Certificates' QR codes, token issuers and Open Badges ids are made from it and " +
                "cannot be changed once issued: set it to the registry's public https address (e.g. Registry__PublicBaseUrl=https://verify.skills.example).");
    }

    public static WebApplicationBuilder AddSkillsRegistry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .PostConfigure<IConfiguration, IHostEnvironment>((o, configuration, environment) =>
            {
                o.ConnectionString ??= configuration.GetConnectionString("Registry");
                o.ReadOnlyConnectionString ??= configuration.GetConnectionString("RegistryReadOnly");
                if (!Path.IsPathRooted(o.DataDirectory)) o.DataDirectory = Path.Combine(environment.ContentRootPath, o.DataDirectory);
            })
            .Validate(o => Enum.IsDefined(o.Provider), "Database:Provider must be Sqlite or Postgres.")
            .Validate<IHostEnvironment>((o, environment) => o.DemoDataAllowedIn(environment), DatabaseOptions.DemoDataInProductionRefused)
            .Validate(o => o.ReadReplicaFits, DatabaseOptions.ReadReplicaOnSqlite)
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Db>();
        services.AddSingleton(builder.Configuration.GetSection("DataProtection").Get<FieldProtectionOptions>() ?? new FieldProtectionOptions());
        services.AddSingleton<FieldProtector>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<DatabaseStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        services.AddSingleton<RegistryChanges>();
        services.AddHostedService<RegistryChangeListener>();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            // Numbers are JSON numbers: "72.5" in quotes is a field error, and the contract types every integer as integer only.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false); // no product banner
        services.AddTrustedProxies(builder.Configuration);
        services.AddRegistryProblemDetails();
        services.AddRegistryAuthorization();
        services.AddRegistryRateLimiting();
        services.AddRegistryOpenApi(new ContractRequestHeader(VerificationEndpoints.TokenHeader,
            "The signed token from the certificate's QR code (the part after #t=). With it the answer includes the " +
            "holder's name as signed, and its signature is checked.", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4096 }));
        builder.AddRegistryTelemetry();
        services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: ["ready"])
            .AddCheck<PdfRendererCheck>("pdf-renderer", tags: ["ready"])
            .AddCheck<ChangeListenerCheck>("change-listener", tags: ["ready"])
            .AddCheck<OutboxBacklogCheck>("outbox", tags: ["ready"]);

        services.AddApiKeys();
        services.AddReferenceData();
        services.AddPartners();
        services.AddStandards();
        services.AddCenters();
        services.AddTrainees();
        services.AddPractitioners();
        services.AddAssessments();
        services.AddCertificates(builder.Configuration);
        services.AddVerification(builder.Configuration);
        services.AddWebhooks();
        services.AddAudit();
        services.AddHolders();
        services.AddSingleton<IDataSeeder, DemoDataSeeder>();
        services.AddStatistics(builder.Configuration);
        services.AddIntegrity(builder.Configuration);
        return builder;
    }

    public static WebApplication MapSkillsRegistry(this WebApplication app)
    {
        RefuseLocalhostIdentityOutsideDevelopment(app);
        // The ValidateOnStart checks run here, before anything is mapped or started: a bad setting stops the service with a
        // message naming it (the host would run them again on start, from the options already made).
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.UseFailedRequestTracing();
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRegistryMetrics();
        var verificationCache = app.Services.GetRequiredService<VerificationCache>();
        app.Services.GetRequiredService<RegistryMetrics>().ObserveVerificationCacheSize(() => verificationCache.Count);
        app.UseMiddleware<RequestBodyLimitMiddleware>(MaxRequestBodyBytes);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<GregorianQueryDatesMiddleware>();

        app.MapOpenApi(OpenApiSetup.DocumentPath);
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint(OpenApiSetup.DocumentPath, "SkillsRegistry API v1");
            o.DocumentTitle = "SkillsRegistry API";
        });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = HealthReportJson.WriteAsync,
        }).ExcludeFromDescription();

        var api = app.MapGroup("/api/v1")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapApiKeys();
        api.MapReferenceData();
        api.MapPartners();
        api.MapStandards();
        api.MapCenters();
        api.MapTrainees();
        api.MapPractitioners();
        api.MapAssessments();
        api.MapCertificates();
        api.MapAudit();
        api.MapVerification();
        api.MapWebhooks();
        api.MapHolderAccessCodes();
        app.MapHolders();
        app.MapSharePages();
        app.MapVerificationPages();
        app.MapStatusLists();
        api.MapStatistics();
        api.MapIntegrity();
        app.MapStatisticsPages();
        return app;
    }
}
