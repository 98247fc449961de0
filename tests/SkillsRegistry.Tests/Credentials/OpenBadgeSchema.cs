using System.Text.Json;
using Json.Schema;

namespace SkillsRegistry.Tests.Credentials;

/// <summary>The OB 3.0 AchievementCredential JSON schema (Credentials/Schemas), with formats (date-time, uri) enforced.</summary>
public static class OpenBadgeSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Credentials", "Schemas", "ob_v3p0_achievementcredential.schema.json"))));

    /// <summary>Every failed keyword as "instance location: message"; empty when the credential conforms.</summary>
    public static IReadOnlyList<string> Violations(JsonElement credential)
    {
        var result = Schema.Value.Evaluate(credential, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return [];
        return Flatten(result).ToList();
    }

    private static IEnumerable<string> Flatten(EvaluationResults result)
    {
        if (result.Errors is { } errors)
            foreach (var (keyword, message) in errors) yield return $"{result.InstanceLocation} ({keyword}): {message}";
        foreach (var child in result.Details ?? [])
            foreach (var line in Flatten(child)) yield return line;
    }
}
