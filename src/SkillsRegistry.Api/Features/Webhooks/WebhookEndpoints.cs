using SkillsRegistry.Api.Infrastructure.Hosting;
using SkillsRegistry.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Webhooks;

public static class WebhookEndpoints
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks")
            .Validate(o => o.MaxAttempts >= 1 && o.BatchSize >= 1, "Webhooks:MaxAttempts and Webhooks:BatchSize must be at least 1.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.RequestTimeout > TimeSpan.Zero && o.BaseDelay >= TimeSpan.Zero && o.MaxDelay >= o.BaseDelay,
                "Webhooks:PollInterval and Webhooks:RequestTimeout must be positive durations, Webhooks:MaxDelay at least Webhooks:BaseDelay.")
            .Validate(o => o.LeaseDuration > o.RequestTimeout && o.SecretRotationGrace >= TimeSpan.Zero,
                "Webhooks:LeaseDuration must be longer than Webhooks:RequestTimeout; Webhooks:SecretRotationGrace not negative.")
            .ValidateOnStart();
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>(Infrastructure.OpenApi.OpenApiSetup.DocumentName, o => o.AddWebhookSection());
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan) // the dispatcher times each attempt
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<WebhookTargets>().ConnectAsync, // every connection: public addresses only
                AllowAutoRedirect = false, // a redirect is an answer, not a place to send signed data
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            });
        services.AddSingleton<WebhookHostResolver>();
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<WebhookRepository>();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddSingleton<IDataSeeder, WebhookSecretProtection>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder api)
    {
        // A partner manages its webhooks only while its agreement is in force, like everything else it does.
        var group = api.MapGroup("/webhooks")
            .WithTags("Webhooks")
            .RequireAuthorization(Policies.AnyKey)
            .RequirePartnerAgreementInForce();

        group.MapPost("/", CreateWebhook)
            .WithName("CreateWebhook")
            .WithSummary("Subscribe a URL to registry events")
            .WithDescription("The URL must be https and its host must resolve only to public internet addresses (checked now and again at every delivery). The response holds the signing secret (whsec_…); it is shown only this once. " +
                             "Deliveries follow the Standard Webhooks specification (see the webhooks section of this document for each event's payload): " +
                             "a POST of { id, type, occurredAt, data } with headers webhook-id (the event id, stable across retries), webhook-timestamp " +
                             "(unix seconds) and webhook-signature (v1,base64(HMAC-SHA256(key, \"{webhook-id}.{webhook-timestamp}.{body}\")), one per valid secret, space-separated). " +
                             "A center receives its own certificates' events and all standard events; a partner agency the events in its agreement's sectors.");
        group.MapGet("/", ListWebhooks)
            .WithName("ListWebhooks")
            .WithSummary("List webhooks (never their secrets)")
            .WithDescription("Admin sees every webhook; a center or partner key sees its organisation's.");
        group.MapGet("/{id:guid}", GetWebhook)
            .WithName("GetWebhook")
            .WithSummary("Get a webhook")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", DeleteWebhook)
            .WithName("DeleteWebhook")
            .WithSummary("Deactivate a webhook")
            .WithDescription("Stops deliveries, including pending retries. The webhook and its delivery log stay readable. Deleting twice is harmless.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/deliveries", ListWebhookDeliveries)
            .WithName("ListWebhookDeliveries")
            .WithSummary("A webhook's delivery log, newest first")
            .WithDescription("status: pending, succeeded, dead. Each delivery shows its attempts, the last status code or error, and when it is retried next.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverWebhookDelivery)
            .WithName("RedeliverWebhookDelivery")
            .WithSummary("Queue a dead-lettered delivery again")
            .WithDescription("The delivery gets a fresh retry budget and keeps its event id, so receivers still de-duplicate it. " +
                             "Earlier attempts stay in its attempt log; new ones are added after them.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/rotate-secret", RotateWebhookSecret)
            .WithName("RotateWebhookSecret")
            .WithSummary("Replace a webhook's signing secret, keeping the old one valid for a grace period")
            .WithDescription("Returns the new secret (shown only this once). Until previousSecretExpiresAt (Webhooks:SecretRotationGrace, 24 hours by default) " +
                             "every delivery carries two signatures in webhook-signature, one per secret, so a receiver verifying with either secret accepts it. " +
                             "Rotating again during a grace period ends the older secret at once.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Created<CreatedWebhookDto>, ProblemHttpResult>> CreateWebhook(
        CreateWebhookRequest request, Caller caller, WebhookRepository webhooks, WebhookTargets targets, CancellationToken ct)
    {
        var errors = WebhookValidation.Validate(request, targets.IsAllowListed, out var webhook);
        if (errors.IsEmpty && await targets.ProblemAsync(webhook!.Url, ct) is { } target) errors.Add("url", target);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var created = await webhooks.CreateAsync(webhook!, caller, ct);
        return TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", created);
    }

    private static async Task<Results<Ok<Page<WebhookDto>>, ProblemHttpResult>> ListWebhooks(
        int? page, int? pageSize, Caller caller, WebhookRepository webhooks, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        return TypedResults.Ok(await webhooks.ListAsync(WebhookScope.Of(caller), p, size, offset, ct));
    }

    private static async Task<Results<Ok<WebhookDto>, ProblemHttpResult>> GetWebhook(
        Guid id, Caller caller, WebhookRepository webhooks, CancellationToken ct) =>
        await webhooks.GetAsync(id, WebhookScope.Of(caller), ct) is { } webhook ? TypedResults.Ok(webhook) : NotVisible(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhook(
        Guid id, Caller caller, WebhookRepository webhooks, CancellationToken ct) =>
        (await webhooks.DeactivateAsync(id, WebhookScope.Of(caller), caller, ct)).Rejection is { } rejection
            ? rejection.ToProblem()
            : TypedResults.NoContent();

    private static async Task<Results<Ok<Page<WebhookDeliveryDto>>, ProblemHttpResult>> ListWebhookDeliveries(
        Guid id, [OneOf(typeof(WebhookDeliveryStatus))] string? status, int? page, int? pageSize, Caller caller, WebhookRepository webhooks, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (p, size, offset) = Paging.Normalize(page, pageSize, errors);
        WebhookDeliveryStatus? filter = null;
        if (status is not null && errors.OneOf<WebhookDeliveryStatus>("status", status, out var parsed)) filter = parsed;
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var deliveries = await webhooks.ListDeliveriesAsync(id, filter, WebhookScope.Of(caller), p, size, offset, ct);
        if (deliveries.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Ok(deliveries.Value);
    }

    private static async Task<Results<Ok<WebhookDeliveryDto>, ProblemHttpResult>> RedeliverWebhookDelivery(
        Guid id, Guid deliveryId, Caller caller, WebhookRepository webhooks, CancellationToken ct)
    {
        var redelivered = await webhooks.RedeliverAsync(id, deliveryId, WebhookScope.Of(caller), caller, ct);
        if (redelivered.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Ok(redelivered.Value);
    }

    private static async Task<Results<Ok<RotatedWebhookSecretDto>, ProblemHttpResult>> RotateWebhookSecret(
        Guid id, Caller caller, WebhookRepository webhooks, Microsoft.Extensions.Options.IOptions<WebhookOptions> options, CancellationToken ct)
    {
        var rotated = await webhooks.RotateSecretAsync(id, WebhookScope.Of(caller), caller, options.Value.SecretRotationGrace, ct);
        if (rotated.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Ok(rotated.Value);
    }

    private static ProblemHttpResult NotVisible(Guid id) => Rejection.NotFound($"No webhook {id} is visible to this key.").ToProblem();
}
