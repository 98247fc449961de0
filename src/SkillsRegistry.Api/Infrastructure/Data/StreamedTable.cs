using System.Reflection;
using System.Text;

namespace SkillsRegistry.Api.Infrastructure.Data;

/// <summary>
/// A column of a <see cref="StreamedTable{T}"/>: filled from the row's property <see cref="Parameter"/>, or with a fixed
/// text (<see cref="Fixed"/>) or NULL (<see cref="Null"/>). Written as a tuple: <c>("seq", "Seq")</c>.
/// </summary>
public sealed record StreamedColumn(string Name, string? Parameter, string? FixedText = null)
{
    public static StreamedColumn Fixed(string name, string text) =>
        text.Contains('\'') ? throw new ArgumentException($"A fixed text holds no quote: {text}", nameof(text)) : new(name, null, text);

    public static StreamedColumn Null(string name) => new(name, null);

    public static implicit operator StreamedColumn((string Name, string Parameter) column) => new(column.Name, column.Parameter);
}

/// <summary>
/// A table that writers append rows of <typeparamref name="T"/> to where no row can conflict, described once as data: its
/// name and its columns in order, each with the value that fills it. The single-row INSERT, PostgreSQL's multi-row INSERT
/// and its binary COPY are all built from this description (<see cref="SetStatements.CopyRowsAsync{T}"/>). Table and
/// column names are code constants; every row value stays a parameter.
/// </summary>
public sealed class StreamedTable<T> where T : notnull
{
    private readonly Func<T, object?>[] values;

    public StreamedTable(string name, params StreamedColumn[] columns)
    {
        Name = name;
        Columns = columns.Select(c => c.Name).ToArray();
        var properties = columns.Select(c => c.Parameter is { } p ? PropertyOf(p) : null).ToArray();
        values = columns.Select((c, i) => ValueOf(c, properties[i])).ToArray();
        Insert = $"INSERT INTO {name} ({string.Join(", ", Columns)})\nVALUES ({string.Join(", ", columns.Select(ValueSql))})";
        Template = TemplateOf(columns, properties);
    }

    public string Name { get; }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>The single-row INSERT (<c>INSERT INTO t (a, b) VALUES (@A, 'text')</c>); its parameters are the row's properties.</summary>
    public string Insert { get; }

    /// <summary>The multi-row INSERT's parts (<see cref="SetStatements.InsertRowsAsync{T}"/>).</summary>
    internal SetStatements.Template Template { get; }

    /// <summary>A row's values in <see cref="Columns"/> order, as the connector takes them natively.</summary>
    internal object?[] ValuesOf(T row) => Array.ConvertAll(values, value => value(row));

    private static string ValueSql(StreamedColumn column) =>
        column.Parameter is { } p ? "@" + p : column.FixedText is { } text ? $"'{text}'" : "NULL";

    private static Func<T, object?> ValueOf(StreamedColumn column, PropertyInfo? property)
    {
        if (property is not null) return row => property.GetValue(row) is { } value ? SetStatements.Native(value) : null;
        var text = column.FixedText;
        return _ => text;
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
        return new SetStatements.Template($"INSERT INTO {Name} ({string.Join(", ", Columns)})", parts.ToArray(), parameters, firstUse, "");
    }

    private static PropertyInfo PropertyOf(string name) =>
        typeof(T).GetProperty(name) ?? throw new ArgumentException($"{typeof(T).Name} has no property {name} for a streamed column.", nameof(name));
}
