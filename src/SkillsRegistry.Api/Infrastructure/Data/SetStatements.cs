using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace SkillsRegistry.Api.Infrastructure.Data;

/// <summary>
/// Statements over many rows at once, for writers that handle a whole batch (assessment ingest, the audit chain).
/// Every value stays a parameter; only parameter names are generated.
/// </summary>
public static partial class SetStatements
{
    /// <summary>
    /// VALUES tuples per INSERT on PostgreSQL, where each statement is a round trip (the limit is 65,535 parameters).
    /// SQLite runs in-process: one prepared single-row statement per row is cheapest there, and its parameter look-up by
    /// name is linear, so a statement with thousands of numbered parameters would cost the square of their count.
    /// </summary>
    private const int PostgresRowsPerInsert = 400;

    private sealed record Template(string Head, string[] TupleParts, PropertyInfo[] TupleParameters, string Tail);

    private static readonly ConcurrentDictionary<(string Sql, Type Row), Template> Templates = new();

    /// <summary>
    /// Runs a single-row <paramref name="insert"/> (<c>INSERT ... VALUES (@A, @B) [ON CONFLICT ...]</c>) for every row,
    /// as multi-row INSERTs on PostgreSQL. Parameter names are the row type's properties. Returns the rows affected.
    /// </summary>
    public static async Task<int> InsertRowsAsync<T>(this DbSession s, string insert, IReadOnlyList<T> rows) where T : notnull
    {
        if (rows.Count == 0) return 0;
        if (s.Dialect.Provider != DatabaseProvider.Postgres) return await s.ExecuteAsync(insert, rows); // Dapper runs it once per row
        var template = Templates.GetOrAdd((insert, typeof(T)), key => Parse(key.Sql, key.Row));
        var affected = 0;
        for (var start = 0; start < rows.Count; start += PostgresRowsPerInsert)
        {
            var count = Math.Min(PostgresRowsPerInsert, rows.Count - start);
            var parameters = new DynamicParameters();
            var sql = new StringBuilder(template.Head.Length + count * 16 * template.TupleParameters.Length).Append(template.Head).Append(" VALUES ");
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                if (i > 0) sql.Append(",\n");
                for (var p = 0; p < template.TupleParameters.Length; p++)
                {
                    var property = template.TupleParameters[p];
                    var name = property.Name + "_" + i;
                    sql.Append(template.TupleParts[p]).Append('@').Append(name);
                    var value = property.GetValue(row);
                    // A typed NULL: PostgreSQL cannot always infer an untyped one (see TypeHandlers).
                    parameters.Add(name, value, value is null ? NullType(property.PropertyType) : null);
                }
                sql.Append(template.TupleParts[^1]);
            }
            affected += await s.ExecuteAsync(sql.Append(' ').Append(template.Tail).ToString(), parameters);
        }
        return affected;
    }

    /// <summary>
    /// Replaces the list parameter <c>@name</c> in <paramref name="sql"/> (written as <c>IN @name</c>) with one numbered
    /// parameter per value, added to <paramref name="parameters"/>: the same text on both engines. An empty list matches nothing.
    /// </summary>
    public static string ExpandList<T>(string sql, string name, IEnumerable<T> values, DynamicParameters parameters)
    {
        var list = new StringBuilder("(");
        var i = 0;
        foreach (var value in values)
        {
            if (i > 0) list.Append(", ");
            var numbered = name + "_" + i++;
            list.Append('@').Append(numbered);
            parameters.Add(numbered, value);
        }
        if (i == 0) list.Append("NULL");
        return Regex.Replace(sql, $@"@{name}\b", list.Append(')').ToString());
    }

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

    private static Template Parse(string insert, Type row)
    {
        var valuesAt = insert.IndexOf("VALUES", StringComparison.Ordinal);
        var open = insert.IndexOf('(', valuesAt);
        var depth = 0;
        var close = open;
        for (; close < insert.Length; close++)
        {
            if (insert[close] == '(') depth++;
            else if (insert[close] == ')' && --depth == 0) break;
        }
        var tuple = insert[open..(close + 1)];
        var names = ParameterName().Matches(tuple);
        var properties = names.Select(m => row.GetProperty(m.Groups[1].Value)
            ?? throw new InvalidOperationException($"{row.Name} has no property {m.Groups[1].Value} for {insert}")).ToArray();
        var parts = ParameterName().Split(tuple).Where((_, i) => i % 2 == 0).ToArray(); // text around the names
        return new Template(insert[..valuesAt], parts, properties, insert[(close + 1)..]);
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();
}
