using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SkillsRegistry.Reliability.Processes;
using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Bench;

/// <summary>
/// Certificates per second from the service's PDF path (<see cref="CertificatePdfs"/>: Razor component → HTML → the warm
/// page pool → PDF, with the rendered-PDF cache) against the obvious alternative measured in the same run:
/// `chromium --headless --print-to-pdf`, one process per certificate, on the same HTML, at the same concurrency. Also the
/// engine's own limit (raw page.pdf() of already loaded HTML on reused pages, nothing else), so the table shows how close
/// the pool gets, and a repeat download (a cache hit) against a render.
/// </summary>
public static class PdfBench
{
    private const string Chromium = "/usr/bin/chromium";

    private sealed record Run(string Path, int Concurrency, int Certificates, double Rate, List<double> Latencies);

    public static async Task RunAsync(int certificates, int baselineCertificates, int? pagesOption, int? concurrencyOption)
    {
        if (!File.Exists(Chromium)) { Console.WriteLine($"(pdf skipped: {Chromium} not found)"); return; }
        var pages = pagesOption ?? new PdfOptions().Pages;
        var concurrency = concurrencyOption ?? pages;
        var facts = Enumerable.Range(1, certificates).Select(Facts).ToList();
        await using var html = new CertificateHtml(new ServiceCollection().AddLogging().BuildServiceProvider(), NullLoggerFactory.Instance);
        var options = Options.Create(new PdfOptions { ChromiumPath = Chromium, Pages = pages, QueueLimit = Math.Max(64, concurrency) });
        var htmls = new List<string>(facts.Count);
        foreach (var f in facts) htmls.Add(await html.RenderAsync(CertificateDocument.Compose(f)));
        var runs = new List<Run>();

        // The service's path. A fresh cache per run so every certificate is rendered (the ids are new each run).
        await using (var renderer = new PdfRenderer(options, NullLogger<PdfRenderer>.Instance))
        {
            using var cache = new RenderedPdfCache(options);
            var pdfs = new CertificatePdfs(html, renderer, cache);
            // Warm: browser started and every page of the pool opened (the service's steady state).
            await Task.WhenAll(Enumerable.Range(0, pages).Select(i => pdfs.GetAsync(Guid.NewGuid(), facts[i % facts.Count])));
            runs.Add(await MeasureAsync($"service: HtmlRenderer + page pool ({pages} pages), 1 at a time", 1, certificates,
                i => pdfs.GetAsync(Guid.NewGuid(), facts[i])));
            runs.Add(await MeasureAsync($"service: HtmlRenderer + page pool ({pages} pages), {concurrency} at a time", concurrency, certificates,
                i => pdfs.GetAsync(Guid.NewGuid(), facts[i])));
            // Repeat downloads: the same certificates asked again with the same facts (equal values, new objects, as per request).
            var ids = Enumerable.Range(0, certificates).Select(_ => Guid.NewGuid()).ToList();
            for (var i = 0; i < certificates; i++) await pdfs.GetAsync(ids[i], facts[i]);
            var repeats = certificates * 20;
            runs.Add(await MeasureAsync($"service: repeat download (rendered-PDF cache hit), {concurrency} at a time", concurrency, repeats,
                i => pdfs.GetAsync(ids[i % certificates], facts[i % certificates] with { })));
            if (renderer.Renders != pages + 3 * certificates)
                throw new InvalidOperationException($"Expected {pages + 3 * certificates} renders, the renderer made {renderer.Renders}: the measurement is wrong.");
        }

        var engineRuns = await EngineLimitAsync(htmls, pages, concurrency, certificates);
        runs.AddRange(engineRuns);
        var http = await OverHttpAsync(certificates, pages);
        runs.AddRange(http);

        var directory = Directory.CreateTempSubdirectory("sr-pdf-bench-").FullName;
        try
        {
            for (var i = 0; i < baselineCertificates; i++) await File.WriteAllTextAsync(Path.Combine(directory, $"c{i}.html"), htmls[i % htmls.Count]);
            Func<int, Task> Print(string run) => i => RunChromiumAsync(Path.Combine(directory, $"c{i}.html"),
                Path.Combine(directory, $"{run}-{i}.pdf"), Path.Combine(directory, $"{run}-profile{i}"));
            runs.Add(await MeasureAsync("chromium --headless --print-to-pdf, one process per certificate, 1 at a time", 1, baselineCertificates, Print("one")));
            runs.Add(await MeasureAsync($"chromium --headless --print-to-pdf, one process per certificate, {concurrency} at a time (baseline)",
                concurrency, baselineCertificates, Print("many")));
        }
        finally
        {
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }

        var baseline = runs[^1];
        var pooled = runs[1];
        var engine = engineRuns[1];
        var repeat = runs[2];
        Report.Table($"pdf — {certificates} certificates per run, pool of {pages} pages, {concurrency} requests at a time; baseline {baselineCertificates} × one Chromium process",
            "no database",
            ["path", "at a time", "certificates", "certificates/s", "p50", "p95", "ratio to baseline"],
            runs.Select(r => (IReadOnlyList<string>)
            [
                r.Path, Report.N(r.Concurrency), Report.N(r.Certificates), Report.N(r.Rate, "0.00"),
                Report.Ms(Percentile(r.Latencies, 0.50)), Report.Ms(Percentile(r.Latencies, 0.95)), Report.Ratio(r.Rate, baseline.Rate),
            ]),
            $"The service's path renders the Razor component for every certificate; the engine rows print already loaded HTML only. " +
            $"Pool at {concurrency} at a time: {pooled.Rate / engine.Rate:P0} of the engine's own rate at the same concurrency. " +
            $"Repeat download p50 {Percentile(repeat.Latencies, 0.5) * 1000:0.0} µs vs render p50 {Report.Ms(Percentile(pooled.Latencies, 0.5))}: " +
            $"{Percentile(pooled.Latencies, 0.5) / Percentile(repeat.Latencies, 0.5):N0}× faster in process (cache look-up with the facts compared). " +
            $"Through the endpoint (HTTP, SQLite, the service as a child process with its default Pdf settings): repeat download p50 " +
            $"{Report.Ms(Percentile(http[1].Latencies, 0.5))} vs first download p50 {Report.Ms(Percentile(http[0].Latencies, 0.5))}: " +
            $"{Percentile(http[0].Latencies, 0.5) / Percentile(http[1].Latencies, 0.5):N0}× faster (both include the database read and composing the facts); " +
            $"the same request answered as JSON without any PDF takes {Report.Ms(Percentile(http[2].Latencies, 0.5))}, the floor a repeat download stands on.");
    }

    /// <summary>
    /// GET /api/v1/certificates/{id}/pdf on the service (child process, SQLite, default Pdf settings): every certificate
    /// downloaded once (a render each), then again several times (the cache), one request at a time.
    /// </summary>
    private static async Task<List<Run>> OverHttpAsync(int certificates, int pages)
    {
        await using var database = await BenchDatabase.CreateAsync("Sqlite");
        var generated = Enumerable.Range(0, certificates + pages).Select(i => new GeneratedResult(i, $"PDF-{i:D8}", BenchDatabase.NationalIdFor(i), 80, 75)).ToList();
        await DirectRows.InsertBatchAsync(database.Db, database.CenterId, database.StandardId, generated, 1);
        var ids = (await database.Db.ReadAsync(s => s.QueryAsync<Guid>("SELECT id FROM certificates ORDER BY number"))).ToList();
        var key = await database.CreateCenterKeyAsync();
        await database.ReleaseConnectionsAsync();
        await using var service = await ServiceProcess.StartAsync(database.ServiceSettings());
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        async Task Download(Guid id)
        {
            using var response = await client.GetAsync($"/api/v1/certificates/{id}/pdf");
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode || body.Length < 1000)
                throw new InvalidOperationException($"PDF download of {id} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        async Task Read(Guid id)
        {
            using var response = await client.GetAsync($"/api/v1/certificates/{id}");
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET certificate {id} answered {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        }

        // Warm: the browser started and the pool's pages opened, on certificates not measured afterwards.
        await Task.WhenAll(ids.Take(pages).Select(Download));
        var measured = ids.Skip(pages).ToList();
        const int repeats = 5;
        return
        [
            await MeasureAsync("endpoint over HTTP: first download (a render), 1 at a time", 1, measured.Count, i => Download(measured[i])),
            await MeasureAsync($"endpoint over HTTP: repeat download (cache hit), 1 at a time", 1, measured.Count * repeats,
                i => Download(measured[i % measured.Count])),
            // The floor under a repeat download: the same key check and certificate read, answered as JSON (no PDF at all).
            await MeasureAsync("endpoint over HTTP: the certificate as JSON (same key check and read, no PDF), 1 at a time", 1, measured.Count * repeats,
                i => Read(measured[i % measured.Count])),
        ];
    }

    /// <summary>
    /// The engine alone: Playwright's page.pdf() with the service's launch flags and print options on reused pages whose
    /// HTML is already loaded (no component rendering, no SetContent, no pool bookkeeping): the most Chromium gives here.
    /// </summary>
    private static async Task<List<Run>> EngineLimitAsync(List<string> htmls, int pages, int concurrency, int certificates)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = PdfRenderer.LaunchArgs,
        });
        var loaded = new ConcurrentBag<IPage>();
        for (var i = 0; i < Math.Max(pages, concurrency); i++)
        {
            var page = await browser.NewPageAsync();
            await page.SetContentAsync(htmls[i % htmls.Count], new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
            await page.PdfAsync(PdfRenderer.PrintOptions());
            loaded.Add(page);
        }

        async Task PrintOnAFreePage(int _)
        {
            if (!loaded.TryTake(out var page)) throw new InvalidOperationException("More workers than loaded pages.");
            try { await page.PdfAsync(PdfRenderer.PrintOptions()); }
            finally { loaded.Add(page); }
        }

        return
        [
            await MeasureAsync("engine limit: raw page.pdf() of loaded HTML on a reused page, 1 at a time", 1, certificates, PrintOnAFreePage),
            await MeasureAsync($"engine limit: raw page.pdf() of loaded HTML on {Math.Max(pages, concurrency)} reused pages, {concurrency} at a time",
                concurrency, certificates, PrintOnAFreePage),
        ];
    }

    /// <summary><paramref name="count"/> operations by <paramref name="workers"/> workers, each starting the next as soon as its last one ends.</summary>
    private static async Task<Run> MeasureAsync(string path, int workers, int count, Func<int, Task> operation)
    {
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var one = Stopwatch.StartNew();
                await operation(i);
                latencies.Add(one.Elapsed.TotalMilliseconds);
            }
        })));
        return new Run(path, workers, count, count / total.Elapsed.TotalSeconds, latencies.ToList());
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

    private static CertificateFacts Facts(int i) => new()
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
    };
}
