using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>A PDF cannot be produced right now (no Chromium, too many renders waiting, browser failure): a 503, retry later.</summary>
public static class PdfUnavailable
{
    public const string Title = "PDF rendering unavailable";

    public static Rejection Because(string detail) => Rejection.Unavailable(detail) with { Title = Title };
}
