using System.Net;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>A valid subscription request: an absolute URL we may call and a distinct list of known event types.</summary>
public sealed record NewWebhook(Uri Url, IReadOnlyList<string> Events);

public static class WebhookValidation
{
    public const int MaxUrlLength = 2000;

    /// <summary>
    /// Webhooks are called over https. Plain http is allowed only for a loopback host (127.0.0.1, localhost, ::1)
    /// and only when <paramref name="allowLoopbackHttp"/> (Development and Testing environments).
    /// </summary>
    public static string? UrlProblem(string url, bool allowLoopbackHttp, out Uri? uri)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out uri) || uri.Host.Length == 0)
            return "Must be an absolute URL, e.g. https://partner.example/hooks/skills-registry.";
        if (uri.UserInfo.Length > 0) return "Must not carry a user name or password; the signature authenticates the registry.";
        if (uri.Scheme == Uri.UriSchemeHttps) return null;
        if (uri.Scheme != Uri.UriSchemeHttp) return "Must be an https URL.";
        if (!IsLoopback(uri)) return "Must be an https URL (http is accepted only for 127.0.0.1, localhost or ::1 in development).";
        return allowLoopbackHttp ? null : "Must be an https URL (http to a loopback host is accepted only in development).";
    }

    public static bool IsLoopback(Uri uri) =>
        string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Loopback) || ip.Equals(IPAddress.IPv6Loopback)));

    public static ValidationErrors Validate(CreateWebhookRequest request, bool allowLoopbackHttp, out NewWebhook? webhook)
    {
        var errors = new ValidationErrors();
        webhook = null;
        Uri? uri = null;
        if (errors.Required("url", request.Url, MaxUrlLength) && UrlProblem(request.Url!, allowLoopbackHttp, out uri) is { } problem)
            errors.Add("url", problem);

        var events = new List<string>();
        if (request.Events is not { Length: > 0 })
            errors.Add("events", $"Name at least one event type: {string.Join(", ", WebhookEventTypes.All)}.");
        else
        {
            for (var i = 0; i < request.Events.Length; i++)
            {
                var type = request.Events[i]?.Trim();
                if (type is null || !WebhookEventTypes.All.Contains(type, StringComparer.Ordinal))
                    errors.Add($"events[{i}]", $"Unknown event type '{request.Events[i]}'. Known types: {string.Join(", ", WebhookEventTypes.All)}.");
                else if (!events.Contains(type)) events.Add(type);
            }
        }
        if (errors.IsEmpty) webhook = new NewWebhook(uri!, events);
        return errors;
    }
}
