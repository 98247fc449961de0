namespace SkillsRegistry.Api.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Bound from the "Database" section plus ConnectionStrings:Registry.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Where the default SQLite file and generated keys live when nothing else is configured.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Seed demo data on first start. Null means "only for SQLite".</summary>
    public bool? SeedDemoData { get; set; }

    public string? ConnectionString { get; set; }

    public bool ShouldSeedDemoData => SeedDemoData ?? Provider == DatabaseProvider.Sqlite;

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
