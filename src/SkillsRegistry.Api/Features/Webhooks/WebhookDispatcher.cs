using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Infrastructure.Telemetry;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// Delivers webhook events at least once. Each round fans out new outbox events, leases a small batch of due
/// deliveries and POSTs them; outcomes and retry times are stored in the database, so a restart (or another
/// instance, once a lease expires) carries on where this one stopped. Receivers de-duplicate on Webhook-Id.
/// </summary>
public sealed class WebhookDispatcher(
    WebhookDeliveryStore store, IHttpClientFactory httpClients, IOptions<WebhookOptions> options, TimeProvider clock,
    ILogger<WebhookDispatcher> logger, RegistryMetrics metrics) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    /// <summary>What the delivery log says for any network-level failure.</summary>
    public const string ConnectionFailed = "connection-failed: the registry could not connect to the webhook's host or complete the TLS handshake";

    private readonly WebhookOptions settings = options.Value;
    private long roundsStarted;

    /// <summary>Raised after each completed round: a signal to wait on (tests) instead of sleeping and hoping.</summary>
    public event Action<DispatchRound>? RoundFinished;

    /// <summary>How many rounds have started so far; a round numbered higher started after this was read.</summary>
    public long RoundsStarted => Interlocked.Read(ref roundsStarted);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            logger.LogInformation("Webhook dispatcher is disabled (Webhooks:Enabled=false); events are recorded but not sent by this instance.");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Webhook dispatch round failed; retrying after the poll interval");
            }
            if (busy) continue;
            try
            {
                await Task.Delay(settings.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round; true when there may be more work right away.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var number = Interlocked.Increment(ref roundsStarted);
        var fannedOut = await store.FanOutAsync(settings.BatchSize, ct);
        var claimed = await store.ClaimDueAsync(settings.BatchSize, settings.LeaseDuration, ct);
        await Task.WhenAll(claimed.Select(d => DeliverAsync(d, ct)));
        RoundFinished?.Invoke(new DispatchRound(number, fannedOut, claimed.Count));
        return fannedOut == settings.BatchSize || claimed.Count == settings.BatchSize;
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        using var span = RegistryActivities.Source.StartActivity("webhook deliver");
        span?.SetTag("registry.webhook.delivery_id", delivery.Id.ToString());
        span?.SetTag("registry.webhook.event_type", delivery.EventType);
        var body = Envelope(delivery);
        var attemptedAt = clock.GetUtcNow();
        var timestamp = attemptedAt.ToUnixTimeSeconds();
        var messageId = delivery.EventId.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, messageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(delivery.SigningSecrets(attemptedAt), messageId, timestamp, body));

        AttemptResult result;
        var started = clock.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.RequestTimeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var outcome = WebhookRetry.Classify(response.StatusCode);
            var error = outcome == AttemptOutcome.Succeeded ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } date ? date - clock.GetUtcNow() : null)
                : null;
            result = Finish(delivery, outcome, (int)response.StatusCode, error, retryAfter, null);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-request: record nothing. The lease expires and a dispatcher sends it again (at least once).
            return;
        }
        catch (OperationCanceledException)
        {
            result = Finish(delivery, AttemptOutcome.Retry, null, $"Timed out after {settings.RequestTimeout.TotalSeconds:0.###} s", null,
                WebhookAttemptFailure.Timeout);
        }
        catch (HttpRequestException e) when (BlockedTarget(e))
        {
            logger.LogWarning("Webhook delivery {DeliveryId} refused: {Url} resolves to a non-public address", delivery.Id, delivery.Url);
            result = new AttemptResult(AttemptOutcome.Dead, null, WebhookTargetBlockedException.Error, null, WebhookAttemptFailure.BlockedTarget);
        }
        catch (HttpRequestException e)
        {
            // One form for the subscriber (refused, reset, DNS and TLS failures look alike, so the log cannot map a network);
            // the detail stays in the server log.
            logger.LogInformation(e, "Webhook delivery {DeliveryId} could not connect ({Error})", delivery.Id, e.HttpRequestError);
            result = Finish(delivery, AttemptOutcome.Retry, null, ConnectionFailed, null, WebhookAttemptFailure.ConnectionFailed);
        }
        result = result with { AttemptedAt = attemptedAt, Duration = clock.GetElapsedTime(started) };
        metrics.WebhookDelivered(result.Outcome);
        span?.SetTag("registry.webhook.result", EnumText.ToText(result.Outcome));
        if (result.Outcome != AttemptOutcome.Succeeded) span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, result.Error);

        if (!await store.RecordAsync(delivery, result, CancellationToken.None))
            logger.LogWarning("Webhook delivery {DeliveryId} lost its lease before its outcome was recorded", delivery.Id);
        else if (result.Outcome == AttemptOutcome.Dead)
            logger.LogWarning("Webhook delivery {DeliveryId} of event {EventId} is dead after {Attempts} attempt(s): {Error}",
                delivery.Id, delivery.EventId, delivery.Attempts, result.Error);
    }

    private static bool BlockedTarget(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is WebhookTargetBlockedException) return true;
        }
        return false;
    }

    private AttemptResult Finish(ClaimedDelivery delivery, AttemptOutcome outcome, int? statusCode, string? error, TimeSpan? retryAfter,
        WebhookAttemptFailure? failure)
    {
        if (outcome != AttemptOutcome.Retry) return new AttemptResult(outcome, statusCode, error, null, failure);
        if (delivery.AttemptInRound >= settings.MaxAttempts)
            return new AttemptResult(AttemptOutcome.Dead, statusCode, $"{error} (gave up after {delivery.AttemptInRound} attempts)", null, failure);
        var delay = WebhookRetry.Delay(delivery.AttemptInRound, settings.BaseDelay, settings.MaxDelay, Random.Shared.NextDouble(), retryAfter);
        return new AttemptResult(AttemptOutcome.Retry, statusCode, error, clock.GetUtcNow() + delay, failure);
    }

    /// <summary>The body: <c>{ "id", "type", "occurredAt", "data" }</c>, identical on every attempt.</summary>
    public static string Envelope(ClaimedDelivery delivery)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", delivery.EventId);
            json.WriteString("type", delivery.EventType);
            json.WriteString("occurredAt", delivery.OccurredAt.ToUniversalTime());
            json.WritePropertyName("data");
            json.WriteRawValue(delivery.Payload);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>One finished dispatcher round: events fanned out into deliveries, and due deliveries claimed and sent.</summary>
public readonly record struct DispatchRound(long Number, int FannedOut, int Claimed);
