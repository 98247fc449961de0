using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace SkillsRegistry.Api.Infrastructure.Problems;

/// <summary>
/// Says what form a field takes, in words a client understands ("a date as YYYY-MM-DD (Gregorian)", "an array of
/// strings"), found from the endpoint's own parameter and body types: error texts never show .NET type names.
/// </summary>
public static partial class FieldForms
{
    public static string Describe(Type? type)
    {
        if (type is null) return "a value of the form shown in the API documentation (/swagger)";
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(DateOnly)) return "a date as YYYY-MM-DD (Gregorian)";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "a date and time in ISO 8601 with its offset, e.g. 2026-03-21T09:30:00Z";
        if (type == typeof(TimeOnly)) return "a time as HH:mm";
        if (type == typeof(Guid)) return "an id (a UUID such as 0196a5f0-7c4e-7d2a-9b1e-2f3c4d5e6f70)";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)) return "an integer";
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float)) return "a number";
        if (type.IsEnum) return "one of: " + string.Join(", ", Enum.GetNames(type).Select(n => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(n)));
        if (ElementType(type) is { } element)
        {
            var inner = Describe(element);
            return "an array of " + Plural(inner);
        }
        return "an object";
    }

    /// <summary>The type at a JSON path such as <c>$.rows[3].trainee.birthDate</c> inside <paramref name="root"/>, or null.</summary>
    public static Type? TypeAt(Type? root, string path)
    {
        var type = root;
        foreach (Match token in PathToken().Matches(path))
        {
            if (type is null) return null;
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (token.Groups["index"].Success)
            {
                type = ElementType(type);
                continue;
            }
            var name = token.Groups["name"].Success ? token.Groups["name"].Value : token.Groups["quoted"].Value;
            type = Property(type, name)?.PropertyType;
        }
        return type;
    }

    /// <summary>The type of a handler parameter (or of a property of an [AsParameters] argument) named <paramref name="name"/>.</summary>
    public static Type? ParameterType(Endpoint? endpoint, string name)
    {
        var method = endpoint?.Metadata.GetMetadata<MethodInfo>();
        if (method is null) return null;
        foreach (var parameter in method.GetParameters())
        {
            if (string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase)) return parameter.ParameterType;
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null
                && Property(parameter.ParameterType, name) is { } property)
                return property.PropertyType;
        }
        return null;
    }

    private static PropertyInfo? Property(Type type, string name) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        if (enumerable is null) return typeof(IEnumerable).IsAssignableFrom(type) ? typeof(object) : null;
        var element = enumerable.GetGenericArguments()[0];
        // Dictionaries are objects keyed by name, not arrays.
        return element.IsGenericType && element.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) ? null : element;
    }

    private static string Plural(string description) => description switch
    {
        "a string" => "strings",
        "an integer" => "integers",
        "a number" => "numbers",
        "an object" => "objects",
        "true or false" => "true/false values",
        _ when description.StartsWith("a date as", StringComparison.Ordinal) => "dates as YYYY-MM-DD (Gregorian)",
        _ when description.StartsWith("an id", StringComparison.Ordinal) => "ids (UUIDs)",
        _ => "values, each " + description,
    };

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]")]
    private static partial Regex PathToken();

    /// <summary>Parses ASP.NET Core's binding failure texts: <c>Failed to bind parameter "Nullable&lt;DateOnly&gt; on" from "x".</c></summary>
    [GeneratedRegex("""parameter "(?<type>[^"]*?) (?<name>[A-Za-z_][A-Za-z0-9_]*)"(?: from "(?<value>.*)")?""", RegexOptions.Singleline)]
    public static partial Regex BindingFailure();
}
