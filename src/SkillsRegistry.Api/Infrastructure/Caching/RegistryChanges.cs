using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Caching;

/// <summary>
/// Tells in-memory caches that committed data changed: one certificate (by number) or <see cref="Everything"/>.
/// Repositories report a change inside their transaction and subscribers hear it only after the commit; other instances hear
/// the same through PostgreSQL NOTIFY on <see cref="Channel"/>, sent by triggers (db/postgres/0014) inside the committing
/// transaction, and relayed here by <see cref="RegistryChangeListener"/>.
/// </summary>
public sealed class RegistryChanges
{
    public const string Channel = "registry_changes";
    public const string Everything = "*";

    private volatile Action<string>[] subscribers = [];
    private readonly Lock gate = new();
    private volatile bool heardEverywhere;

    public RegistryChanges(DatabaseOptions database) =>
        // SQLite is one process: every change is made (and reported) here. PostgreSQL may have other instances,
        // so caches may only answer while the listener is connected.
        heardEverywhere = database.Provider == DatabaseProvider.Sqlite;

    /// <summary>True while every committed change is certain to reach the subscribers; caches must not answer otherwise.</summary>
    public bool HeardEverywhere => heardEverywhere;

    public void Subscribe(Action<string> subscriber)
    {
        lock (gate) subscribers = [.. subscribers, subscriber];
    }

    /// <summary>The certificate with this number changed (status, supersession, names...) in this transaction.</summary>
    public void CertificateChanged(DbSession s, string number) => s.AfterCommit(() => Publish(number));

    /// <summary>Data many certificates' answers share (a standard, a center) changed in this transaction.</summary>
    public void SharedDataChanged(DbSession s) => s.AfterCommit(() => Publish(Everything));

    public void Publish(string what)
    {
        foreach (var subscriber in subscribers) subscriber(what);
    }

    /// <summary>The listener lost its connection (false) or is listening again (true); either way what was cached may be stale.</summary>
    internal void ListenerConnected(bool connected)
    {
        heardEverywhere = connected;
        Publish(Everything);
    }
}
