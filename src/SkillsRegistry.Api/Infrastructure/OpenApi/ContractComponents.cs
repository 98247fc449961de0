using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Infrastructure.OpenApi;

/// <summary>
/// The reusable parts every operation refers to: request headers (components.parameters), response headers
/// (components.headers) and the two problem bodies (RFC 9457), each written once.
/// </summary>
/// <summary>A request header a feature reads, declared once in components.parameters (the composition root passes them in).</summary>
public sealed record ContractRequestHeader(string Name, string Description, IOpenApiSchema Schema);

internal static class ContractComponents
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "ValidationProblemDetails";

    private static readonly Dictionary<string, (string Description, IOpenApiSchema Schema)> RequestHeaders = new(StringComparer.Ordinal)
    {
        [ContractHeaders.IfMatch] = ("The ETag from your last read of this resource. The change is refused with 412 when the resource changed since, " +
                                      "and with 428 when the header is missing.", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^(W/)?\"v[0-9]+\"$" }),
        [Idempotency.HeaderName] = ("Makes a retry safe: the first response for this key is stored for 48 hours and a retry with the same body gets it " +
                                    "again (with Idempotency-Replayed: true); the same key with a different body is refused with 422.",
            new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 128, Pattern = "^[!-~]+$" }),
    };

    private static readonly Dictionary<string, (string Description, IOpenApiSchema Schema)> ResponseHeaders = new(StringComparer.Ordinal)
    {
        [ContractHeaders.ETag] = ("The resource's version; send it back in If-Match to change the resource.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"v[0-9]+\"$" }),
        [ContractHeaders.Location] = ("The URL of the created resource.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" }),
        [ContractHeaders.RetryAfter] = ("Seconds to wait before trying again.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" }),
        [Idempotency.ReplayedHeader] = ("true when this is the stored response to an earlier request with the same Idempotency-Key.",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] }),
    };

    /// <summary>If-Match is declared required: every operation that reads it answers 428 without it.</summary>
    public static string ParameterId(string header) => header;

    public static string HeaderId(string header) => header;

    /// <summary>
    /// The generator puts null into a shared enum when one property using it is nullable, and also wraps that property in
    /// oneOf with {type: null}; a null would then match both branches. Nullability stays with the property.
    /// </summary>
    private static void WithoutNullInSharedEnums(OpenApiComponents components)
    {
        foreach (var schema in (components.Schemas ?? new Dictionary<string, IOpenApiSchema>()).Values.OfType<OpenApiSchema>())
        {
            if (schema.Enum is { } values && values.Any(v => v is null)) schema.Enum = values.Where(v => v is not null).ToList();
        }
    }

    public static void AddTo(OpenApiDocument document, IReadOnlyList<ContractRequestHeader> featureHeaders)
    {
        document.Components ??= new OpenApiComponents();
        WithoutNullInSharedEnums(document.Components);
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        var parameters = document.Components.Parameters;
        void Declare(string name, string description, IOpenApiSchema schema) => parameters[ParameterId(name)] = new OpenApiParameter
        {
            Name = name, In = ParameterLocation.Header, Required = name == ContractHeaders.IfMatch, Description = description, Schema = schema,
        };
        foreach (var (name, (description, schema)) in RequestHeaders) Declare(name, description, schema);
        foreach (var header in featureHeaders) Declare(header.Name, header.Description, header.Schema);
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var (name, (description, schema)) in ResponseHeaders)
            document.Components.Headers[HeaderId(name)] = new OpenApiHeader { Description = description, Schema = schema };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.Remove("HttpValidationProblemDetails");
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem. Some problems add members of their own (e.g. conflicts).",
            Required = new HashSet<string> { "type", "title", "status", "traceId" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", Description = "Identifies the kind of problem (about:blank when the status says it all)." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong and how to fix the request." },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when reporting a problem." },
            },
        };
        document.Components.Schemas[ValidationProblemSchema] = new OpenApiSchema
        {
            Description = "A rejected request. When fields are at fault (nearly always), errors maps each field (a JSON path such as " +
                          "rows[0].theoryScore, a query parameter or a header) to what is wrong with it.",
            AllOf =
            [
                new OpenApiSchemaReference(ProblemSchema, document),
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["errors"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                        },
                    },
                },
            ],
        };
    }

    /// <summary>A request example without null members: optional fields are left out, as the schemas say.</summary>
    public static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList()) o.Remove(key);
                foreach (var (_, value) in o) WithoutNulls(value);
                break;
            case JsonArray a:
                foreach (var item in a) WithoutNulls(item);
                break;
        }
        return node;
    }
}
