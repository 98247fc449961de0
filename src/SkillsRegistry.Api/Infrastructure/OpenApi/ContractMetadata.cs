namespace SkillsRegistry.Api.Infrastructure.OpenApi;

/// <summary>
/// The allowed values of a string field or parameter that the service validates by hand (it reads a string so that a
/// wrong value is a field error, not a binding failure). The contract declares them as an enum.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfAttribute : Attribute
{
    public OneOfAttribute(Type enumType) => Values = Enum.GetValues(enumType).Cast<Enum>().Select(ToText).ToArray();

    public OneOfAttribute(params string[] values) => Values = values;

    public IReadOnlyList<string> Values { get; }

    /// <summary>More than 1: the field is a comma-separated list of up to this many values (declared as a pattern).</summary>
    public int CommaSeparatedUpTo { get; init; } = 1;

    private static string ToText(Enum value) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}

/// <summary>
/// On a request field: <c>null</c> is a value with a meaning of its own (e.g. "never expires"), so the contract
/// allows it. Every other optional request field is simply left out.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NullMeansAttribute(string meaning) : Attribute
{
    public string Meaning { get; } = meaning;
}

/// <summary>The format of a string field or parameter the service parses by hand (e.g. "date" for yyyy-MM-dd).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class FormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}

/// <summary>A request header an endpoint reads (declared once in components.parameters).</summary>
public sealed record RequestHeaderMetadata(string Name);

/// <summary>A response header an endpoint sends with <paramref name="Status"/> (declared once in components.headers).</summary>
public sealed record ResponseHeaderMetadata(int Status, string Name);

public static class ContractHeaders
{
    public const string IfMatch = "If-Match";
    public const string ETag = "ETag";
    public const string Location = "Location";
    public const string RetryAfter = "Retry-After";

    /// <summary>Declares that the endpoint reads <paramref name="name"/> (a header in <see cref="ContractComponents"/>).</summary>
    public static TBuilder AcceptsHeader<TBuilder>(this TBuilder builder, string name) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestHeaderMetadata(name));

    /// <summary>Declares that the endpoint's <paramref name="status"/> response carries <paramref name="name"/>.</summary>
    public static TBuilder SendsHeader<TBuilder>(this TBuilder builder, int status, string name) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ResponseHeaderMetadata(status, name));
}
