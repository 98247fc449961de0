namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>Which half of the bilingual page a block is laid out for.</summary>
public enum PageLanguage { Persian, English }
