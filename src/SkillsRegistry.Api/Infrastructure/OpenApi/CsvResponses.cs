using Microsoft.OpenApi;

namespace SkillsRegistry.Api.Infrastructure.OpenApi;

public static class CsvResponses
{
    /// <summary>
    /// The typed result documents the JSON answer; the same 200 also comes as CSV on request (Accept: text/csv, see
    /// <see cref="Http.Csv.Requested"/>), so the contract lists text/csv beside it.
    /// </summary>
    public static RouteHandlerBuilder AlsoAnswersCsv(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
                content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            return Task.CompletedTask;
        });

    /// <summary>The request body may be CSV too (Content-Type: text/csv): listed beside the JSON body with <paramref name="example"/>.</summary>
    public static RouteHandlerBuilder AcceptsCsv(this RouteHandlerBuilder builder, string example) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody is OpenApiRequestBody { Content: { } content })
                content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = example };
            return Task.CompletedTask;
        });
}
