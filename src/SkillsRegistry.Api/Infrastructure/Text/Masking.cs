namespace SkillsRegistry.Api.Infrastructure.Text;

/// <summary>How identifiers appear in logs, audit records and public responses.</summary>
public static class Masking
{
    /// <summary>"0012345679" → "******5679".</summary>
    public static string Identifier(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= 4 ? new string('*', value.Length) : new string('*', value.Length - 4) + value[^4..];
}
