using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Infrastructure.Http;

public sealed class PublicRateLimitOptions
{
    public const string Section = "RateLimiting:Public";

    /// <summary>Requests one client address may make to public endpoints per window.</summary>
    public int PermitLimit { get; set; } = 120;
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>A token bucket: up to <see cref="TokenLimit"/> at once (the burst), refilled at <see cref="TokensPerMinute"/>.</summary>
public sealed class TokenBucketSettings
{
    public int TokenLimit { get; set; }
    public int TokensPerMinute { get; set; }

    public TokenBucketRateLimiterOptions ToOptions()
    {
        var perMinute = Math.Max(1, TokensPerMinute);
        // Refilled every second (at 60+ per minute) so a caller who ran dry waits seconds, not a minute; slower rates add one token at a time.
        var (period, tokens) = perMinute >= 60
            ? (TimeSpan.FromSeconds(1), (int)Math.Ceiling(perMinute / 60.0))
            : (TimeSpan.FromSeconds(60.0 / perMinute), 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, TokenLimit),
            ReplenishmentPeriod = period,
            TokensPerPeriod = tokens,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}

/// <summary>Budgets per API key ("RateLimiting:PerKey"). Each key has its own four buckets.</summary>
public sealed class PerKeyRateLimitOptions
{
    public const string Section = "RateLimiting:PerKey";

    /// <summary>The four buckets by their setting names, for validation.</summary>
    public static readonly (string Name, Func<PerKeyRateLimitOptions, TokenBucketSettings> Bucket)[] Buckets =
        [(nameof(Reads), o => o.Reads), (nameof(Writes), o => o.Writes), (nameof(BatchRows), o => o.BatchRows), (nameof(VerifiedItems), o => o.VerifiedItems)];

    /// <summary>GET and HEAD requests.</summary>
    public TokenBucketSettings Reads { get; set; } = new() { TokenLimit = 600, TokensPerMinute = 600 };

    /// <summary>Every other request (POST, PUT, PATCH, DELETE), a batch submission included.</summary>
    public TokenBucketSettings Writes { get; set; } = new() { TokenLimit = 120, TokensPerMinute = 120 };

    /// <summary>Rows submitted in assessment batches: a 1,000-row batch takes 1,000 tokens.</summary>
    public TokenBucketSettings BatchRows { get; set; } = new() { TokenLimit = 20_000, TokensPerMinute = 20_000 };

    /// <summary>Certificates verified in bulk: a request of 500 numbers takes 500 tokens.</summary>
    public TokenBucketSettings VerifiedItems { get; set; } = new() { TokenLimit = 5_000, TokensPerMinute = 5_000 };

    public TokenBucketSettings Of(ItemBudget budget) => budget == ItemBudget.BatchRows ? BatchRows : VerifiedItems;
}

/// <summary>Budgets a key spends by the items in a request rather than by requests.</summary>
public enum ItemBudget { BatchRows, VerifiedItems }

public static class RateLimiting
{
    /// <summary>Policy for endpoints that need no key (verification, open data): limited per client address.</summary>
    public const string PublicPolicy = "public";

    public static IServiceCollection AddRegistryRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<PublicRateLimitOptions>()
            .BindConfiguration(PublicRateLimitOptions.Section)
            .Validate(o => o.PermitLimit > 0, "RateLimiting:Public:PermitLimit must be a positive number of requests.")
            .Validate(o => o.WindowSeconds > 0, "RateLimiting:Public:WindowSeconds must be a positive number of seconds.")
            .ValidateOnStart();
        var perKeyOptions = services.AddOptions<PerKeyRateLimitOptions>().BindConfiguration(PerKeyRateLimitOptions.Section);
        foreach (var (name, bucket) in PerKeyRateLimitOptions.Buckets)
        {
            perKeyOptions
                .Validate(o => bucket(o).TokenLimit > 0, $"{PerKeyRateLimitOptions.Section}:{name}:TokenLimit must be a positive number of tokens.")
                .Validate(o => bucket(o).TokensPerMinute > 0, $"{PerKeyRateLimitOptions.Section}:{name}:TokensPerMinute must be a positive number of tokens.");
        }
        perKeyOptions.ValidateOnStart();
        services.AddSingleton<ItemBudgets>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<PublicRateLimitOptions>, IOptions<PerKeyRateLimitOptions>>((o, publicOptions, perKeyBuckets) =>
        {
            var options = publicOptions.Value;
            var perKey = perKeyBuckets.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Every authenticated request spends from its key's read or write bucket; requests without a key are not limited
            // here (public endpoints carry the per-address policy below).
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Public endpoints count per address only, key or not.
                if (KeyIdOf(context) is not { } keyId || IsPublic(context)) return RateLimitPartition.GetNoLimiter("no-key");
                return HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    ? RateLimitPartition.GetTokenBucketLimiter("reads:" + keyId, _ => perKey.Reads.ToOptions())
                    : RateLimitPartition.GetTokenBucketLimiter("writes:" + keyId, _ => perKey.Writes.ToOptions());
            });
            o.AddPolicy(PublicPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                }));
            o.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                if (KeyIdOf(http) is not null && !IsPublic(http))
                {
                    var reads = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
                    Refused(http, reads ? RegistryMetrics.RateLimitBudget.KeyReads : RegistryMetrics.RateLimitBudget.KeyWrites);
                    var bucket = reads ? perKey.Reads : perKey.Writes;
                    var wait = RetryAfterSeconds(context.Lease, 1);
                    return new ValueTask(TooManyAsync(http, wait,
                        $"This API key has used its budget for {(reads ? "reads" : "writes")} ({bucket.TokenLimit} at once, " +
                        $"{bucket.TokensPerMinute} per minute). Try again in {wait} s."));
                }
                Refused(http, RegistryMetrics.RateLimitBudget.PublicAddress);
                var retryAfter = RetryAfterSeconds(context.Lease, options.WindowSeconds);
                if (RateLimitedPage.Wants(http)) return new ValueTask(RateLimitedPage.WriteAsync(http, retryAfter));
                return new ValueTask(TooManyAsync(http, retryAfter,
                    $"This address made more than {options.PermitLimit} requests in {options.WindowSeconds} s. Try again in {retryAfter} s."));
            };
        });
        return services;
    }

    /// <summary>Spends <paramref name="rows"/> of the key's batch-row budget before a batch is processed (429 when it is spent).</summary>
    public static RouteHandlerBuilder RequireRowBudget<TRequest>(this RouteHandlerBuilder builder, Func<TRequest, int> rows) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
            var count = request is null ? 0 : rows(request);
            return await TrySpendAsync(context.HttpContext, ItemBudget.BatchRows, count) ? await next(context) : Results.Empty;
        });

    /// <summary>
    /// Spends <paramref name="count"/> of the calling key's <paramref name="budget"/>; false (with the 429 written) when it is spent.
    /// A request without a key spends nothing here.
    /// </summary>
    public static async Task<bool> TrySpendAsync(HttpContext http, ItemBudget budget, int count)
    {
        if (count <= 0 || KeyIdOf(http) is not { } keyId) return true;
        var budgets = http.RequestServices.GetRequiredService<ItemBudgets>();
        using var lease = budgets.TryTake(budget, keyId, count);
        if (lease.IsAcquired) return true;
        Refused(http, budget == ItemBudget.BatchRows ? RegistryMetrics.RateLimitBudget.KeyBatchRows : RegistryMetrics.RateLimitBudget.KeyVerifiedItems);
        var wait = RetryAfterSeconds(lease, 60);
        var settings = budgets.Settings(budget);
        var (what, request, advice) = budget == ItemBudget.BatchRows
            ? ("submitted rows", "this batch has", "send smaller batches")
            : ("verified certificates", "this request has", "send fewer numbers at a time");
        await TooManyAsync(http, wait,
            $"This API key has used its budget for {what} ({settings.TokenLimit} at once, {settings.TokensPerMinute} per minute); " +
            $"{request} {count}. Try again in {wait} s, or {advice}.");
        return false;
    }

    private static void Refused(HttpContext context, RegistryMetrics.RateLimitBudget budget) =>
        context.RequestServices.GetRequiredService<RegistryMetrics>().RateLimited(budget);

    private static bool IsPublic(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == PublicPolicy;

    internal static string? KeyIdOf(HttpContext context) => context.User.FindFirst(ApiKeyClaims.KeyId)?.Value;

    private static int RetryAfterSeconds(RateLimitLease lease, int fallback) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : fallback;

    private static Task TooManyAsync(HttpContext context, int retryAfter, string detail) =>
        ProblemWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, detail,
            h => h.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture));
}

/// <summary>One token bucket per API key and <see cref="ItemBudget"/>: submitted rows, verified certificates.</summary>
public sealed class ItemBudgets(IOptions<PerKeyRateLimitOptions> perKey) : IDisposable
{
    private readonly PartitionedRateLimiter<(ItemBudget Budget, string KeyId)> limiter = PartitionedRateLimiter.Create<(ItemBudget Budget, string KeyId), (ItemBudget, string)>(
        key => RateLimitPartition.GetTokenBucketLimiter(key, k => perKey.Value.Of(k.Item1).ToOptions()));

    public TokenBucketSettings Settings(ItemBudget budget) => perKey.Value.Of(budget);

    /// <summary>A request larger than the whole bucket can never be admitted, so it takes the whole bucket instead.</summary>
    public RateLimitLease TryTake(ItemBudget budget, string keyId, int count) =>
        limiter.AttemptAcquire((budget, keyId), Math.Min(count, Math.Max(1, Settings(budget).TokenLimit)));

    public void Dispose() => limiter.Dispose();
}
