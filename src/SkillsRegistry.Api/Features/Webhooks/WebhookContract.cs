using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Infrastructure.OpenApi;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// The OpenAPI 3.1 <c>webhooks</c> section: one entry per event type, with the Standard Webhooks headers and the
/// event's own envelope schema (its <c>type</c> fixed, its <c>data</c> the same schema the dispatcher serializes).
/// </summary>
public static class WebhookContract
{
    /// <summary>Each event type with the type of its data.</summary>
    public static readonly IReadOnlyDictionary<string, Type> DataTypes = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [WebhookEventTypes.CertificateIssued] = typeof(CertificateEventData),
        [WebhookEventTypes.CertificateRevoked] = typeof(CertificateEventData),
        [WebhookEventTypes.CertificateSuperseded] = typeof(CertificateEventData),
        [WebhookEventTypes.StandardActivated] = typeof(StandardEventData),
        [WebhookEventTypes.StandardSuperseded] = typeof(StandardEventData),
    };

    private static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
    {
        [WebhookEventTypes.CertificateIssued] = "A certificate was issued (a passing result was recorded)",
        [WebhookEventTypes.CertificateRevoked] = "A certificate was revoked",
        [WebhookEventTypes.CertificateSuperseded] = "A certificate was replaced by a corrected one",
        [WebhookEventTypes.StandardActivated] = "A competency standard version came into force",
        [WebhookEventTypes.StandardSuperseded] = "A competency standard version was superseded",
    };

    private static readonly (string Name, string Description, IOpenApiSchema Schema)[] Headers =
    [
        (WebhookSignature.IdHeader, "The event id, the same on every attempt: de-duplicate on it.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }),
        (WebhookSignature.TimestampHeader, "When this attempt was sent, in Unix seconds. Reject deliveries more than 5 minutes old or early.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+$" }),
        (WebhookSignature.SignatureHeader, "Space-separated v1,<base64 HMAC-SHA256> signatures of \"{webhook-id}.{webhook-timestamp}.{body}\", one per valid " +
            "secret (two during a secret rotation). Verify with a Standard Webhooks library and the whsec_ secret.",
            new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$" }),
    ];

    public static OpenApiOptions AddWebhookSection(this OpenApiOptions options) => options.AddDocumentTransformer(async (document, context, ct) =>
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        foreach (var (name, description, schema) in Headers)
            document.Components.Parameters[name] = new OpenApiParameter { Name = name, In = ParameterLocation.Header, Required = true, Description = description, Schema = schema };

        foreach (var type in DataTypes.Values.Distinct())
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
            MarkNullables(schema, type);
            document.Components.Schemas[type.Name] = schema;
        }

        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var (eventType, dataType) in DataTypes)
        {
            var envelope = EnvelopeName(eventType);
            document.Components.Schemas[envelope] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = Summaries[eventType] + ". The body of every delivery of this event.",
                Required = new HashSet<string> { "id", "type", "occurredAt", "data" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "The event id (also in webhook-id)." },
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(eventType)] },
                    ["occurredAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
                    ["data"] = new OpenApiSchemaReference(dataType.Name, document),
                },
            };
            document.Webhooks[eventType] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Post] = new()
                    {
                        OperationId = "On" + string.Concat(eventType.Split('.', '-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
                        Summary = Summaries[eventType],
                        Description = "Sent to every webhook subscribed to " + eventType + " whose owner may see the event. Answer 2xx to accept; " +
                                      "408, 429 and 5xx (and network errors) are retried with backoff, any other answer ends the delivery.",
                        Tags = new HashSet<OpenApiTagReference> { new("Webhooks", document) },
                        Security = [],
                        Parameters = Headers.Select(h => (IOpenApiParameter)new OpenApiParameterReference(h.Name, document)).ToList(),
                        RequestBody = new OpenApiRequestBody
                        {
                            Required = true,
                            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(envelope, document) } },
                        },
                        Responses = new OpenApiResponses
                        {
                            ["2XX"] = new OpenApiResponse { Description = "Accepted; the delivery succeeded." },
                            ["4XX"] = new OpenApiResponse { Description = "Refused; not retried (except 408 and 429)." },
                            ["5XX"] = new OpenApiResponse { Description = "Failed; retried with exponential backoff." },
                        },
                    },
                },
            };
        }
    });

    /// <summary>
    /// Schemas made outside an endpoint inline nested records without their nullability: a property whose CLR type is
    /// nullable (it is sent as null) says so, at every level.
    /// </summary>
    private static void MarkNullables(OpenApiSchema schema, Type type)
    {
        if (schema.Properties is null) return;
        var nullability = new System.Reflection.NullabilityInfoContext();
        foreach (var property in type.GetProperties())
        {
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!schema.Properties.TryGetValue(name, out var found) || found is not OpenApiSchema propertySchema) continue;
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string)) MarkNullables(propertySchema, propertyType);
            if (nullability.Create(property).ReadState != System.Reflection.NullabilityState.Nullable) continue;
            if (propertySchema.Type is { } t) propertySchema.Type = t | JsonSchemaType.Null;
            else if (propertySchema.Enum is { Count: > 0 } values && !values.Any(v => v is null)) values.Add(null!);
        }
    }

    /// <summary>"certificate.issued" → "CertificateIssuedEvent".</summary>
    public static string EnvelopeName(string eventType) =>
        string.Concat(eventType.Split('.', '-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "Event";
}
