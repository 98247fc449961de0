using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

public sealed class CertificateDocumentTests
{
    [Fact]
    public void Dates_are_printed_in_the_gregorian_and_the_solar_hijri_calendar()
    {
        var document = CertificateSamples.Document(expiresOn: new DateOnly(2028, 3, 20));

        Assert.Equal(new PrintedDate("2025-04-13", "۱۴۰۴/۰۱/۲۴"), document.Issued);
        Assert.Equal(new PrintedDate("2028-03-20", "۱۴۰۷/۰۱/۰۱"), document.Expires);
    }

    [Fact]
    public void A_certificate_without_expiry_says_it_does_not_expire_in_both_languages()
    {
        var document = CertificateSamples.Document(expiresOn: null);

        Assert.Equal("Does not expire", document.Expires.Gregorian);
        Assert.Equal("بدون تاریخ انقضا", document.Expires.SolarHijri);
    }

    [Theory]
    [InlineData(PrintedStatus.Valid, null)]
    [InlineData(PrintedStatus.Expired, null)]
    [InlineData(PrintedStatus.Revoked, "REVOKED — باطل شده")]
    [InlineData(PrintedStatus.Superseded, "SUPERSEDED — جایگزین شده")]
    public void Only_revoked_and_superseded_certificates_carry_a_watermark(PrintedStatus status, string? watermark)
    {
        Assert.Equal(watermark, CertificateSamples.Document(status).Watermark?.Text);
    }

    [Fact]
    public void Names_places_and_the_verification_address_are_composed_for_print()
    {
        var document = CertificateSamples.Document();

        Assert.Equal(new PrintedHolder(CertificateSamples.PersianName, CertificateSamples.LatinName), document.Holder);
        Assert.Equal("اصفهان، ایران", document.Center.PlaceFa);
        Assert.Equal("Isfahan, Iran", document.Center.PlaceEn);
        Assert.Equal(300, document.Standard.TotalHours);
        Assert.Equal(CertificateSamples.QrPayload, document.QrPayload);
        Assert.Equal("http://localhost:5080/verify/1405-10-0000123-K", document.VerificationAddress);
    }

    [Fact]
    public void A_foreign_center_is_placed_in_its_country()
    {
        var document = CertificateDocument.Compose(CertificateSamples.Facts() with
        {
            ProvinceNameFa = null, ProvinceNameEn = null, CenterCountryCode = "af",
        });

        Assert.Equal("Afghanistan", document.Center.PlaceEn);
    }
}
