namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>A PDF cannot be produced right now (no Chromium, too many renders waiting, browser failure); answer 503.</summary>
public sealed class PdfUnavailableException : Exception
{
    public PdfUnavailableException(string message) : base(message) { }

    public PdfUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
