using System.Text.Json;

namespace SkillsRegistry.Api.Infrastructure.Text;

/// <summary>Enums travel and are stored as kebab-case text ("private-institute"), the same in JSON and in the database.</summary>
public static class EnumText
{
    public static string ToText<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name}");

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(ToText(candidate), text, StringComparison.OrdinalIgnoreCase)) { value = candidate; return true; }
        }
        value = default;
        return false;
    }

    public static string Allowed<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => ToText(v)));
}
