using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkillsRegistry.Reliability.Hostile;

/// <summary>One operation of the OpenAPI document: method, path template, parameters and request body schema.</summary>
public sealed record Operation(string Method, string Path, IReadOnlyList<(string Name, string In, JsonElement Schema)> Parameters, JsonElement? BodySchema);

/// <summary>A request as generated: everything needed to send it and to explain it in a failure message.</summary>
public sealed record HostileRequest(string Method, string Url, string KeyKind, string? Key, byte[]? Body, string? ContentType,
    IReadOnlyList<(string Name, string Value)> Headers, string Description);

/// <summary>
/// Generates hostile requests from the OpenAPI document with a seeded <see cref="Random"/>: a plausible request built from
/// the schema, then broken in one or more ways (body, types, fields, sizes, nesting, Unicode, injection, path, keys,
/// content type, headers).
/// </summary>
public sealed class HostileRequests(JsonElement document, Random random, IReadOnlyDictionary<string, string?> keys, IReadOnlyList<Guid> knownIds)
{
    private const string LoneSurrogateToken = "\u0001LONE-SURROGATE\u0001";
    private const string RawNumberToken = "\u0001RAW-NUMBER\u0001";

    public static IReadOnlyList<Operation> Operations(JsonElement document)
    {
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                if (op.Name == "parameters") continue;
                var parameters = op.Value.TryGetProperty("parameters", out var ps)
                    ? ps.EnumerateArray().Select(p => Resolve(document, p)).Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var sc) ? sc : default)).ToList()
                    : [];
                JsonElement? body = op.Value.TryGetProperty("requestBody", out var rb) && rb.GetProperty("content").TryGetProperty("application/json", out var json)
                    && json.TryGetProperty("schema", out var schema) ? schema : null;
                operations.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }
        return operations;
    }

    /// <summary>A shared parameter (<c>{"$ref": "#/components/parameters/If-Match"}</c>) is read from the components.</summary>
    private static JsonElement Resolve(JsonElement document, JsonElement parameter)
    {
        if (!parameter.TryGetProperty("$ref", out var reference)) return parameter;
        var target = document;
        foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(segment);
        return target;
    }

    private static readonly string[] HostileStrings =
    [
        "", " ", "\t\n", "null", "undefined", "NaN", "-1", "0", "1e400", "true",
        "' OR '1'='1", "'; DROP TABLE certificates; --", "1; DELETE FROM api_keys", "\" OR \"\"=\"", "%' OR 1=1 --", "\\'",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg/onload=alert(1)>", "{{7*7}}", "${jndi:ldap://127.0.0.1/a}",
        "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2f", "/dev/zero", "\0", "a\0b",
        "\u202Eevil\u202C", "\u200F\u200Fراست\u200E", "مریم\u200Cزاده", "e\u0301\u0301\u0301\u0301\u0301", "Z̸̡̛͚̈a̷l̵g̸o̶",
        "\uFEFFbom", "\uFFFF\uFFFE", "😀👩‍👩‍👧‍👦", "ي ك ى", "۱۲۳۴۵۶۷۸۹۰", "١٢٣", LoneSurrogateToken, "x" + LoneSurrogateToken + "y",
        "IR-10", "1405-10-0000001-A", "00000000-0000-0000-0000-000000000000", "2025-02-30", "9999-12-31", "0001-01-01",
    ];

    public HostileRequest Next(Operation op)
    {
        var notes = new List<string>();
        var keyKind = PickKeyKind();
        var url = BuildUrl(op, notes);
        var headers = new List<(string, string)>();
        byte[]? body = null;
        string? contentType = null;

        if (op.Method is "PUT" or "PATCH" && random.Next(4) != 0)
            headers.Add(("If-Match", Pick(["\"1\"", "\"2\"", "W/\"1\"", "*", "\"garbage\"", "99999999999999999999", "\"-1\"", ""])));
        if (op.Path.EndsWith("assessment-batches", StringComparison.Ordinal) && random.Next(3) == 0)
            headers.Add(("Idempotency-Key", Pick([Guid.NewGuid().ToString(), new string('k', 129), "has space", "fixed-key-1", "fixed-key-1", "\u007F"])));
        if (random.Next(8) == 0)
            headers.Add(("Accept", Pick(["text/csv", "text/html", "application/xml", "*/*", "application/problem+json", "garbage"])));

        if (op.BodySchema is { } schema || random.Next(10) == 0)
        {
            (body, contentType) = BuildBody(op.BodySchema, notes);
        }
        else if (op.Method is "POST" or "PUT" or "PATCH" && random.Next(2) == 0)
        {
            (body, contentType) = BuildBody(null, notes);
        }
        return new HostileRequest(op.Method, url, keyKind, keys[keyKind], body, contentType, headers,
            $"{op.Method} {url} key={keyKind} {string.Join("; ", notes)}");
    }

    /// <summary>Methods the document does not list for a path, and paths it does not have.</summary>
    public HostileRequest Stray(IReadOnlyList<Operation> operations)
    {
        var keyKind = PickKeyKind();
        if (random.Next(2) == 0)
        {
            var op = operations[random.Next(operations.Count)];
            var method = Pick(["DELETE", "PATCH", "PUT", "POST", "GET"]);
            var url = BuildUrl(op, []);
            return new HostileRequest(method, url, keyKind, keys[keyKind], null, null, [], $"stray {method} {url}");
        }
        var path = Pick(["/api/v1/nothing", "/api/v2/standards", "/api/v1/certificates/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
            "/api/v1/verify/", "/verify/", "/api/v1//standards", "/api/v1/audit/verify/extra", "/" + new string('a', 4000),
            "/api/v1/standards?page=%ZZ", "/openapi/v2.json", "/api/v1/centers/" + Uri.EscapeDataString("<script>")]);
        return new HostileRequest(Pick(["GET", "POST", "DELETE"]), path, keyKind, keys[keyKind], null, null, [], $"stray path {path}");
    }

    private string PickKeyKind()
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 40 => "admin",
            < 55 => "center",
            < 65 => "partner",
            < 72 => "none",
            < 79 => "malformed",
            < 86 => "unknown",
            < 93 => "expired",
            _ => "revoked",
        };
    }

    private string BuildUrl(Operation op, List<string> notes)
    {
        var path = op.Path;
        foreach (var (name, where, schema) in op.Parameters.Where(p => p.In == "path"))
        {
            var value = random.Next(3) == 0 ? HostilePathValue() : PlausibleScalar(schema);
            path = path.Replace("{" + name + "}", Escape(value.Replace("\0", "")));
        }
        var query = new List<string>();
        foreach (var (name, where, schema) in op.Parameters.Where(p => p.In == "query"))
        {
            if (random.Next(3) == 0) continue;
            var value = random.Next(3) == 0 ? HostileScalarText() : PlausibleScalar(schema);
            query.Add($"{name}={Escape(value)}");
        }
        if (random.Next(10) == 0) query.Add($"extra{random.Next(100)}={Escape(HostileScalarText())}");
        if (random.Next(20) == 0) query.Add("page=" + Pick(["-1", "0", "99999999999", "2147483648", "1.5", "abc"]));
        if (query.Count > 0) notes.Add("query");
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value.Replace(LoneSurrogateToken, "\uFFFD"));

    private string HostilePathValue() => Pick(
    [
        "../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", ".", "..", "%2500", "' OR 1=1 --", "<b>x</b>", new string('9', 5000),
        Guid.NewGuid().ToString(), "not-a-guid", "\u202E1405", "۱۴۰۵-۱۰-۰۰۰۰۰۰۱-A", "1405 10 0000001 A", "$(reboot)",
    ]);

    private string HostileScalarText() => Pick(HostileStrings).Replace(LoneSurrogateToken, "\uFFFD");

    private string PlausibleScalar(JsonElement schema)
    {
        var (type, format) = TypeOf(schema);
        return (type, format) switch
        {
            (_, "uuid") => random.Next(4) == 0 ? Guid.NewGuid().ToString() : knownIds[random.Next(knownIds.Count)].ToString(),
            (_, "date") => Pick(["2025-06-01", "2024-01-01", "2030-01-01", "2025-13-01"]),
            (_, "date-time") => Pick(["2025-06-01T00:00:00Z", "2025-06-01T00:00:00+03:30", "yesterday"]),
            ("integer", _) => Pick(["1", "2", "50", "0", "-5", "2147483647"]),
            ("number", _) => Pick(["75", "50.5", "0", "100", "100.01"]),
            ("boolean", _) => Pick(["true", "false", "yes"]),
            _ => Pick(["T0001", "IR-10", "active", "cinema", "handicrafts", "valid", "carpet", "IR", "female-heads-of-household", "1405-10-0000001-A"]),
        };
    }

    private (byte[] Body, string ContentType) BuildBody(JsonElement? schema, List<string> notes)
    {
        var roll = random.Next(100);
        string text;
        var contentType = "application/json";
        switch (roll)
        {
            case < 35:
            {
                var node = schema is { } s ? Sample(s, 0) : new JsonObject { ["a"] = 1 };
                var what = Mutate(ref node, notes);
                notes.Add("mutated: " + what);
                text = Serialize(node);
                break;
            }
            case < 45:
            {
                var node = schema is { } s ? Sample(s, 0) : new JsonObject();
                notes.Add("plausible body");
                text = Serialize(node);
                break;
            }
            case < 55:
            {
                var full = Serialize(schema is { } s ? Sample(s, 0) : new JsonObject { ["a"] = "b" });
                text = full[..random.Next(full.Length)];
                notes.Add("truncated JSON");
                break;
            }
            case < 63:
                text = Pick(["{", "}", "{\"a\":", "not json", "[1,2", "{\"rows\": [}", "{'single': 'quotes'}", "{\"a\":1,}", "\u0000", "{\"a\":01}",
                    "{\"a\":\"\\x41\"}", "{\"a\":\"unterminated}", "// comment\n{}", "NaN", "Infinity", "{\"a\":1}{\"b\":2}"]);
                notes.Add("malformed JSON");
                break;
            case < 69:
                text = Pick(["", "null", "[]", "123", "\"text\"", "true", "{}", "[{}]", "[null]"]);
                notes.Add("empty or wrong JSON root");
                break;
            case < 74:
            {
                var depth = Pick([100, 1000, 10_000]);
                text = random.Next(2) == 0
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"rows\":", depth)) + "1" + new string('}', depth);
                notes.Add($"nested {depth} deep");
                break;
            }
            case < 80:
            {
                var node = schema is { } s ? Sample(s, 0) : new JsonObject();
                text = Serialize(node);
                contentType = Pick(["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/jsonx", ""]);
                notes.Add("content type " + contentType);
                break;
            }
            case < 81:
                text = "{\"a\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";
                notes.Add("5 MiB body");
                break;
            case < 84:
            {
                var node = schema is { } s ? Sample(s, 0) : new JsonObject();
                if (node is JsonObject o) o["rows"] = new JsonArray(Enumerable.Range(0, 1001).Select(_ => (JsonNode?)new JsonObject { ["externalRef"] = "x" }).ToArray());
                text = Serialize(node);
                notes.Add("1,001 rows");
                break;
            }
            case < 87:
            {
                var bytes = Encoding.UTF8.GetBytes(Serialize(schema is { } s ? Sample(s, 0) : new JsonObject { ["a"] = "b" })).ToList();
                bytes.InsertRange(random.Next(bytes.Count), new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0x80 });
                notes.Add("invalid UTF-8");
                return (bytes.ToArray(), contentType);
            }
            default:
            {
                var node = schema is { } s ? Sample(s, 0) : new JsonObject();
                var what = Mutate(ref node, notes);
                var second = Mutate(ref node, notes);
                notes.Add($"mutated twice: {what}, {second}");
                text = Serialize(node);
                break;
            }
        }
        return (Encoding.UTF8.GetBytes(text), contentType);
    }

    private static string Serialize(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        // Raw tokens: a lone surrogate escape and numbers no .NET type holds.
        text = text.Replace(JsonSerializer.Serialize(LoneSurrogateToken).Trim('"'), "\\ud800");
        return text.Replace("\"" + JsonSerializer.Serialize(RawNumberToken).Trim('"') + "\"", "1e400");
    }

    /// <summary>Changes one field somewhere in the body: wrong type, removed, extra, huge, hostile text, huge number.</summary>
    private string Mutate(ref JsonNode? node, List<string> notes)
    {
        var containers = new List<JsonNode>();
        Collect(node, containers);
        if (containers.Count == 0) { node = HostileValue(); return "root replaced"; }
        var target = containers[random.Next(containers.Count)];
        if (target is JsonObject obj)
        {
            var names = obj.Select(p => p.Key).ToList();
            var roll = random.Next(10);
            if (roll == 0 || names.Count == 0) { obj["extra" + random.Next(1000)] = HostileValue(); return "extra field"; }
            var name = names[random.Next(names.Count)];
            if (roll == 1) { obj.Remove(name); return "missing " + name; }
            obj[name] = HostileValue();
            return "field " + name;
        }
        var array = (JsonArray)target;
        if (array.Count == 0 || random.Next(3) == 0) { array.Add(HostileValue()); return "array item added"; }
        array[random.Next(array.Count)] = HostileValue();
        return "array item replaced";
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        switch (node)
        {
            case JsonObject o:
                into.Add(o);
                foreach (var (_, v) in o) Collect(v, into);
                break;
            case JsonArray a:
                into.Add(a);
                foreach (var v in a) Collect(v, into);
                break;
        }
    }

    private JsonNode? HostileValue() => random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(Pick([-1, 0, int.MaxValue, int.MinValue, 101, 1_000_000])),
        2 => JsonValue.Create(Pick([double.MaxValue, -0.0001, 99.99999, 1e-300])),
        3 => JsonValue.Create(RawNumberToken),
        4 => JsonValue.Create(Pick([true, false])),
        5 => new JsonArray(JsonValue.Create("a"), JsonValue.Create(1)),
        6 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = "x" } },
        7 => JsonValue.Create(new string(Pick(['a', 'ب', '\u200C', '9']), Pick([257, 1025, 100_000]))),
        8 => JsonValue.Create(Guid.NewGuid().ToString()),
        9 => JsonValue.Create("99999999999999999999999999999"),
        _ => JsonValue.Create(Pick(HostileStrings)),
    };

    private JsonNode? Sample(JsonElement schema, int depth)
    {
        if (depth > 6) return null;
        schema = Resolve(schema);
        if (schema.TryGetProperty("oneOf", out var oneOf) || schema.TryGetProperty("anyOf", out oneOf))
        {
            var options = oneOf.EnumerateArray().Where(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")).ToList();
            return options.Count == 0 ? null : Sample(options[random.Next(options.Count)], depth + 1);
        }
        var (type, format) = TypeOf(schema);
        switch (type)
        {
            case "object":
            {
                var obj = new JsonObject();
                if (schema.TryGetProperty("properties", out var props))
                    foreach (var p in props.EnumerateObject()) obj[p.Name] = Sample(p.Value, depth + 1);
                return obj;
            }
            case "array":
            {
                var array = new JsonArray();
                if (schema.TryGetProperty("items", out var items))
                    for (var i = random.Next(1, 3); i > 0; i--) array.Add(Sample(items, depth + 1));
                return array;
            }
            case "integer": return JsonValue.Create(random.Next(1, 3));
            case "number": return JsonValue.Create(Pick([75m, 80m, 50.5m, 40m]));
            case "boolean": return JsonValue.Create(random.Next(2) == 0);
            default:
                if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
                    return JsonValue.Create(values[random.Next(values.GetArrayLength())].ToString());
                return JsonValue.Create(PlausibleScalar(schema));
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        for (var i = 0; i < 10 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); i++)
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    private static (string Type, string? Format) TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object) return ("string", null);
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (!schema.TryGetProperty("type", out var t)) return (schema.TryGetProperty("properties", out _) ? "object" : "string", format);
        if (t.ValueKind == JsonValueKind.String) return (t.GetString()!, format);
        var types = t.EnumerateArray().Select(x => x.GetString()!).Where(x => x != "null").ToList();
        return (types.FirstOrDefault() ?? "string", format);
    }

    private T Pick<T>(IReadOnlyList<T> options) => options[random.Next(options.Count)];
}
