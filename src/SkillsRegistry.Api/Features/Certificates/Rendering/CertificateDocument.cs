using System.Globalization;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>The status a printed certificate shows. Revoked and superseded certificates print with a watermark.</summary>
public enum PrintedStatus { Valid, Expired, Revoked, Superseded }

/// <summary>Everything the certificate page prints, already worded and formatted; the page only lays it out.</summary>
public sealed record CertificateDocument(
    string Number,
    PrintedStatus Status,
    PrintedHolder Holder,
    PrintedStandard Standard,
    PrintedCenter Center,
    PrintedDate Issued,
    PrintedDate Expires,
    CertificateWatermark? Watermark,
    PrintedIssuer Issuer,
    string QrPayload,
    string VerificationAddress)
{
    /// <summary>Bump when the page's layout or wording changes, so cached PDFs are rendered again.</summary>
    public const int TemplateVersion = 2;

    public const string NoExpiryFa = "بدون تاریخ انقضا";
    public const string NoExpiryEn = "Does not expire";

    /// <summary>Builds the document from plain values (the endpoint maps its certificate read model to <see cref="CertificateFacts"/>).</summary>
    public static CertificateDocument Compose(CertificateFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var (countryFa, countryEn) = CountryNames(facts.CenterCountryCode);
        return new CertificateDocument(
            facts.Number.Trim(),
            facts.Status,
            new PrintedHolder(
                JoinName(facts.GivenNameFa, facts.FamilyNameFa),
                JoinName(facts.GivenNameLatin, facts.FamilyNameLatin)),
            new PrintedStandard(
                facts.StandardCode, facts.StandardVersion, facts.StandardTitleFa, facts.StandardTitleEn, facts.IscoCode,
                facts.TheoryHours, facts.PracticalHours),
            new PrintedCenter(
                facts.CenterNameFa, facts.CenterNameEn,
                Place(facts.ProvinceNameFa, countryFa, "، "), Place(facts.ProvinceNameEn, countryEn, ", ")),
            PrintedDate.Of(facts.IssuedOn),
            facts.ExpiresOn is { } expires ? PrintedDate.Of(expires) : new PrintedDate(NoExpiryEn, NoExpiryFa),
            CertificateWatermark.For(facts.Status),
            new PrintedIssuer(facts.IssuerNameFa, facts.IssuerNameEn),
            facts.QrPayload,
            WithoutFragment(facts.QrPayload));
    }

    private static string JoinName(string given, string family) => $"{given.Trim()} {family.Trim()}".Trim();

    private static string Place(string? province, string country, string separator) =>
        string.IsNullOrWhiteSpace(province) ? country : province.Trim() + separator + country;

    private static (string Fa, string En) CountryNames(string code)
    {
        var normalized = code.Trim().ToUpperInvariant();
        if (normalized == "IR") return ("ایران", "Iran");
        try
        {
            var english = new RegionInfo(normalized).EnglishName;
            return (english, english);
        }
        catch (ArgumentException)
        {
            return (normalized, normalized);
        }
    }

    private static string WithoutFragment(string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? url : url[..hash];
    }
}

/// <summary>
/// The plain values a certificate is printed from. Names as printed on the certificate; province names as in the
/// <c>provinces</c> table (null for a foreign center); the country as an ISO 3166-1 alpha-2 code.
/// </summary>
public sealed record CertificateFacts
{
    public required string Number { get; init; }
    public required PrintedStatus Status { get; init; }
    public required string GivenNameFa { get; init; }
    public required string FamilyNameFa { get; init; }
    public required string GivenNameLatin { get; init; }
    public required string FamilyNameLatin { get; init; }
    public required string StandardCode { get; init; }
    public required int StandardVersion { get; init; }
    public required string StandardTitleFa { get; init; }
    public required string StandardTitleEn { get; init; }
    public required string IscoCode { get; init; }
    public required int TheoryHours { get; init; }
    public required int PracticalHours { get; init; }
    public required string CenterNameFa { get; init; }
    public required string CenterNameEn { get; init; }
    public string? ProvinceNameFa { get; init; }
    public string? ProvinceNameEn { get; init; }
    public required string CenterCountryCode { get; init; }
    public required DateOnly IssuedOn { get; init; }
    public DateOnly? ExpiresOn { get; init; }
    public required string IssuerNameFa { get; init; }
    public required string IssuerNameEn { get; init; }

    /// <summary>The verification URL the QR code carries (token in the fragment).</summary>
    public required string QrPayload { get; init; }
}

public sealed record PrintedHolder(string NameFa, string NameLatin);

public sealed record PrintedStandard(
    string Code, int Version, string TitleFa, string TitleEn, string IscoCode, int TheoryHours, int PracticalHours)
{
    public int TotalHours => TheoryHours + PracticalHours;
}

/// <summary>A training center with its place ("اصفهان، ایران" / "Isfahan, Iran").</summary>
public sealed record PrintedCenter(string NameFa, string NameEn, string PlaceFa, string PlaceEn);

/// <summary>
/// A date in both calendars: Gregorian as yyyy-MM-dd and Solar Hijri as yyyy/MM/dd in Persian digits
/// (2025-04-13 → ۱۴۰۴/۰۱/۲۴, as the public verification page prints it). For "no expiry" both hold the words instead.
/// </summary>
public sealed record PrintedDate(string Gregorian, string SolarHijri)
{
    public static PrintedDate Of(DateOnly date) =>
        new(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), PersianDigits.Of(RegistryCalendar.SolarHijri(date)));
}

public sealed record CertificateWatermark(string En, string Fa)
{
    public static readonly CertificateWatermark Revoked = new("REVOKED", "باطل شده");
    public static readonly CertificateWatermark Superseded = new("SUPERSEDED", "جایگزین شده");

    /// <summary>"REVOKED — باطل شده".</summary>
    public string Text => $"{En} — {Fa}";

    public static CertificateWatermark? For(PrintedStatus status) => status switch
    {
        PrintedStatus.Revoked => Revoked,
        PrintedStatus.Superseded => Superseded,
        _ => null,
    };
}

public sealed record PrintedIssuer(string NameFa, string NameEn);

public static class PersianDigits
{
    /// <summary>Replaces ASCII digits with Persian (Extended Arabic-Indic) digits: "1404/01/24" → "۱۴۰۴/۰۱/۲۴".</summary>
    public static string Of(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
            span[i] = source[i] is >= '0' and <= '9' ? (char)('۰' + (source[i] - '0')) : source[i];
    });

    public static string Of(int number) => Of(number.ToString(CultureInfo.InvariantCulture));
}
