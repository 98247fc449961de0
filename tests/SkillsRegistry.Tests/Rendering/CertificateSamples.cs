using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

internal static class CertificateSamples
{
    public const string PersianName = "زهرا کریمی\u200Cنژاد";
    public const string LatinName = "Zahra Karimi-Nezhad";
    public const string StandardTitleFa = "بافنده فرش دستباف";
    public const string QrPayload = "http://localhost:5080/verify/1405-10-0000123-K#t=header.payload.sig";

    /// <summary>A holder whose full names (given + family, as printed) are 60 characters in Persian and in Latin.</summary>
    public static readonly (string GivenFa, string FamilyFa, string GivenLatin, string FamilyLatin) LongNames =
        ("سیده فاطمه\u200Cزهرا", "میرحسینی\u200Cنژاد خراسانی\u200Cپور اصفهانی\u200Cزاده کاشان", "Seyyedeh Fatemeh-Zahra", "Mirhosseini-Nezhad Khorasanipour Yazd");

    public static CertificateFacts Facts(PrintedStatus status = PrintedStatus.Valid, DateOnly? expiresOn = null) => new()
    {
        Number = "1405-10-0000123-K",
        Status = status,
        GivenNameFa = "زهرا",
        FamilyNameFa = "کریمی\u200Cنژاد",
        GivenNameLatin = "Zahra",
        FamilyNameLatin = "Karimi-Nezhad",
        StandardCode = "7318-12-001",
        StandardVersion = 2,
        StandardTitleFa = StandardTitleFa,
        StandardTitleEn = "Hand-knotted carpet weaver",
        IscoCode = "7318",
        TheoryHours = 60,
        PracticalHours = 240,
        CenterNameFa = "مرکز آموزش فنی و حرفه\u200Cای شماره ۲ کاشان",
        CenterNameEn = "Kashan Technical and Vocational Training Center No. 2",
        ProvinceNameFa = "اصفهان",
        ProvinceNameEn = "Isfahan",
        CenterCountryCode = "IR",
        IssuedOn = new DateOnly(2025, 4, 13),
        ExpiresOn = expiresOn,
        IssuerNameFa = "سامانه ملی ثبت گواهینامه\u200Cهای مهارت",
        IssuerNameEn = "National Skills Registry",
        QrPayload = QrPayload,
    };

    public static CertificateDocument Document(PrintedStatus status = PrintedStatus.Valid, DateOnly? expiresOn = null) =>
        CertificateDocument.Compose(Facts(status, expiresOn));

    public static CertificateHtml Html() =>
        new(new ServiceCollection().AddLogging().BuildServiceProvider(), NullLoggerFactory.Instance);

    public static PdfRenderer Renderer(int pages = 2, int queueLimit = 16, string chromium = "/usr/bin/chromium", TimeSpan? timeout = null) =>
        new(Options.Create(new PdfOptions { ChromiumPath = chromium, Pages = pages, QueueLimit = queueLimit, Timeout = timeout ?? new PdfOptions().Timeout }),
            NullLogger<PdfRenderer>.Instance);
}
