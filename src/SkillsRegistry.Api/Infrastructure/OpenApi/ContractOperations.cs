using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Infrastructure.OpenApi;

/// <summary>
/// Declares on each operation what the code does with headers and errors, from the endpoint's metadata:
/// <list type="bullet">
/// <item>412 or 428 among the responses → the If-Match header (required when 428 is declared) and an ETag on success;</item>
/// <item>201 → Location; a rate-limited endpoint → 429 with Retry-After; headers named with AcceptsHeader/SendsHeader;</item>
/// <item>400 → the ValidationProblemDetails schema (with field errors); every other error → ProblemDetails;</item>
/// <item>enum-valued query parameters (<see cref="OneOfAttribute"/>) and the paging range.</item>
/// </list>
/// </summary>
internal sealed class ContractOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();
        var responses = operation.Responses;

        if (metadata.OfType<EnableRateLimitingAttribute>().Any() && !responses.ContainsKey("429"))
            responses["429"] = new OpenApiResponse { Description = "Too Many Requests" };

        var requestHeaders = metadata.OfType<RequestHeaderMetadata>().Select(h => h.Name).ToList();
        if (responses.ContainsKey("412") || responses.ContainsKey("428")) requestHeaders.Add(ContractHeaders.IfMatch);
        foreach (var name in requestHeaders.Distinct())
        {
            operation.Parameters ??= [];
            if (operation.Parameters.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))) continue;
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.ParameterId(name), document));
        }

        var sent = metadata.OfType<ResponseHeaderMetadata>().ToList();
        if (responses.ContainsKey("412") || responses.ContainsKey("428"))
            sent.AddRange(responses.Keys.Where(k => k.StartsWith('2') && k != "204").Select(k => new ResponseHeaderMetadata(int.Parse(k), ContractHeaders.ETag)));
        if (responses.ContainsKey("201")) sent.Add(new ResponseHeaderMetadata(201, ContractHeaders.Location));
        if (responses.ContainsKey("429")) sent.Add(new ResponseHeaderMetadata(429, ContractHeaders.RetryAfter));
        foreach (var header in sent.Distinct())
        {
            if (!responses.TryGetValue(header.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) || response is not OpenApiResponse r) continue;
            r.Headers ??= new Dictionary<string, IOpenApiHeader>();
            r.Headers[header.Name] = new OpenApiHeaderReference(ContractComponents.HeaderId(header.Name), document);
        }

        foreach (var (status, response) in responses)
        {
            if (status.StartsWith('2') || status.StartsWith('3') || response is not OpenApiResponse r) continue;
            var schema = status == "400" ? ContractComponents.ValidationProblemSchema : ContractComponents.ProblemSchema;
            r.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schema, document) },
            };
        }

        DescribeParameters(operation, context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A success answered as JSON or, on request, as another media type (CSV) declares only the JSON, so generated
    /// clients type it; the alternative is named in the description (and CSV has its own operations where it matters).
    /// </summary>
    internal static void JsonOnlyForJson(OpenApiDocument document)
    {
        foreach (var operation in (document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>()).SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
            JsonOnlyForJson(operation);
    }

    private static void JsonOnlyForJson(OpenApiOperation operation)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (!status.StartsWith('2') || response is not OpenApiResponse { Content: { Count: > 1 } content } r || !content.ContainsKey("application/json")) continue;
            var others = content.Keys.Where(k => k != "application/json").ToList();
            foreach (var other in others) content.Remove(other);
            r.Description = $"{r.Description}. Also served as {string.Join(", ", others)} when the request asks for it (Accept header, or format where the operation has one).";
        }
    }

    private static void DescribeParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (operation.Parameters is null) return;
        foreach (var description in context.Description.ParameterDescriptions)
        {
            if (operation.Parameters.FirstOrDefault(p => p.Name == description.Name && p.In != ParameterLocation.Header) is not OpenApiParameter parameter
                || parameter.Schema is not OpenApiSchema schema) continue;
            var info = (description.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo;
            if (info?.GetCustomAttribute<OneOfAttribute>() is { } oneOf)
            {
                if (oneOf.CommaSeparatedUpTo > 1)
                {
                    var value = "(" + string.Join('|', oneOf.Values.Select(System.Text.RegularExpressions.Regex.Escape)) + ")";
                    schema.Pattern = $"^{value}(,{value}){{0,{oneOf.CommaSeparatedUpTo - 1}}}$";
                    schema.Description ??= $"One to {oneOf.CommaSeparatedUpTo} of {string.Join(", ", oneOf.Values)}, comma-separated.";
                }
                else RequestSchemaTransformer.ApplyEnum(schema, oneOf.Values);
            }
            if (info?.GetCustomAttribute<FormatAttribute>() is { } format) schema.Format = format.Format;
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Integer))
            {
                if (description.Name == "page") schema.Minimum = "1";
                if (description.Name == "pageSize")
                {
                    schema.Minimum = "1";
                    schema.Maximum = Paging.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    schema.Default = JsonValue.Create(Paging.DefaultPageSize);
                }
            }
        }
    }
}
