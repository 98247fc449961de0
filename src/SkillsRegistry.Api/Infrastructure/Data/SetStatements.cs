using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace SkillsRegistry.Api.Infrastructure.Data;

/// <summary>
/// Statements over many rows at once, for writers that handle a whole batch (assessment ingest, the audit chain).
/// Every value stays a parameter; only parameter names are generated.
/// </summary>
public static class SetStatements
{
    /// <summary>
    /// VALUES tuples per INSERT on PostgreSQL, where each statement is a round trip. Not more: parameters are matched to
    /// their names in the text, and a statement of thousands of parameters costs more to bind than the round trips it saves.
    /// SQLite runs in-process: one prepared single-row statement per row is cheapest there, and its parameter look-up by
    /// name is linear, so a statement with thousands of numbered parameters would cost the square of their count.
    /// </summary>
    private const int PostgresRowsPerInsert = 50;

    /// <summary>A multi-row INSERT: the text before VALUES, the tuple's text around each parameter, and the text after it.</summary>
    internal sealed record Template(string Head, string[] TupleParts, PropertyInfo[] TupleParameters, bool[] FirstUse, string Tail);

    /// <summary>
    /// Inserts <paramref name="rows"/> into <paramref name="table"/> (skipping conflicting ones if the table says so): the
    /// table's INSERT per row on SQLite, multi-row INSERTs on PostgreSQL. Returns the rows inserted.
    /// </summary>
    public static async Task<int> InsertRowsAsync<T>(this DbSession s, StreamedTable<T> table, IReadOnlyList<T> rows) where T : notnull
    {
        if (rows.Count == 0) return 0;
        if (s.Dialect.Provider != DatabaseProvider.Postgres) return await s.ExecuteAsync(table.Insert, rows); // Dapper runs it once per row
        var template = table.Template;
        var affected = 0;
        for (var start = 0; start < rows.Count; start += PostgresRowsPerInsert)
        {
            var count = Math.Min(PostgresRowsPerInsert, rows.Count - start);
            var parameters = new RowParameters(count * template.TupleParameters.Length);
            var sql = new StringBuilder(template.Head.Length + count * 16 * template.TupleParameters.Length).Append(template.Head).Append(" VALUES ");
            AppendTuples(sql, template, rows, start, count, parameters.Add);
            affected += await s.ExecuteAsync(sql.Append(' ').Append(template.Tail).ToString(), parameters);
        }
        return affected;
    }

    /// <summary>
    /// Runs <paramref name="statement"/> once over all <paramref name="rows"/>, which it reads as the table
    /// <paramref name="values"/> names (<c>WITH name (columns) AS (VALUES ...) statement</c>): an UPDATE ... FROM that sets
    /// every row from its own values in one round trip, on both engines. Every value is a parameter, so the rows are
    /// meant to be one chunk (hundreds), not a whole table. Returns the rows affected.
    /// </summary>
    public static Task<int> ExecuteOverRowsAsync<T>(this DbSession s, StreamedTable<T> values, string statement, IReadOnlyList<T> rows) where T : notnull
    {
        if (rows.Count == 0) return Task.FromResult(0);
        var template = values.Template;
        var parameters = new DynamicParameters(); // type handlers: SQLite takes ids and times as text
        var sql = new StringBuilder($"WITH {values.Name} ({string.Join(", ", values.Columns)}) AS (VALUES ");
        AppendTuples(sql, template, rows, 0, rows.Count, (name, value, type) => parameters.Add(name, value, value is null ? NullType(type) : null));
        return s.ExecuteAsync(sql.Append(")\n").Append(statement).ToString(), parameters);
    }

    /// <summary>The VALUES tuples of <paramref name="count"/> rows from <paramref name="start"/>, their parameters numbered by row.</summary>
    private static void AppendTuples<T>(StringBuilder sql, Template template, IReadOnlyList<T> rows, int start, int count, Action<string, object?, Type> add)
    {
        for (var i = 0; i < count; i++)
        {
            var row = rows[start + i];
            if (i > 0) sql.Append(",\n");
            for (var p = 0; p < template.TupleParameters.Length; p++)
            {
                var property = template.TupleParameters[p];
                var name = property.Name + "_" + i;
                sql.Append(template.TupleParts[p]).Append('@').Append(name);
                if (template.FirstUse[p]) add(name, property.GetValue(row), property.PropertyType);
            }
            sql.Append(template.TupleParts[^1]);
        }
    }

    /// <summary>
    /// Writes rows that cannot conflict with stored ones (the caller holds the locks that make it so) into
    /// <paramref name="table"/>: as one binary COPY where the dialect streams rows (PostgreSQL), otherwise as the table's
    /// INSERT per row (SQLite). Fewer rows than one multi-row INSERT holds are inserted: that is one round trip of a
    /// prepared statement, where COPY takes two and is parsed each time. Returns the rows written.
    /// </summary>
    public static async Task<int> CopyRowsAsync<T>(this DbSession s, StreamedTable<T> table, IReadOnlyList<T> rows) where T : notnull
    {
        if (rows.Count == 0) return 0;
        if (!s.Dialect.SupportsBulkCopy || table.Conflict.Length > 0 || rows.Count < PostgresRowsPerInsert) return await s.InsertRowsAsync(table, rows);
        return (int)await s.BulkCopyAsync(table.Name, table.Columns, rows.Select(table.ValuesOf));
    }

    /// <summary>
    /// Replaces the list parameter <c>@name</c> in <paramref name="sql"/> (written as <c>IN @name</c>) with one numbered
    /// parameter per value, added to <paramref name="parameters"/>: the same text on both engines. An empty list matches nothing.
    /// Meant for lists of at most a few thousand values (a batch's keys). Dapper's own <c>IN @list</c> expansion (a regex on
    /// the name too) is not used: for Npgsql it sends the list as one array parameter, which <c>IN</c> does not take.
    /// </summary>
    public static string ExpandList<T>(string sql, string name, IEnumerable<T> values, DynamicParameters parameters)
    {
        var items = values.ToList();
        if (items.Count == 0) return Regex.Replace(sql, $@"@{name}\b", "(NULL)");
        // Lists are padded to a power of two by repeating the last value: Dapper (and Npgsql's prepared statements) keep one
        // entry per distinct text, so a few lengths serve every batch instead of one text per list length.
        var length = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(items.Count, 8));
        var list = new StringBuilder("(");
        for (var i = 0; i < length; i++)
        {
            if (i > 0) list.Append(", ");
            var numbered = name + "_" + i;
            list.Append('@').Append(numbered);
            parameters.Add(numbered, items[Math.Min(i, items.Count - 1)]);
        }
        return Regex.Replace(sql, $@"@{name}\b", list.Append(')').ToString());
    }

    /// <summary>
    /// Parameters added straight to the command (Dapper's DynamicParameters looks each name up in the command first). Values
    /// go as PostgreSQL takes them natively, as the type handlers send them; a NULL carries its type.
    /// </summary>
    private sealed class RowParameters(int capacity) : SqlMapper.IDynamicParameters
    {
        private readonly List<(string Name, object? Value, Type Type)> values = new(capacity);

        public void Add(string name, object? value, Type type) => values.Add((name, value, type));

        public void AddParameters(System.Data.IDbCommand command, SqlMapper.Identity identity)
        {
            foreach (var (name, value, type) in values)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value is null ? DBNull.Value : Native(value);
                if (value is null) parameter.DbType = NullType(type)!.Value;
                command.Parameters.Add(parameter);
            }
        }
    }

    /// <summary>A value as PostgreSQL takes it natively (timestamptz only in UTC), as the type handlers send it.</summary>
    internal static object Native(object value) => value is DateTimeOffset t ? t.ToUniversalTime() : value;

    private static System.Data.DbType? NullType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => System.Data.DbType.Guid,
        var t when t == typeof(DateOnly) => System.Data.DbType.Date,
        var t when t == typeof(DateTimeOffset) => System.Data.DbType.DateTimeOffset,
        var t when t == typeof(decimal) => System.Data.DbType.Decimal,
        var t when t == typeof(long) => System.Data.DbType.Int64,
        var t when t == typeof(int) => System.Data.DbType.Int32,
        var t when t == typeof(bool) => System.Data.DbType.Boolean,
        _ => System.Data.DbType.String,
    };
}
