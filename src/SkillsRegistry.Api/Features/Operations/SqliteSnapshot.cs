using Microsoft.Data.Sqlite;
using SkillsRegistry.Api.Infrastructure.Hosting;
using static SQLitePCL.raw;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>
/// A consistent copy of a live SQLite database with SQLite's online backup API, a few pages at a time so progress shows
/// and an interrupt stops it between steps. The source connection holds one read transaction for the whole copy: in WAL
/// mode the running service keeps writing (to the WAL) while the copy is the database as of the moment it began, and
/// those writes do not restart the copy. (The backup API needs connections of its own, so this does not go through Db.)
/// </summary>
public static class SqliteSnapshot
{
    private const int PagesPerStep = 256;
    private const string BeginReadSnapshot = "BEGIN DEFERRED; SELECT COUNT(*) FROM sqlite_schema;";
    private const string EndReadSnapshot = "COMMIT;";

    public static async Task CopyAsync(string sourcePath, string destinationPath, ProgressReporter progress, CancellationToken ct)
    {
        await using var source = Open(sourcePath, SqliteOpenMode.ReadWrite);
        await using var destination = Open(destinationPath, SqliteOpenMode.ReadWriteCreate);
        await ExecuteAsync(source, BeginReadSnapshot, ct); // the read snapshot starts here
        var backup = sqlite3_backup_init(destination.Handle, "main", source.Handle, "main")
            ?? throw new InvalidOperationException("SQLite could not start the backup: " + sqlite3_errmsg(destination.Handle).utf8_to_string());
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var rc = sqlite3_backup_step(backup, PagesPerStep);
                var total = sqlite3_backup_pagecount(backup);
                progress.SetTotal(total);
                progress.Report(total - sqlite3_backup_remaining(backup));
                if (rc == SQLITE_DONE) break;
                if (rc is SQLITE_BUSY or SQLITE_LOCKED) await Task.Delay(50, ct);
                else if (rc != SQLITE_OK) throw new InvalidOperationException($"SQLite backup step failed ({rc}): {sqlite3_errstr(rc).utf8_to_string()}");
            }
        }
        finally
        {
            sqlite3_backup_finish(backup);
        }
        await ExecuteAsync(source, EndReadSnapshot, CancellationToken.None);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
