namespace SkillsRegistry.Api.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Bound from the "Database" section plus ConnectionStrings:Registry (see RegistryHost).</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Where the default SQLite file and generated keys live when nothing else is configured.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Seed demo data on first start. Null means "only in Development, on SQLite".</summary>
    public bool? SeedDemoData { get; set; }

    /// <summary>The second, explicit consent needed to seed demo data into a Production environment.</summary>
    public bool AllowDemoDataInProduction { get; set; }

    public string? ConnectionString { get; set; }

    /// <summary>
    /// Apply pending migrations when the service starts (the default). False: the service starts on the schema it finds and
    /// reports pending migrations in /health/ready, for an operator who applies them with the <c>migrate</c> verb while the
    /// instances keep serving (a large registry: see the README's "Upgrading a large registry").
    /// </summary>
    public bool MigrateAtStartup { get; set; } = true;

    /// <summary>
    /// ConnectionStrings:RegistryReadOnly: PostgreSQL read replicas for the reads that tolerate a bounded lag (see
    /// <see cref="ReadReplica"/>); may list several hosts, e.g. with <c>Target Session Attributes=prefer-standby</c>.
    /// </summary>
    public string? ReadOnlyConnectionString { get; set; }

    /// <summary>SQLite is one file: a read-only connection string there is a mistake, not a setting to ignore silently.</summary>
    public bool ReadReplicaFits => Provider == DatabaseProvider.Postgres || string.IsNullOrWhiteSpace(ReadOnlyConnectionString);

    public const string ReadReplicaOnSqlite =
        "ConnectionStrings:RegistryReadOnly is set but Database:Provider is Sqlite: read replicas are for PostgreSQL only. " +
        "Remove ConnectionStrings:RegistryReadOnly, or set Database:Provider=Postgres.";

    /// <summary>
    /// Demo data only on request: an explicit SeedDemoData wins; unset, only a Development SQLite database gets it
    /// (the README's first command runs in Development through launchSettings.json).
    /// </summary>
    public bool ShouldSeedDemoData(IHostEnvironment environment) =>
        SeedDemoData ?? (environment.IsDevelopment() && Provider == DatabaseProvider.Sqlite);

    public const string Section = "Database";

    public const string DemoDataInProductionRefused =
        "Database:SeedDemoData is true while ASPNETCORE_ENVIRONMENT is Production: demo partners, people and certificates " +
        "would be mixed with real ones. Remove the setting, or also set Database:AllowDemoDataInProduction=true if this " +
        "production-like instance is really meant to hold the demo.";

    /// <summary>Demo data (made-up people and certificates, known keys) in Production needs a second setting; checked at startup.</summary>
    public bool DemoDataAllowedIn(IHostEnvironment environment) =>
        SeedDemoData != true || !environment.IsProduction() || AllowDemoDataInProduction;

    public string ResolveConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString)) return ConnectionString;
        if (Provider == DatabaseProvider.Postgres)
            throw new InvalidOperationException(
                "Database:Provider is Postgres but ConnectionStrings:Registry is empty. " +
                "Set it, e.g. ConnectionStrings__Registry=\"Host=127.0.0.1;Database=skills_registry;Username=…;Password=…\".");
        Directory.CreateDirectory(DataDirectory);
        return $"Data Source={Path.Combine(DataDirectory, "registry.db")}";
    }
}
