using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace SkillsRegistry.Api.Infrastructure.OpenApi;

/// <summary>
/// An example for every success response with a JSON body, built from its schema: realistic values by property name
/// (Persian names, certificate numbers, Tehran-calendar dates), the first declared value of an enum, the first non-null
/// branch of a oneOf/anyOf, one item per array, and values inside every declared range and length.
/// </summary>
internal static class ResponseExamples
{
    private const string Day = "2026-03-15";
    private const string Instant = "2026-03-15T08:30:00Z";

    private static readonly Dictionary<string, JsonNode> ByName = new(StringComparer.Ordinal)
    {
        ["number"] = "1405-10-483920175-K", ["certificateNumber"] = "1405-10-483920175-K", ["heldCertificateNumber"] = "1404-10-271846390-K",
        ["supersededByNumber"] = "1405-10-592031846-K",
        ["nameFa"] = "آموزشگاه آزاد فنی و حرفه‌ای نخل", ["nameEn"] = "Nakhl Private Vocational Institute",
        ["titleFa"] = "بافنده فرش دستباف", ["titleEn"] = "Hand-woven carpet weaver",
        ["givenNameFa"] = "زهرا", ["familyNameFa"] = "کریمی‌نژاد", ["givenNameLatin"] = "Zahra", ["familyNameLatin"] = "Karimi-Nezhad",
        ["nameLatin"] = "Zahra Karimi-Nezhad", ["name"] = "Nakhl institute results upload", ["assessorName"] = "مهدی رضایی",
        ["assessorId"] = "ASR-10-0457", ["code"] = "7318-21-001-1", ["standardCode"] = "7318-21-001-1", ["iscoCode"] = "7318",
        ["sector"] = "handicrafts", ["provinceCode"] = "IR-10", ["province"] = "IR-10", ["country"] = "IR", ["nationality"] = "IR",
        ["region"] = "Khuzestan", ["city"] = "Ahvaz", ["address"] = "Kianpars, Ahvaz", ["phone"] = "+98 61 3344 1717",
        ["email"] = "info@nakhl.example", ["url"] = "https://partner.example.org/skills-registry/events",
        ["verificationUrl"] = "https://registry.example.org/verify/1405-10-483920175-K", ["nationalId"] = "0012345679",
        ["passportNumber"] = "P12345678", ["externalRef"] = "NAKHL-2026-0315-017", ["issuedOnSolarHijri"] = "1404/12/24",
        ["expiresOnSolarHijri"] = "1409/12/24", ["solarHijri"] = "1404/12/24", ["prefix"] = "sr_live_7Hq2",
        ["key"] = "sr_live_7Hq2kX9vPz3mN8bR4tW6yL1cD5fG0jA", ["secret"] = "whsec_MfKQ9r8GdHpS5m1lCe7v0aTy3hZbUXwN",
        ["hash"] = "9c1f0e6b5d2a4e8f7a3b6c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f", ["prevHash"] = "4b1e6a9f0c3d2e5f8a7b6c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f",
        ["kty"] = "EC", ["crv"] = "P-256", ["x"] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", ["y"] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
        ["kid"] = "registry-2026-03", ["use"] = "sig", ["alg"] = "ES256", ["action"] = "certificate.revoke", ["entity"] = "certificate",
        ["entityId"] = "3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f", ["actorRole"] = "admin",
        ["reason"] = "The assessment was annulled after an inspection.", ["note"] = "Agreement renewed for the 1405 training year.",
        ["summary"] = "All 38 results of this assessor are at the pass mark or just above it.",
        ["verdictMessageEn"] = "This certificate is valid.", ["verdictMessageFa"] = "این گواهینامه معتبر است.",
        ["verdictMessage"] = "اصیل: این کد QR را سامانه ثبت برای همین گواهینامه صادر کرده و این گواهینامه معتبر است.",
        ["message"] = "این شماره گواهینامه در سامانه معتبر ثبت شده است.",
        ["messageEn"] = "This certificate is valid.", ["messageFa"] = "این گواهینامه معتبر است.",
        ["licenceStatusDetail"] = "Licensed until 2027-03-20.", ["title"] = "Not Found", ["detail"] = "No certificate has this number.",
        ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    };

    /// <summary>Values that depend on the object they sit in (schema name, property).</summary>
    private static readonly Dictionary<string, JsonNode> InSchema = new(StringComparer.Ordinal)
    {
        ["VerifiedHolder.nameFa"] = "زهرا کریمی‌نژاد", ["HolderNames.nameFa"] = "زهرا کریمی‌نژاد", ["VerifiedCenter.code"] = "KHZ-AHV-P17",
        ["CenterDto.code"] = "KHZ-AHV-P17", ["CenterDetailDto.code"] = "KHZ-AHV-P17", ["CertificateCenter.code"] = "KHZ-AHV-P17",
        ["SignalCenter.code"] = "KHZ-AHV-P17", ["PartnerDto.code"] = "TVTO-KHZ", ["PartnerSummaryDto.code"] = "TVTO-KHZ",
        ["PartnerDto.nameFa"] = "اداره کل آموزش فنی و حرفه‌ای خوزستان", ["PartnerDto.nameEn"] = "Khuzestan TVTO Directorate",
        ["PartnerSummaryDto.nameFa"] = "اداره کل آموزش فنی و حرفه‌ای خوزستان", ["PartnerSummaryDto.nameEn"] = "Khuzestan TVTO Directorate",
        ["ProvinceDto.nameFa"] = "خوزستان", ["ProvinceDto.nameEn"] = "Khuzestan", ["ProvinceDto.code"] = "IR-10",
        ["SectorDto.nameFa"] = "صنایع دستی", ["SectorDto.nameEn"] = "Handicrafts", ["SectorDto.code"] = "handicrafts",
        ["TargetGroupDto.nameFa"] = "زنان سرپرست خانوار", ["TargetGroupDto.nameEn"] = "Female heads of household",
        ["TargetGroupDto.code"] = "female-heads-of-household", ["LicenceDto.number"] = "LIC-10-1403-0457",
        ["ApiKeyDto.name"] = "Nakhl institute results upload", ["SignalAssessor.name"] = "مهدی رضایی", ["SignalAssessor.id"] = "ASR-10-0457",
        ["AccessCodeDto.code"] = "7KQ2-M9XD-4TRB", ["AccessCodeDto.signInUrl"] = "https://registry.example.org/holder/sessions",
        ["HolderSessionDto.token"] = "srh_q7N2xV0cJmT4bW9zK1pR6yH3dF8gL5sA2eU7iO0nXcM", ["SharedHolder.nameFa"] = "زهرا کریمی‌نژاد",
        ["CreatedShareDto.url"] = "https://registry.example.org/shares/Xk3vR9qT2mW7pL0zN5bY8cH1dJ4fG6sA",
        ["CreatedShareDto.qrSvg"] = "<svg version=\"1.1\" viewBox=\"0 0 116 116\"><rect x=\"0\" y=\"0\" width=\"116\" height=\"116\" fill=\"#ffffff\" /></svg>",
        ["ShareViewDto.origin"] = "5.160.0.0/16", ["ShareDto.recipientLabel"] = "Ahvaz Steel, HR", ["ShareAnswer.recipientLabel"] = "Ahvaz Steel, HR",
        ["PersonalDataReadDto.readerNameFa"] = "آموزشگاه آزاد فنی و حرفه‌ای نخل", ["PersonalDataReadDto.readerNameEn"] = "Nakhl Private Vocational Institute",
        ["PersonalDataReadDto.whatEn"] = "Your certificates (transcript)", ["PersonalDataReadDto.whatFa"] = "گواهینامه‌های شما (کارنامه)",
        ["HolderRecordDto.nationalIdMasked"] = "******5679",
        ["ShareAnswer.message"] = "دارنده این گواهینامه‌ها را از طریق سامانه ثبت به اشتراک گذاشته است: هر گواهینامه هم‌اکنون با سامانه بررسی شده و نتیجه آن در ابتدا آمده است.",
        ["ShareAnswer.messageFa"] = "دارنده این گواهینامه‌ها را از طریق سامانه ثبت به اشتراک گذاشته است: هر گواهینامه هم‌اکنون با سامانه بررسی شده و نتیجه آن در ابتدا آمده است.",
        ["HolderSessionDto.idleTimeoutMinutes"] = 30, ["HolderSessionDto.expiresAt"] = "2026-03-15T20:30:00Z",
        ["ShareAnswer.messageEn"] = "Shared by the holder through the registry: each certificate below is checked against the registry now, its verdict first.",
        ["StatisticsGroupValue.value"] = "IR-10", ["StatisticsGroupValue.nameFa"] = "خوزستان", ["StatisticsGroupValue.nameEn"] = "Khuzestan",
        ["PractitionerStatisticsRow.qualified"] = 25, ["PractitionerStatisticsRow.current"] = 20, ["PractitionerStatistics.kind"] = "assessor",
        ["RefresherHoursRow.practitioners"] = 15, ["RefresherHoursRow.hours"] = 340,
    };

    /// <summary>Nullable parts that a typical answer leaves out (a valid certificate has no revocation).</summary>
    private static readonly HashSet<string> NullInTypicalAnswer = new(StringComparer.Ordinal)
    {
        "revocation", "supersededBy", "supersededById", "supersededByNumber", "replacesId", "correctionReason", "voidedAt", "voidReason",
        "deactivatedAt", "lastError", "error", "firstBrokenSeq", "problem", "endReason", "statusReason", "draftedByPartnerId",
        "revokedAt", "heldCertificateId", "heldCertificateNumber", "nextAttemptAt", "passportNumber",
    };

    public static void AddTo(OpenApiDocument document)
    {
        foreach (var path in document.Paths.Values)
        {
            if (path.Operations is null) continue;
            foreach (var operation in path.Operations.Values)
            {
                if (operation.Responses is null) continue;
                foreach (var response in operation.Responses.Where(r => r.Key.StartsWith('2')).Select(r => r.Value))
                {
                    if (response.Content is null) continue;
                    foreach (var content in response.Content.Where(c => c.Key.Contains("json", StringComparison.Ordinal)).Select(c => c.Value))
                    {
                        if (content.Schema is not null && content.Example is null) content.Example = For(content.Schema, null, 0);
                    }
                }
            }
        }
    }

    private static JsonNode? For(IOpenApiSchema schema, string? name, int depth, string? owner = null)
    {
        if (owner is not null && name is not null && InSchema.TryGetValue($"{owner}.{name}", out var inSchema)) return inSchema.DeepClone();
        if (name is not null && NullInTypicalAnswer.Contains(name) && Nullable(schema)) return null;
        if (schema.Enum is { Count: > 0 } values) return values.FirstOrDefault(v => v is not null)?.DeepClone();
        if (schema.Const is { } constant) return JsonValue.Create(constant);
        var branches = (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).ToList();
        if (branches.Count > 0)
        {
            var branch = branches.FirstOrDefault(b => b.Type is not JsonSchemaType.Null) ?? branches[0];
            return For(branch, name, depth);
        }
        if (schema.AllOf is { Count: > 0 } all && schema.Properties is not { Count: > 0 }) return For(all[0], name, depth);
        var type = schema.Type ?? (schema.Properties is { Count: > 0 } ? JsonSchemaType.Object : null);
        if (type is null) return name is not null && ByName.TryGetValue(name, out var known) ? known.DeepClone() : null;
        if (type.Value.HasFlag(JsonSchemaType.Object) && depth < 8)
        {
            var result = new JsonObject();
            foreach (var (property, propertySchema) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
                result[property] = For(propertySchema, property, depth + 1, (schema as OpenApiSchemaReference)?.Reference.Id);
            return result;
        }
        if (type.Value.HasFlag(JsonSchemaType.Array))
            return schema.Items is { } items && depth < 8 ? new JsonArray(For(items, Singular(name), depth + 1)) : new JsonArray();
        if (type.Value.HasFlag(JsonSchemaType.Boolean)) return JsonValue.Create(name is not ("masked" or "suppressed" or "submittedOnBehalf"));
        if (type.Value.HasFlag(JsonSchemaType.Integer) || type.Value.HasFlag(JsonSchemaType.Number)) return Number(schema, name, type.Value);
        if (type.Value.HasFlag(JsonSchemaType.String)) return Text(schema, name);
        return null;
    }

    private static bool Nullable(IOpenApiSchema schema) =>
        schema.Type is { } t ? t.HasFlag(JsonSchemaType.Null) : (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Any(b => b.Type is JsonSchemaType.Null);

    private static JsonNode Number(IOpenApiSchema schema, string? name, JsonSchemaType type)
    {
        decimal value = name switch
        {
            "page" => 1, "pageSize" => 20, "total" => 1, "version" or "standardVersion" => 2, "theoryHours" => 60, "practicalHours" => 140,
            "theoryPassMark" or "practicalPassMark" or "passMark" => 50, "theoryScore" => 78.5m, "practicalScore" => 84,
            "validityMonths" => 60, "status" or "statusCode" or "lastStatusCode" => 503, "durationMs" => 142, "seq" or "recordsChecked" => 1284,
            "passRate" or "peerPassRate" or "fraction" => 0.82m, "z" => 3.1m, _ => 12,
        };
        if (schema.Minimum is { } min && decimal.TryParse(min, CultureInfo.InvariantCulture, out var lo) && value < lo) value = lo;
        if (schema.Maximum is { } max && decimal.TryParse(max, CultureInfo.InvariantCulture, out var hi) && value > hi) value = hi;
        return type.HasFlag(JsonSchemaType.Integer) ? JsonValue.Create((long)value) : JsonValue.Create((double)value);
    }

    private static JsonNode Text(IOpenApiSchema schema, string? name)
    {
        var value = schema.Format switch
        {
            "uuid" => Uuid(name),
            "date" => name is "expiresOn" or "validTo" or "effectiveTo" or "agreementEndsOn" or "to" or "newEndsOn" ? "2031-03-14" :
                      name is "birthDate" ? "1998-03-21" : Day,
            "date-time" => name is "expiresAt" or "previousSecretExpiresAt" or "nextAttemptAt" ? "2026-03-16T08:30:00Z" : Instant,
            "uri-reference" or "uri" => "https://registry.example.org/problems/not-found",
            _ => name is not null && ByName.TryGetValue(name, out var known) ? (string)known! : schema.Pattern == "^[0-9]+$" ? "42" : "Nakhl",
        };
        if (schema.MaxLength is { } maxLength && value.Length > maxLength) value = value[..maxLength];
        return JsonValue.Create(value);
    }

    private static string Uuid(string? name)
    {
        var seed = (uint)(name ?? "id").Aggregate(17, (h, c) => unchecked(h * 31 + c));
        return new Guid((int)seed, 0x5d4a, 0x4e7b, 0x9c, 0x6f, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f).ToString();
    }

    private static string? Singular(string? name) => name switch
    {
        "items" or null => null,
        "sectors" => "sector", "targetGroups" => "code", "partnerIds" => "partnerId", "assessmentIds" => "assessmentId", "events" => "eventType",
        _ => name.EndsWith('s') ? name[..^1] : name,
    };
}
