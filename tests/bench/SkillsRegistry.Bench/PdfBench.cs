using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Bench;

/// <summary>
/// Certificates per second from the service's warm page pool (HtmlRenderer + reused Chromium pages) against the
/// obvious alternative measured in the same run: `chromium --headless --print-to-pdf`, one process per certificate,
/// on the same HTML.
/// </summary>
public static class PdfBench
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task RunAsync(int certificates, int baselineCertificates)
    {
        if (!File.Exists(Chromium)) { Console.WriteLine($"(pdf skipped: {Chromium} not found)"); return; }
        var documents = Enumerable.Range(1, certificates).Select(Document).ToList();
        await using var html = new CertificateHtml(new ServiceCollection().AddLogging().BuildServiceProvider(), NullLoggerFactory.Instance);
        await using var renderer = new PdfRenderer(Options.Create(new PdfOptions { ChromiumPath = Chromium, Pages = 2, QueueLimit = 64 }),
            NullLogger<PdfRenderer>.Instance);
        var pages = new List<string>(documents.Count);
        foreach (var document in documents) pages.Add(await html.RenderAsync(document));
        await renderer.RenderAsync(pages[0]); // warm: browser and pages started

        var pooled = new List<double>(documents.Count);
        var total = Stopwatch.StartNew();
        foreach (var document in documents)
        {
            var one = Stopwatch.StartNew();
            await renderer.RenderAsync(await html.RenderAsync(document));
            pooled.Add(one.Elapsed.TotalMilliseconds);
        }
        var pooledRate = documents.Count / total.Elapsed.TotalSeconds;

        var directory = Directory.CreateTempSubdirectory("sr-pdf-bench-").FullName;
        var perProcess = new List<double>(baselineCertificates);
        var baseline = Stopwatch.StartNew();
        for (var i = 0; i < baselineCertificates; i++)
        {
            var htmlPath = Path.Combine(directory, $"c{i}.html");
            await File.WriteAllTextAsync(htmlPath, pages[i % pages.Count]);
            var one = Stopwatch.StartNew();
            await RunChromiumAsync(htmlPath, Path.Combine(directory, $"c{i}.pdf"), Path.Combine(directory, $"profile{i}"));
            perProcess.Add(one.Elapsed.TotalMilliseconds);
        }
        var baselineRate = baselineCertificates / baseline.Elapsed.TotalSeconds;
        try { Directory.Delete(directory, true); } catch (IOException) { }

        Report.Table($"pdf — {certificates} certificates from the warm pool, baseline {baselineCertificates} × one Chromium process", "no database",
            ["path", "certificates", "certificates/s", "p50 per certificate", "p95 per certificate", "ratio to baseline"],
            [
                ["chromium --headless --print-to-pdf, one process each (baseline)", Report.N(baselineCertificates), Report.N(baselineRate, "0.00"),
                    Report.Ms(Percentile(perProcess, 0.50)), Report.Ms(Percentile(perProcess, 0.95)), "1.00×"],
                ["HtmlRenderer + Playwright page pool (2 reused pages)", Report.N(certificates), Report.N(pooledRate, "0.00"),
                    Report.Ms(Percentile(pooled, 0.50)), Report.Ms(Percentile(pooled, 0.95)), Report.Ratio(pooledRate, baselineRate)],
            ],
            "Both print the same HTML (the pooled path also renders the Razor component each time). Sequential, one certificate at a time.");
    }

    private static async Task RunChromiumAsync(string html, string pdf, string profile)
    {
        var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--no-pdf-header-footer", $"--user-data-dir={profile}", $"--print-to-pdf={pdf}", "file://" + html })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        await drain;
        if (!File.Exists(pdf)) throw new InvalidOperationException($"chromium --print-to-pdf produced no file (exit {process.ExitCode})");
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static CertificateDocument Document(int i) => CertificateDocument.Compose(new CertificateFacts
    {
        Number = $"1405-10-{i:0000000}-K",
        Status = i % 10 == 0 ? PrintedStatus.Revoked : PrintedStatus.Valid,
        GivenNameFa = "زهرا", FamilyNameFa = "کریمی\u200Cنژاد", GivenNameLatin = "Zahra", FamilyNameLatin = "Karimi-Nezhad",
        StandardCode = "7318-12-001", StandardVersion = 1, StandardTitleFa = "بافنده فرش دستباف", StandardTitleEn = "Hand-woven carpet weaver",
        IscoCode = "7318", TheoryHours = 60, PracticalHours = 340,
        CenterNameFa = "مرکز آموزش فنی و حرفه\u200Cای شماره ۱ اهواز", CenterNameEn = "Ahvaz Technical and Vocational Training Center No. 1",
        ProvinceNameFa = "خوزستان", ProvinceNameEn = "Khuzestan", CenterCountryCode = "IR",
        IssuedOn = new DateOnly(2026, 11, 22), ExpiresOn = new DateOnly(2029, 11, 22),
        IssuerNameFa = "سامانه ملی ثبت گواهینامه\u200Cهای مهارت", IssuerNameEn = "National Skills Registry",
        QrPayload = $"http://localhost:5080/verify/1405-10-{i:0000000}-K#t=eyJhbGciOiJFUzI1NiJ9.eyJudW0iOiIxNDA1In0.{new string('A', 86)}",
    });
}
