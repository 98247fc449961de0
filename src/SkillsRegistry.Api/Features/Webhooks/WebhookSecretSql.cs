namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// The statements of <see cref="WebhookSecretProtection"/>: secrets in clear or under a retired key, and their re-encryption.
/// </summary>
internal static class WebhookSecretSql
{
    internal const string SelectPending = """
        SELECT id AS Id, secret AS Secret FROM webhook_subscriptions
        WHERE secret NOT LIKE '%:%' OR substr(secret, 1, @prefixLength) <> @prefix
        """;

    internal const string UpdateSecret = "UPDATE webhook_subscriptions SET secret = @secret WHERE id = @id";

    // The previous secret of a rotation (always stored encrypted) follows the key rotation too.
    internal const string SelectPreviousUnderRetiredKey = """
        SELECT id AS Id, previous_secret AS Secret FROM webhook_subscriptions
        WHERE previous_secret IS NOT NULL AND substr(previous_secret, 1, @prefixLength) <> @prefix
        """;

    internal const string UpdatePreviousSecret = "UPDATE webhook_subscriptions SET previous_secret = @secret WHERE id = @id";
}
