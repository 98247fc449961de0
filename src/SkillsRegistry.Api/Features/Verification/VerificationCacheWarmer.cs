using System.Threading.Channels;
using SkillsRegistry.Api.Infrastructure.Caching;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>
/// Runs <see cref="VerificationCacheLoader"/>: a fill when the service starts and whenever the cache was emptied (a standard
/// or center changed, the change listener reconnected), a refresh every half cache lifetime, so that verifications do not go
/// to the database after a restart or when their record's lifetime ends. A refresh renews an unchanged record in place and
/// replaces a changed one: a change that no code path reported shows within half a lifetime. A load that overlaps a change
/// keeps nothing it read before the change (the cache's stamp), so it can never bring back a stale answer.
/// </summary>
public sealed class VerificationCacheWarmer : BackgroundService
{
    private readonly Channel<bool> wanted = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly VerificationCacheLoader loader;
    private readonly VerificationCache cache;
    private readonly ILogger<VerificationCacheWarmer> logger;
    private readonly TimeProvider clock;
    private readonly TimeSpan reloadEvery;
    private readonly bool enabled;
    private int loads;

    public VerificationCacheWarmer(VerificationRecords records, VerificationCache cache, RegistryChanges changes, VerificationCacheOptions options,
        TimeProvider clock, ILogger<VerificationCacheWarmer> logger)
    {
        loader = new VerificationCacheLoader(records, cache, changes);
        this.cache = cache;
        this.logger = logger;
        this.clock = clock;
        reloadEvery = TimeSpan.FromSeconds(Math.Clamp(options.CacheTtlSeconds / 2, 1, 86_400)); // timers take no more than ~49 days
        enabled = options.WarmOnStart && cache.Enabled;
        if (!enabled) return;
        wanted.Writer.TryWrite(true);
        changes.Subscribe(what => { if (what == RegistryChanges.Everything) wanted.Writer.TryWrite(true); });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (enabled && !stoppingToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                await Task.WhenAny(wanted.Reader.WaitToReadAsync(stoppingToken).AsTask(), Task.Delay(reloadEvery, clock, wait.Token));
                await wait.CancelAsync();
            }
            stoppingToken.ThrowIfCancellationRequested();
            var fill = wanted.Reader.TryRead(out _);
            try
            {
                var started = clock.GetTimestamp();
                // Left unfinished when the change listener is away: it will be asked again when the listener is back.
                if (!await (fill ? loader.FillAsync(stoppingToken) : loader.RefreshAsync(stoppingToken))) continue;
                logger.Log(loads++ == 0 ? LogLevel.Information : LogLevel.Debug, "Verification cache loaded ({Kind}): {Records} records held after {Seconds:0.0} s",
                    fill ? "fill" : "refresh", cache.Count, clock.GetElapsedTime(started).TotalSeconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cache still fills one verification at a time; the next reload tries again.
                logger.LogWarning(e, "Loading certificates into the verification cache failed");
            }
        }
    }
}
