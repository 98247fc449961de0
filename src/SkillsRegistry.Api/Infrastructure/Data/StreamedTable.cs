using System.Globalization;
using System.Reflection;
using System.Text;

namespace SkillsRegistry.Api.Infrastructure.Data;

/// <summary>
/// A column of a <see cref="StreamedTable{T}"/>: filled from the row's property <see cref="Parameter"/>, or with a fixed
/// text or number (<see cref="Fixed(string, string)"/>) or NULL (<see cref="Null"/>). Written as a tuple: <c>("seq", "Seq")</c>.
/// </summary>
public sealed record StreamedColumn(string Name, string? Parameter, object? FixedValue = null)
{
    public static StreamedColumn Fixed(string name, string text) =>
        text.Contains('\'') ? throw new ArgumentException($"A fixed text holds no quote: {text}", nameof(text)) : new(name, null, text);

    public static StreamedColumn Fixed(string name, int number) => new(name, null, number);

    public static StreamedColumn Null(string name) => new(name, null);

    public static implicit operator StreamedColumn((string Name, string Parameter) column) => new(column.Name, column.Parameter);
}

/// <summary>
/// A table that writers append rows of <typeparamref name="T"/> to, described once as data: its name, its columns in
/// order, each with the value that fills it, and what to do with a row that conflicts with a stored one (by default
/// nothing: the caller's locks or constraints make conflicts impossible or an error; <see cref="SkippingConflicts"/>
/// skips them). The single-row INSERT, PostgreSQL's multi-row INSERT (<see cref="SetStatements.InsertRowsAsync{T}"/>) and
/// its binary COPY (<see cref="SetStatements.CopyRowsAsync{T}"/>) are all built from this description. Table and column
/// names are code constants; every row value stays a parameter.
/// </summary>
public sealed class StreamedTable<T> where T : notnull
{
    private readonly StreamedColumn[] columns;
    private readonly Func<T, object?>[] values;

    public StreamedTable(string name, params StreamedColumn[] columns) : this(name, columns, "")
    {
    }

    private StreamedTable(string name, StreamedColumn[] columns, string conflict)
    {
        Name = name;
        this.columns = columns;
        Conflict = conflict;
        Columns = columns.Select(c => c.Name).ToArray();
        var properties = columns.Select(c => c.Parameter is { } p ? PropertyOf(p) : null).ToArray();
        values = columns.Select((c, i) => ValueOf(c, properties[i])).ToArray();
        Insert = $"INSERT INTO {name} ({string.Join(", ", Columns)})\nVALUES ({string.Join(", ", columns.Select(ValueSql))})"
                 + (conflict.Length == 0 ? "" : "\n" + conflict);
        Template = TemplateOf(columns, properties);
    }

    /// <summary>
    /// The same table whose inserts skip a row that conflicts with a stored one on the unique <paramref name="keys"/> (on
    /// any unique constraint when none are named): <c>ON CONFLICT (keys) DO NOTHING</c>. Such rows are never COPYed,
    /// since a COPY stops at the first conflict.
    /// </summary>
    public StreamedTable<T> SkippingConflicts(params string[] keys) =>
        new(Name, columns, keys.Length == 0 ? "ON CONFLICT DO NOTHING" : $"ON CONFLICT ({string.Join(", ", keys)}) DO NOTHING");

    /// <summary>The clause after VALUES: empty, or the <c>ON CONFLICT ... DO NOTHING</c> of <see cref="SkippingConflicts"/>.</summary>
    public string Conflict { get; }

    public string Name { get; }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>The single-row INSERT (<c>INSERT INTO t (a, b) VALUES (@A, 'text')</c>); its parameters are the row's properties.</summary>
    public string Insert { get; }

    /// <summary>The multi-row INSERT's parts (<see cref="SetStatements.InsertRowsAsync{T}"/>).</summary>
    internal SetStatements.Template Template { get; }

    /// <summary>A row's values in <see cref="Columns"/> order, as the connector takes them natively.</summary>
    internal object?[] ValuesOf(T row) => Array.ConvertAll(values, value => value(row));

    private static string ValueSql(StreamedColumn column) => column switch
    {
        { Parameter: { } p } => "@" + p,
        { FixedValue: string text } => $"'{text}'",
        { FixedValue: int number } => number.ToString(CultureInfo.InvariantCulture),
        _ => "NULL",
    };

    private static Func<T, object?> ValueOf(StreamedColumn column, PropertyInfo? property)
    {
        if (property is not null) return row => property.GetValue(row) is { } value ? SetStatements.Native(value) : null;
        var value = column.FixedValue;
        return _ => value;
    }

    /// <summary>The VALUES tuple as the text around each parameter: fixed values are part of the text.</summary>
    private SetStatements.Template TemplateOf(StreamedColumn[] columns, PropertyInfo?[] properties)
    {
        var parts = new List<string>();
        var text = new StringBuilder("(");
        for (var i = 0; i < columns.Length; i++)
        {
            if (i > 0) text.Append(", ");
            if (properties[i] is null)
            {
                text.Append(ValueSql(columns[i]));
                continue;
            }
            parts.Add(text.ToString());
            text.Clear();
        }
        parts.Add(text.Append(')').ToString());
        var parameters = properties.OfType<PropertyInfo>().ToArray();
        var firstUse = parameters.Select((property, i) => Array.IndexOf(parameters, property) == i).ToArray();
        return new SetStatements.Template($"INSERT INTO {Name} ({string.Join(", ", Columns)})", parts.ToArray(), parameters, firstUse, Conflict);
    }

    private static PropertyInfo PropertyOf(string name) =>
        typeof(T).GetProperty(name) ?? throw new ArgumentException($"{typeof(T).Name} has no property {name} for a streamed column.", nameof(name));
}
