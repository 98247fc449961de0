using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SkillsRegistry.Api.Infrastructure.OpenApi;

/// <summary>
/// Makes schemas say what the service does. Request types (every type reachable from a request body) list as
/// required only the properties marked <see cref="System.ComponentModel.DataAnnotations.RequiredAttribute"/> (the
/// fields their validators require), and allow null only where <see cref="NullMeansAttribute"/> gives it a meaning:
/// the service reads a left-out field and a null the same way, so callers simply leave optional fields out.
/// Any property or parameter with <see cref="OneOfAttribute"/> becomes an enum, in requests and responses alike.
/// </summary>
internal sealed class RequestSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>Starts the description of a request property whose null has a meaning; the document pass keeps its null.</summary>
    public const string NullMeansPrefix = "null: ";

    private HashSet<Type>? requestTypes;

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(OneOfAttribute), true).FirstOrDefault() is OneOfAttribute oneOf)
            ApplyEnum(schema, oneOf.Values);
        if (context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is null) return Task.CompletedTask;
        requestTypes ??= RequestTypes(context.ApplicationServices);
        if (!requestTypes.Contains(context.JsonTypeInfo.Type)) return Task.CompletedTask;

        schema.Required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var info in context.JsonTypeInfo.Properties)
        {
            if (!schema.Properties.TryGetValue(info.Name, out var propertySchema)) continue;
            var attributes = info.AttributeProvider;
            if (attributes?.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), true) == true) schema.Required.Add(info.Name);
            if (attributes?.GetCustomAttributes(typeof(NullMeansAttribute), true).FirstOrDefault() is NullMeansAttribute meaning
                && propertySchema is OpenApiSchema described)
                described.Description = NullMeansPrefix + meaning.Meaning;
        }
        return Task.CompletedTask;
    }

    /// <summary>Sets the enum on a string schema, or on the items of an array of strings.</summary>
    internal static void ApplyEnum(IOpenApiSchema schema, IReadOnlyList<string> values)
    {
        var target = schema is OpenApiSchema { Items: OpenApiSchema items } s && s.Type?.HasFlag(JsonSchemaType.Array) == true ? items : schema as OpenApiSchema;
        if (target is null) return;
        target.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
    }

    /// <summary>
    /// Removes null from every property of the schemas reachable from request bodies, except where a null means
    /// something. (Done on the finished document: nullable references are wrapped in oneOf only at the end.)
    /// </summary>
    internal static void StripRequestNulls(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null || document.Paths is null) return;
        var pending = new Stack<string>();
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        foreach (var media in operation.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
            ReferencedIds(media.Schema, pending);
        var seen = new HashSet<string>();
        while (pending.TryPop(out var id))
        {
            if (!seen.Add(id) || !schemas.TryGetValue(id, out var found) || found is not OpenApiSchema schema || schema.Properties is null) continue;
            foreach (var name in schema.Properties.Keys.ToList())
            {
                var property = schema.Properties[name];
                ReferencedIds(property, pending);
                if (property.Description?.StartsWith(NullMeansPrefix, StringComparison.Ordinal) == true) continue;
                schema.Properties[name] = WithoutNull(property);
            }
        }
    }

    private static void ReferencedIds(IOpenApiSchema? schema, Stack<string> ids)
    {
        switch (schema)
        {
            case OpenApiSchemaReference reference when reference.Reference.Id is { } id:
                ids.Push(id);
                break;
            case OpenApiSchema s:
                ReferencedIds(s.Items, ids);
                foreach (var alternative in (s.OneOf ?? []).Concat(s.AnyOf ?? []).Concat(s.AllOf ?? [])) ReferencedIds(alternative, ids);
                break;
        }
    }

    /// <summary>The same schema without the null alternative (its items too, for an array of nullable items).</summary>
    internal static IOpenApiSchema WithoutNull(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema s) return schema;
        if (s.OneOf is { Count: 2 } alternatives && alternatives.FirstOrDefault(a => a.Type == JsonSchemaType.Null) is { } nullAlternative)
        {
            var other = alternatives.First(a => !ReferenceEquals(a, nullAlternative));
            if (s.Description is null) return other;
            alternatives.Remove(nullAlternative);
            return s;
        }
        if (s.Type is { } type && type.HasFlag(JsonSchemaType.Null) && type != JsonSchemaType.Null) s.Type = type & ~JsonSchemaType.Null;
        if (s.Items is { } items) s.Items = WithoutNull(items);
        return s;
    }

    /// <summary>Types bound from a request body, and every type reachable from their properties.</summary>
    private static HashSet<Type> RequestTypes(IServiceProvider services)
    {
        var found = new HashSet<Type>();
        var provider = services.GetRequiredService<IApiDescriptionGroupCollectionProvider>();
        foreach (var group in provider.ApiDescriptionGroups.Items)
        foreach (var description in group.Items)
        foreach (var parameter in description.ParameterDescriptions)
        {
            if (parameter.Source == BindingSource.Body && parameter.Type is { } type) Collect(type, found);
        }
        return found;
    }

    private static void Collect(Type type, HashSet<Type> found)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Guid) || type == typeof(decimal)
            || type == typeof(DateOnly) || type == typeof(DateTimeOffset) || type == typeof(DateTime)) return;
        if (type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable)
        {
            Collect(enumerable.GetGenericArguments()[0], found);
            return;
        }
        if (!found.Add(type)) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)) Collect(property.PropertyType, found);
    }
}
