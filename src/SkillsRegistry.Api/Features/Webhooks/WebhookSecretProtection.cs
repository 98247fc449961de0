using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;
using SkillsRegistry.Api.Infrastructure.Protection;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// Startup step after the migrations: webhook secrets still stored in clear (created before encryption at rest; a clear
/// secret is base64url and never contains ':') are encrypted, and secrets under a retired key are re-encrypted under the
/// active one.
/// </summary>
public sealed class WebhookSecretProtection(FieldProtector protector, ILogger<WebhookSecretProtection> logger) : IDataSeeder
{
    private sealed record Row(Guid Id, string Secret);

    public async Task SeedAsync(Db db, DatabaseOptions options, CancellationToken ct)
    {
        var prefix = protector.ActiveKid + ":";
        var cleared = await db.WriteAsync(async s =>
        {
            var rows = (await s.QueryAsync<Row>(WebhookSecretSql.SelectPending, new { prefix, prefixLength = prefix.Length })).ToList();
            var clear = 0;
            foreach (var row in rows)
            {
                var isClear = !row.Secret.Contains(':');
                if (isClear) clear++;
                var plain = isClear ? row.Secret : protector.Decrypt(row.Secret, WebhookRepository.SecretPurpose);
                await s.ExecuteAsync(WebhookSecretSql.UpdateSecret, new { id = row.Id, secret = protector.Encrypt(plain, WebhookRepository.SecretPurpose) });
            }
            foreach (var row in await s.QueryAsync<Row>(WebhookSecretSql.SelectPreviousUnderRetiredKey, new { prefix, prefixLength = prefix.Length }))
            {
                var plain = protector.Decrypt(row.Secret, WebhookRepository.SecretPurpose);
                await s.ExecuteAsync(WebhookSecretSql.UpdatePreviousSecret, new { id = row.Id, secret = protector.Encrypt(plain, WebhookRepository.SecretPurpose) });
            }
            if (rows.Count > 0) logger.LogInformation("Protected {Count} webhook secrets ({Clear} were in clear).", rows.Count, clear);
            return clear;
        }, ct);
        if (cleared > 0)
            await db.ReadAsync(async s =>
            {
                await db.Dialect.WaitForOlderTransactionsAsync(s, TimeSpan.FromMinutes(1));
                return await s.ExecuteScalarAsync<object>(db.Dialect.RewriteTablesSql("webhook_subscriptions"));
            }, ct);
    }
}
