using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>
/// HTML → PDF with the system Chromium driven by Playwright. One browser per process, started on first use and
/// started again if it dies; a small pool of reused pages; a bounded queue in front of the pool so a burst of
/// requests is refused quickly (<see cref="PdfUnavailable"/>, answer 503) instead of piling up.
/// </summary>
public sealed class PdfRenderer : IAsyncDisposable
{
    /// <summary>How Chromium is started (internal so the benchmark can measure the engine alone with the same flags).</summary>
    internal static readonly string[] LaunchArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>How a certificate is printed: A4 landscape, backgrounds, the page's CSS page size.</summary>
    internal static PagePdfOptions PrintOptions() => new() { Format = "A4", Landscape = true, PrintBackground = true, PreferCSSPageSize = true };

    private readonly PdfOptions _options;
    private readonly ILogger<PdfRenderer> _logger;
    private readonly RegistryMetrics? _metrics;
    private readonly SemaphoreSlim _pages;
    private readonly SemaphoreSlim _launch = new(1, 1);
    private readonly ConcurrentBag<PooledPage> _idle = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private int _waiting;
    private int _launches;
    private int _pagesOpened;
    private int _renders;
    private int _documentsLoaded;
    private bool _disposed;

    private sealed record PooledPage(IBrowser Browser, IPage Page)
    {
        /// <summary>The <see cref="HtmlDocumentParts.Shell"/> of the document the page shows, if it can take a new title and body.</summary>
        public string? Shell { get; set; }
    }

    /// <summary>Replaces the title's text and the body's content of the loaded document (same head, same style sheet).</summary>
    private const string ReplaceTitleAndBody = "([title, body]) => { document.title = title; document.body.innerHTML = body; }";

    static PdfRenderer() => Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

    public PdfRenderer(IOptions<PdfOptions> options, ILogger<PdfRenderer> logger, RegistryMetrics? metrics = null)
    {
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        if (_options.Pages < 1) throw new ArgumentOutOfRangeException(nameof(options), "Pdf:Pages must be at least 1.");
        if (_options.QueueLimit < 0) throw new ArgumentOutOfRangeException(nameof(options), "Pdf:QueueLimit must not be negative.");
        _pages = new SemaphoreSlim(_options.Pages, _options.Pages);
    }

    /// <summary>Whether the configured Chromium executable exists (the browser itself starts on the first render).</summary>
    public bool IsAvailable => File.Exists(_options.ChromiumPath);

    /// <summary>How many times a browser was started by this renderer (1 while it stays healthy).</summary>
    internal int BrowserLaunches => Volatile.Read(ref _launches);

    /// <summary>How many browser pages were opened; stays at most <see cref="PdfOptions.Pages"/> per launch while pages are reused.</summary>
    internal int PagesOpened => Volatile.Read(ref _pagesOpened);

    /// <summary>How many documents were loaded whole; the other renders only replaced the title and body of a loaded one.</summary>
    internal int DocumentsLoaded => Volatile.Read(ref _documentsLoaded);

    /// <summary>How many PDFs this renderer printed.</summary>
    internal int Renders => Volatile.Read(ref _renders);

    internal IBrowser? CurrentBrowser => _browser;

    /// <summary>Prints a complete HTML document (A4 landscape, backgrounds, the page's CSS page size) to PDF bytes.</summary>
    /// <remarks>Refused (<see cref="PdfUnavailable"/>) without Chromium, with too many renders waiting, on a timeout or a browser failure.</remarks>
    public async Task<Outcome<byte[]>> RenderAsync(string html, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsAvailable)
        {
            _metrics?.PdfServed(RegistryMetrics.PdfResult.Failed);
            return PdfUnavailable.Because(
                $"Chromium was not found at {_options.ChromiumPath}. Install it: apt-get install -y chromium fonts-noto-core, or set Pdf:ChromiumPath.");
        }

        using var span = RegistryActivities.Source.StartActivity("pdf render");
        var waitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        if (await EnterAsync(cancellationToken) is { } busy)
        {
            _metrics?.PdfServed(RegistryMetrics.PdfResult.Refused); // busy: the queue was full or no page came free in time
            return busy;
        }
        var waited = System.Diagnostics.Stopwatch.GetElapsedTime(waitStarted);
        _metrics?.PdfPoolWaited(waited);
        span?.SetTag("registry.pdf.pool_wait_ms", waited.TotalMilliseconds);
        try
        {
            var pdf = await RenderOnPooledPageAsync(html, cancellationToken);
            _metrics?.PdfServed(pdf.Succeeded ? RegistryMetrics.PdfResult.Rendered : RegistryMetrics.PdfResult.Failed);
            if (!pdf.Succeeded) span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "unavailable");
            return pdf;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics?.PdfServed(RegistryMetrics.PdfResult.Failed);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            _pages.Release();
        }
    }

    /// <summary>Takes a page slot at once, or waits in a queue of at most <see cref="PdfOptions.QueueLimit"/> renders; null once it holds one.</summary>
    private async Task<Rejection?> EnterAsync(CancellationToken cancellationToken)
    {
        if (_pages.Wait(0, CancellationToken.None)) return null;
        if (Interlocked.Increment(ref _waiting) > _options.QueueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            return PdfUnavailable.Because(
                $"The PDF renderer is busy: {_options.Pages} page(s) rendering and {_options.QueueLimit} waiting. Try again shortly.");
        }

        try
        {
            return await _pages.WaitAsync(_options.Timeout, cancellationToken)
                ? null
                : PdfUnavailable.Because($"No PDF page became free within {_options.Timeout.TotalSeconds:0} s. Try again shortly.");
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task<Outcome<byte[]>> RenderOnPooledPageAsync(string html, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var rented = await RentPageAsync(cancellationToken);
            if (rented.Rejection is { } refused) return refused;
            var pooled = rented.Value;
            try
            {
                await ShowAsync(pooled, html);
                var pdf = await pooled.Page.PdfAsync(PrintOptions());
                _idle.Add(pooled);
                Interlocked.Increment(ref _renders);
                return pdf;
            }
            catch (Exception ex)
            {
                // A page in an unknown state never goes back to the pool.
                await DiscardAsync(pooled);
                // Playwright reports its timeouts as System.TimeoutException, not as a PlaywrightException.
                if (ex is TimeoutException)
                    return Failed(ex, $"The PDF renderer failed: the page did not render within {_options.Timeout.TotalSeconds:0.#} s.");
                if (ex is not PlaywrightException) throw;
                // A browser that died under us is started again once; any other failure is reported.
                if (attempt == 1 && !pooled.Browser.IsConnected)
                {
                    _logger.LogWarning(ex, "Chromium disconnected during a PDF render; starting it again");
                    continue;
                }

                return Failed(ex, "The PDF renderer failed: " + ex.Message);
            }
        }
    }

    /// <summary>A browser failure: logged with its cause, answered as unavailable.</summary>
    private Rejection Failed(Exception cause, string detail)
    {
        _logger.LogWarning(cause, "PDF rendering refused: {Detail}", detail);
        return PdfUnavailable.Because(detail);
    }

    /// <summary>
    /// Puts <paramref name="html"/> on the page: when the page already shows a document with the same head (every certificate
    /// has the same style sheet), only the title and the body are replaced, which spares Chromium a new document and its
    /// style sheet (measured: about 10% more certificates a second, see tests/bench/RESULTS.md); otherwise it is loaded whole.
    /// </summary>
    private async Task ShowAsync(PooledPage pooled, string html)
    {
        var parts = HtmlDocumentParts.Split(html);
        if (parts is { } same && same.Shell == pooled.Shell)
        {
            await pooled.Page.EvaluateAsync(ReplaceTitleAndBody, new[] { same.Title, same.Body });
            return;
        }

        pooled.Shell = null;
        // The page has no external resources and no web fonts (system fonts only), so it is complete at "load":
        // waiting for document.fonts.ready as well would only add a round trip to the browser.
        await pooled.Page.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
        Interlocked.Increment(ref _documentsLoaded);
        pooled.Shell = parts?.Shell;
    }

    private async Task<Outcome<PooledPage>> RentPageAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.Browser == _browser && idle.Browser.IsConnected && !idle.Page.IsClosed) return idle;
            await DiscardAsync(idle);
        }

        var (browser, refused) = await BrowserAsync(cancellationToken);
        if (refused is not null) return refused;
        try
        {
            var page = await browser!.NewPageAsync();
            page.SetDefaultTimeout((float)_options.Timeout.TotalMilliseconds);
            Interlocked.Increment(ref _pagesOpened);
            return new PooledPage(browser, page);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            return Failed(ex, "Chromium could not open a page: " + ex.Message);
        }
    }

    /// <summary>The running browser, started if need be; a refusal when it cannot be started.</summary>
    private async Task<(IBrowser? Browser, Rejection? Refused)> BrowserAsync(CancellationToken cancellationToken)
    {
        if (_browser is { IsConnected: true } running) return (running, null);
        await _launch.WaitAsync(cancellationToken);
        try
        {
            if (_browser is { IsConnected: true } started) return (started, null);
            if (_browser is not null)
            {
                _logger.LogWarning("Chromium is no longer connected; starting it again");
                await CloseQuietlyAsync(_browser);
                _browser = null;
            }

            try
            {
                _playwright ??= await Playwright.CreateAsync();
                var browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = _options.ChromiumPath,
                    Headless = true,
                    Args = LaunchArgs,
                    Timeout = (float)_options.Timeout.TotalMilliseconds,
                });
                browser.Disconnected += (_, _) => _logger.LogWarning("Chromium disconnected");
                Interlocked.Increment(ref _launches);
                _logger.LogInformation("Chromium {Version} started from {Path}", browser.Version, _options.ChromiumPath);
                return (_browser = browser, null);
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException or IOException or InvalidOperationException)
            {
                // The driver (node) may be the broken part: start it afresh next time.
                _playwright?.Dispose();
                _playwright = null;
                return (null, Failed(ex, $"Chromium could not be started from {_options.ChromiumPath}: {ex.Message}"));
            }
        }
        finally
        {
            _launch.Release();
        }
    }

    private static async Task DiscardAsync(PooledPage pooled)
    {
        try
        {
            if (pooled.Browser.IsConnected && !pooled.Page.IsClosed) await pooled.Page.Context.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // The page or its browser is already gone.
        }
    }

    private static async Task CloseQuietlyAsync(IBrowser browser)
    {
        try
        {
            await browser.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        while (_idle.TryTake(out var idle)) await DiscardAsync(idle);
        if (_browser is not null) await CloseQuietlyAsync(_browser);
        _playwright?.Dispose();
        _pages.Dispose();
        _launch.Dispose();
    }
}
