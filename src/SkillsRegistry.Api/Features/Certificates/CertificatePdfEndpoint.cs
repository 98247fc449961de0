using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>GET /api/v1/certificates/{id}/pdf: the printable certificate, for its issuing center and admin.</summary>
public static class CertificatePdfEndpoint
{
    public static RouteHandlerBuilder MapCertificatePdf(this RouteGroupBuilder certificates) =>
        certificates.MapGet("/{id:guid}/pdf", GetCertificatePdf)
            .WithName("GetCertificatePdf")
            .WithSummary("The certificate as a bilingual A4 PDF with its verification QR code")
            .WithDescription("For the issuing center and admin. Revoked and superseded certificates print with a watermark. " +
                             "503 when the PDF engine (Chromium) is not installed or is saturated; retry later.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCertificatePdf(
        Guid id, Caller caller, CertificateRepository certificates, CertificatePdfs pdfs, RegistryIdentity registry, CancellationToken ct)
    {
        var printable = await certificates.GetPrintableAsync(id, ct);
        if (printable is null || !caller.ActsForCenter(printable.Certificate.Center.Id))
            return Rejection.NotFound($"No certificate {id} is visible to this key.").ToProblem();
        return await PdfAsync(printable, pdfs, registry, ct);
    }

    /// <summary>The PDF of a certificate the caller was found to may read (also the holder's own download).</summary>
    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PdfAsync(
        PrintableCertificate printable, CertificatePdfs pdfs, RegistryIdentity registry, CancellationToken ct)
    {
        var pdf = await pdfs.GetAsync(printable.Certificate.Id, FactsOf(printable, registry), ct);
        if (pdf.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.File(pdf.Value, "application/pdf", $"certificate-{printable.Certificate.Number}.pdf");
    }

    private static CertificateFacts FactsOf(PrintableCertificate printable, RegistryIdentity registry)
    {
        var c = printable.Certificate;
        return new CertificateFacts
        {
            Number = c.Number,
            Status = c.Status switch
            {
                CertificateStatus.Revoked => PrintedStatus.Revoked,
                CertificateStatus.Superseded => PrintedStatus.Superseded,
                CertificateStatus.Expired => PrintedStatus.Expired,
                _ => PrintedStatus.Valid,
            },
            GivenNameFa = c.Holder.GivenNameFa, FamilyNameFa = c.Holder.FamilyNameFa,
            GivenNameLatin = c.Holder.GivenNameLatin, FamilyNameLatin = c.Holder.FamilyNameLatin,
            StandardCode = c.Standard.Code, StandardVersion = c.Standard.Version,
            StandardTitleFa = c.Standard.TitleFa, StandardTitleEn = c.Standard.TitleEn, IscoCode = c.Standard.IscoCode,
            TheoryHours = c.Standard.TheoryHours, PracticalHours = c.Standard.PracticalHours,
            CenterNameFa = c.Center.NameFa, CenterNameEn = c.Center.NameEn,
            ProvinceNameFa = printable.ProvinceNameFa, ProvinceNameEn = printable.ProvinceNameEn, CenterCountryCode = c.Center.Country,
            IssuedOn = c.IssuedOn, ExpiresOn = c.ExpiresOn,
            IssuerNameFa = registry.IssuerNameFa, IssuerNameEn = registry.IssuerNameEn,
            QrPayload = registry.VerificationUrl(c.Number, printable.Token),
        };
    }
}
