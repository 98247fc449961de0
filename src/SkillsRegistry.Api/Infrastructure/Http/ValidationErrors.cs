using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Infrastructure.Http;

/// <summary>Collects field-level errors; field names are the JSON property paths a client sent.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public bool Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) { Add(field, "Required."); return false; }
        return MaxLength(field, value, maxLength);
    }

    public bool MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength) { Add(field, $"At most {maxLength} characters (got {value.Length})."); return false; }
        return true;
    }

    public bool Range(string field, decimal? value, decimal min, decimal max)
    {
        if (value is { } v && (v < min || v > max)) { Add(field, $"Must be between {min} and {max} (got {v})."); return false; }
        return true;
    }

    public bool OneOf<T>(string field, string? value, out T parsed) where T : struct, Enum
    {
        if (EnumText.TryParse(value, out parsed)) return true;
        Add(field, $"Must be one of: {EnumText.Allowed<T>()}.");
        return false;
    }

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Rejection ToRejection(string? detail = null) => Rejection.InvalidFields(ToDictionary(), detail);
}
