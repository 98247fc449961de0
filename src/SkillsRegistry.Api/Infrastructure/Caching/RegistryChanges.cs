using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Caching;

/// <summary>
/// Tells in-memory caches that committed data changed: one certificate (by number) or <see cref="Everything"/>.
/// Repositories report a change inside their transaction and subscribers hear it only after the commit. Other instances hear
/// it through PostgreSQL NOTIFY on <see cref="Channel"/>, sent by triggers (db/postgres/0014) inside the committing
/// transaction and relayed by each instance's <see cref="RegistryChangeListener"/>, which acknowledges it on
/// <see cref="AckChannel"/>. A certificate change returns to its caller only when every listening instance has acknowledged
/// it (or after <see cref="AckTimeout"/>), so the next request anywhere sees it.
/// </summary>
public sealed class RegistryChanges(Db db, ILogger<RegistryChanges> logger)
{
    public const string Channel = "registry_changes";
    public const string AckChannel = "registry_changes_ack";
    public const string Everything = "*";
    public const string ListenerName = "skills-registry-listener";
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    private const string CountListeners =
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name";

    private volatile Action<string>[] subscribers = [];
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<Acknowledgements>> awaited = [];
    private readonly bool crossInstance = db.Dialect.SupportsNotify;
    // SQLite is one process: every change is made (and reported) here. PostgreSQL may have other instances,
    // so caches may only answer while the listener is connected.
    private volatile bool heardEverywhere = !db.Dialect.SupportsNotify;

    /// <summary>This process, in acknowledgements.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>True while every committed change is certain to reach the subscribers; caches must not answer otherwise.</summary>
    public bool HeardEverywhere => heardEverywhere;

    public void Subscribe(Action<string> subscriber)
    {
        lock (gate) subscribers = [.. subscribers, subscriber];
    }

    /// <summary>The certificate with this number changed (status, supersession, names...) in this transaction.</summary>
    public void CertificateChanged(DbSession s, string number)
    {
        s.AfterCommit(() => Publish(number));
        if (!crossInstance) return;
        var acknowledgements = Await(number); // before the commit, so no acknowledgement can come too early to be counted
        s.AfterCommitAsync(() => AwaitEveryListenerAsync(number, acknowledgements));
    }

    /// <summary>Data many certificates' answers share (a standard, a center) changed in this transaction.</summary>
    public void SharedDataChanged(DbSession s) => s.AfterCommit(() => Publish(Everything));

    /// <summary>Tells this instance's subscribers, and raises the read replicas' fence (<see cref="ReadReplica"/>), that <paramref name="what"/> changed.</summary>
    public void Publish(string what)
    {
        db.Replica?.ChangeHeard();
        foreach (var subscriber in subscribers) subscriber(what);
    }

    /// <summary>The listener lost its connection (false) or is listening again (true); either way what was cached may be stale.</summary>
    internal void ListenerConnected(bool connected)
    {
        heardEverywhere = connected;
        db.Replica?.Listening(connected);
        Publish(Everything);
    }

    /// <summary>An instance's listener has dropped <paramref name="what"/> from its caches.</summary>
    internal void Acknowledged(string instance, string what)
    {
        lock (gate)
        {
            if (!awaited.TryGetValue(what, out var all)) return;
            foreach (var acknowledgements in all)
            {
                acknowledgements.From.Add(instance);
                acknowledgements.CompleteIfAll();
            }
        }
    }

    private sealed class Acknowledgements
    {
        public readonly HashSet<string> From = [];
        public readonly TaskCompletionSource All = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long Expected = long.MaxValue;
        public readonly long RegisteredAt = Environment.TickCount64;

        public void CompleteIfAll()
        {
            if (From.Count >= Expected) All.TrySetResult();
        }
    }

    private Acknowledgements Await(string what)
    {
        var acknowledgements = new Acknowledgements();
        lock (gate)
        {
            if (awaited.Count > 1000) ForgetAbandoned();
            if (!awaited.TryGetValue(what, out var all)) awaited[what] = all = [];
            all.Add(acknowledgements);
        }
        return acknowledgements;
    }

    // Registered in a transaction that then rolled back (or was retried): nobody awaits them.
    private void ForgetAbandoned()
    {
        var cutoff = Environment.TickCount64 - (long)(4 * AckTimeout.TotalMilliseconds);
        foreach (var (what, all) in awaited.ToList())
        {
            all.RemoveAll(a => a.RegisteredAt < cutoff);
            if (all.Count == 0) awaited.Remove(what);
        }
    }

    private async Task AwaitEveryListenerAsync(string what, Acknowledgements acknowledgements)
    {
        try
        {
            var listeners = await db.ReadAsync(s => s.ExecuteScalarAsync<long>(CountListeners, new { name = ListenerName }));
            lock (gate)
            {
                acknowledgements.Expected = listeners;
                acknowledgements.CompleteIfAll();
            }
            if (await Task.WhenAny(acknowledgements.All.Task, Task.Delay(AckTimeout)) != acknowledgements.All.Task)
                logger.LogWarning("Only {Acknowledged} of {Listeners} instances confirmed the change of {What} within {Timeout}; " +
                    "the others drop it when the notification arrives, or when their cache lifetime ends",
                    acknowledgements.From.Count, listeners, what, AckTimeout);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            logger.LogWarning(e, "Could not confirm that every instance heard the change of {What}", what);
        }
        finally
        {
            lock (gate)
            {
                if (awaited.TryGetValue(what, out var all) && all.Remove(acknowledgements) && all.Count == 0) awaited.Remove(what);
            }
        }
    }
}
