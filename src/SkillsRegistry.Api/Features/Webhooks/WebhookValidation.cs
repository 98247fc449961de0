using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>A valid subscription request: an absolute URL we may call and a distinct list of known event types.</summary>
public sealed record NewWebhook(Uri Url, IReadOnlyList<string> Events);

public static class WebhookValidation
{
    public const int MaxUrlLength = 2000;

    /// <summary>
    /// Webhooks are called over https. Plain http is accepted only for a host on the allow-list
    /// (<see cref="WebhookOptions.AllowedPrivateHosts"/>: development and test receivers). Where the host's addresses
    /// may point is checked separately (<see cref="WebhookTargets"/>).
    /// </summary>
    public static string? UrlProblem(string url, Func<string, bool> allowListed, out Uri? uri)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out uri) || uri.Host.Length == 0)
            return "Must be an absolute URL, e.g. https://partner.example/hooks/skills-registry.";
        if (uri.UserInfo.Length > 0) return "Must not carry a user name or password; the signature authenticates the registry.";
        if (uri.Scheme == Uri.UriSchemeHttps) return null;
        if (uri.Scheme == Uri.UriSchemeHttp && allowListed(uri.Host)) return null;
        return "Must be an https URL.";
    }

    public static ValidationErrors Validate(CreateWebhookRequest request, Func<string, bool> allowListed, out NewWebhook? webhook)
    {
        var errors = new ValidationErrors();
        webhook = null;
        Uri? uri = null;
        if (errors.Required("url", request.Url, MaxUrlLength) && UrlProblem(request.Url!, allowListed, out uri) is { } problem)
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
