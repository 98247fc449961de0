using System.Text.Json;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Contract;

/// <summary>
/// Rules that keep the committed contract usable by generated clients as they are. The committed document is the one the
/// service serves (OpenApiDocumentTests fails on any drift), so these rules hold for what partners download.
/// </summary>
public sealed class ContractRulesTests
{
    /// <summary>Field and parameter names whose values come from a fixed list wherever they appear.</summary>
    private static readonly HashSet<string> EnumLikeNames = new(StringComparer.Ordinal)
    {
        "status", "role", "ownerRole", "kind", "gender", "reasonCode", "eventType", "events", "outcome", "severity",
        "scope", "format", "lang", "result", "failure", "centerKind", "type",
    };

    private static readonly JsonElement Document = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(RepositoryRoot.Path, "openapi", "skills-registry.v1.json"))).RootElement;

    [Fact]
    public void No_integer_or_number_is_typed_as_a_string_too()
    {
        var offenders = AllSchemas().Where(s => Types(s.Schema) is var t && t.Contains("string") && (t.Contains("integer") || t.Contains("number")))
            .Select(s => s.Where).ToList();
        Assert.True(offenders.Count == 0, "Typed both as a number and as a string: " + string.Join(", ", offenders));
    }

    [Fact]
    public void No_request_property_is_both_required_and_nullable()
    {
        var offenders = new List<string>();
        foreach (var name in RequestSchemaNames())
        {
            var schema = Document.GetProperty("components").GetProperty("schemas").GetProperty(name);
            if (!schema.TryGetProperty("required", out var required)) continue;
            foreach (var field in required.EnumerateArray().Select(f => f.GetString()!))
            {
                var property = schema.GetProperty("properties").GetProperty(field);
                if (IsNullable(property)) offenders.Add($"{name}.{field}");
            }
        }
        Assert.True(offenders.Count == 0, "Required but nullable request properties: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Every_operation_declares_the_headers_its_answers_depend_on()
    {
        var offenders = new List<string>();
        foreach (var (where, operation) in Operations())
        {
            var responses = operation.GetProperty("responses");
            var headers = Parameters(operation).Where(p => p.GetProperty("in").GetString() == "header")
                .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.TryGetProperty("required", out var r) && r.GetBoolean());
            if ((responses.TryGetProperty("412", out _) || responses.TryGetProperty("428", out _)) && !headers.ContainsKey("If-Match"))
                offenders.Add($"{where} answers 412/428 but declares no If-Match");
            if (responses.TryGetProperty("428", out _) && headers.TryGetValue("If-Match", out var ifMatchRequired) && !ifMatchRequired)
                offenders.Add($"{where} answers 428 when If-Match is missing, yet declares it optional");
            foreach (var (status, header) in new[] { ("429", "Retry-After"), ("201", "Location") })
            {
                if (responses.TryGetProperty(status, out var response) && !(response.TryGetProperty("headers", out var declared) && declared.TryGetProperty(header, out _)))
                    offenders.Add($"{where} answers {status} without declaring {header}");
            }
            if (responses.TryGetProperty("412", out _)
                && !responses.EnumerateObject().Any(r => r.Name.StartsWith('2') && r.Value.TryGetProperty("headers", out var h) && h.TryGetProperty("ETag", out _)))
                offenders.Add($"{where} takes If-Match but declares no ETag on success");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Every_error_response_is_a_problem_with_a_trace_id()
    {
        var offenders = new List<string>();
        foreach (var (where, operation) in Operations())
        foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
        {
            var schema = response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var media)
                ? media.GetProperty("schema").GetProperty("$ref").GetString() : null;
            var expected = response.Name == "400" ? "#/components/schemas/ValidationProblemDetails" : "#/components/schemas/ProblemDetails";
            if (schema != expected) offenders.Add($"{where} {response.Name}: {schema ?? "no problem+json body"}");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
        var problem = Document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");
        Assert.Contains("traceId", problem.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("type", problem.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void Every_enum_like_field_and_parameter_declares_its_values()
    {
        var offenders = new List<string>();
        foreach (var (where, name, schema) in NamedStringSchemas())
        {
            if (!EnumLikeNames.Contains(name)) continue;
            var target = Types(schema).Contains("array") ? Resolve(schema.GetProperty("items")) : schema;
            if (!Types(target).Contains("string")) continue;
            if (!target.TryGetProperty("enum", out _) && !target.TryGetProperty("pattern", out _)) offenders.Add(where);
        }
        Assert.True(offenders.Count == 0, "Enum-like but declared as free text: " + string.Join(", ", offenders));
    }

    [Fact]
    public void No_shared_enum_lists_null_among_its_values()
    {
        // Nullability belongs to the property (oneOf with {type: null}); a null inside the shared enum as well makes a
        // null value match both branches, which strict oneOf validation rejects.
        var offenders = Document.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("enum", out var values) && values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Null))
            .Select(s => s.Name).ToList();
        Assert.True(offenders.Count == 0, "Shared enums listing null: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Paging_parameters_declare_their_range()
    {
        foreach (var (where, operation) in Operations())
        foreach (var parameter in Parameters(operation).Where(p => p.GetProperty("name").GetString() == "pageSize"))
        {
            var schema = parameter.GetProperty("schema");
            Assert.True(schema.TryGetProperty("maximum", out _) && schema.TryGetProperty("minimum", out _), $"{where}: pageSize has no range");
        }
    }

    [Fact]
    public void Every_success_response_with_a_json_body_has_an_example()
    {
        var offenders = new List<string>();
        var checkedCount = 0;
        foreach (var (where, operation) in Operations())
        foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
        {
            if (!Resolve(response.Value).TryGetProperty("content", out var content)) continue;
            foreach (var media in content.EnumerateObject().Where(m => m.Name.Contains("json", StringComparison.Ordinal)))
            {
                checkedCount++;
                if (!media.Value.TryGetProperty("example", out _) && !media.Value.TryGetProperty("examples", out _))
                    offenders.Add($"{where} {response.Name} {media.Name}");
            }
        }
        Assert.True(checkedCount > 50, $"only {checkedCount} JSON success responses found: is the document complete?");
        Assert.True(offenders.Count == 0, "Success responses without an example: " + string.Join(", ", offenders));
    }

    // ---- walking the document ----

    private static IEnumerable<(string Where, JsonElement Operation)> Operations()
    {
        foreach (var path in Document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)))
            yield return ($"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value);
    }

    private static IEnumerable<JsonElement> Parameters(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray().Select(Resolve) : [];

    private static JsonElement Resolve(JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference))
        {
            var target = Document;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(part);
            element = target;
        }
        return element;
    }

    private static HashSet<string> Types(JsonElement schema)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type)) return types;
        if (type.ValueKind == JsonValueKind.String) types.Add(type.GetString()!);
        else if (type.ValueKind == JsonValueKind.Array) foreach (var t in type.EnumerateArray()) types.Add(t.GetString()!);
        return types;
    }

    private static bool IsNullable(JsonElement schema) =>
        Types(schema).Contains("null")
        || (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(a => Types(a).SetEquals(["null"])));

    /// <summary>Every schema in the document (components, parameters, headers, bodies), with where it is.</summary>
    private static IEnumerable<(string Where, JsonElement Schema)> AllSchemas()
    {
        var found = new List<(string, JsonElement)>();
        void Walk(string where, JsonElement node)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                if (node.TryGetProperty("type", out var type) && type.ValueKind is JsonValueKind.String or JsonValueKind.Array) found.Add((where, node));
                foreach (var property in node.EnumerateObject()) Walk($"{where}/{property.Name}", property.Value);
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in node.EnumerateArray()) Walk($"{where}/{i++}", item);
            }
        }
        Walk("#", Document);
        return found;
    }

    /// <summary>Schemas of named things: object properties (component schemas) and parameters.</summary>
    private static IEnumerable<(string Where, string Name, JsonElement Schema)> NamedStringSchemas()
    {
        foreach (var component in Document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            foreach (var part in component.Value.TryGetProperty("allOf", out var allOf) ? allOf.EnumerateArray().Append(component.Value) : [component.Value])
            {
                if (!part.TryGetProperty("properties", out var properties)) continue;
                foreach (var property in properties.EnumerateObject())
                {
                    var schema = Resolve(property.Value);
                    if (schema.TryGetProperty("oneOf", out var oneOf)) schema = Resolve(oneOf.EnumerateArray().First(a => !Types(a).SetEquals(["null"])));
                    if (component.Name.Contains("ProblemDetails") && property.Name == "type") continue; // a URI, not a list
                    yield return ($"{component.Name}.{property.Name}", property.Name, schema);
                }
            }
        }
        foreach (var (where, operation) in Operations())
        foreach (var parameter in Parameters(operation))
            yield return ($"{where} ?{parameter.GetProperty("name").GetString()}", parameter.GetProperty("name").GetString()!, parameter.GetProperty("schema"));
    }

    /// <summary>Names of the component schemas reachable from request bodies.</summary>
    private static HashSet<string> RequestSchemaNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonElement>();
        foreach (var (_, operation) in Operations())
        {
            if (operation.TryGetProperty("requestBody", out var body))
                foreach (var media in body.GetProperty("content").EnumerateObject()) pending.Push(media.Value.GetProperty("schema"));
        }
        while (pending.TryPop(out var node))
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                if (node.TryGetProperty("$ref", out var reference) && reference.GetString()!.Split('/') is [.., "schemas", var name] && names.Add(name))
                    pending.Push(Document.GetProperty("components").GetProperty("schemas").GetProperty(name));
                foreach (var property in node.EnumerateObject()) pending.Push(property.Value);
            }
            else if (node.ValueKind == JsonValueKind.Array)
                foreach (var item in node.EnumerateArray()) pending.Push(item);
        }
        return names;
    }
}
