using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

/// <summary>A setting the service cannot work with stops it at startup, and the message names the setting to fix.</summary>
public sealed class StartupSettingsTests
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_pdf_page_pool_without_pages_stops_startup_naming_the_setting(TestDatabase db) =>
        Assert.Contains("Pdf: Pages >= 1", await RefusalAsync(db, ("Pdf:Pages", "0")));

    [Theory, OnSqlite, OnPostgres]
    public async Task An_unknown_database_provider_stops_startup_naming_the_setting(TestDatabase db) =>
        Assert.Contains("Database:Provider", await RefusalAsync(db, ("Database:Provider", "Oracle")));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_public_rate_limit_of_zero_stops_startup_naming_the_setting(TestDatabase db) =>
        Assert.Contains("RateLimiting:Public:PermitLimit", await RefusalAsync(db, ("RateLimiting:Public:PermitLimit", "0")));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_key_bucket_without_refill_stops_startup_naming_the_setting(TestDatabase db) =>
        Assert.Contains("RateLimiting:PerKey:Writes:TokensPerMinute", await RefusalAsync(db, ("RateLimiting:PerKey:Writes:TokensPerMinute", "0")));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_public_base_url_that_is_not_a_url_stops_startup_naming_the_setting(TestDatabase db) =>
        Assert.Contains("Registry:PublicBaseUrl", await RefusalAsync(db, ("Registry:PublicBaseUrl", "verify.skills.example")));

    [Theory, OnSqlite, OnPostgres]
    public async Task Two_active_signing_keys_stop_startup_naming_the_setting(TestDatabase db) =>
        Assert.Contains("Signing:Keys", await RefusalAsync(db,
            ("Signing:Keys:0:Kid", "a"), ("Signing:Keys:0:PemPath", "a.pem"), ("Signing:Keys:0:Active", "true"),
            ("Signing:Keys:1:Kid", "b"), ("Signing:Keys:1:PemPath", "b.pem"), ("Signing:Keys:1:Active", "true")));

    [Theory, OnSqlite, OnPostgres]
    public async Task A_webhook_dispatcher_without_attempts_stops_startup_naming_the_setting(TestDatabase db) =>
        Assert.Contains("Webhooks:MaxAttempts", await RefusalAsync(db, ("Webhooks:MaxAttempts", "0")));

    [Theory, OnSqlite, OnPostgres]
    public async Task An_integrity_threshold_of_zero_stops_startup_naming_the_setting(TestDatabase db) =>
        Assert.Contains("Integrity:MinResults", await RefusalAsync(db, ("Integrity:MinResults", "0")));

    /// <summary>Starts the service with the settings and returns every message of the failure (the test fails if it starts).</summary>
    private static async Task<string> RefusalAsync(TestDatabase db, params (string Key, string Value)[] settings)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            RegistryApp.StartAsync(db, settings.ToDictionary(s => s.Key, s => (string?)s.Value)));
        var messages = new List<string>();
        for (Exception? e = refused; e is not null; e = e.InnerException) messages.Add(e.Message);
        return string.Join(" | ", messages);
    }
}
