using System.Net;
using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>The page pool renders as many certificates at once as it has pages, proven by a signal rather than by timing.</summary>
public sealed class PdfPoolConcurrencyTests
{
    [ChromiumFact]
    public async Task Four_renders_requested_together_on_a_pool_of_four_pages_are_all_on_a_page_at_the_same_time()
    {
        const int pages = 4;
        // Each page's HTML loads an image from this server, which answers nobody until four requests wait at once:
        // a pool that ran fewer renders at a time would never get there and its renders would time out.
        await using var gate = Gate.Start(openAt: pages);
        await using var renderer = CertificateSamples.Renderer(pages: pages, queueLimit: 0);

        var pdfs = await Task.WhenAll(Enumerable.Range(0, pages).Select(i => renderer.RenderAsync(PageLoading(gate.Url + "?render=" + i))))
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(pages, gate.MostWaitingAtOnce);
        Assert.Equal(pages, renderer.PagesOpened);
        Assert.All(pdfs, pdf => Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal));

        // The next burst reuses the same pages: none is opened beyond the pool's size.
        var page = await CertificateSamples.Html().RenderAsync(CertificateSamples.Document());
        await Task.WhenAll(Enumerable.Range(0, pages).Select(_ => renderer.RenderAsync(page))).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(pages, renderer.PagesOpened);
        Assert.Equal(1, renderer.BrowserLaunches);
    }

    private static string PageLoading(string image) =>
        $"<!DOCTYPE html><html><body><p>certificate</p><img src=\"{image}\" width=\"1\" height=\"1\"></body></html>";

    /// <summary>A loopback HTTP server that holds every request until <c>openAt</c> of them are waiting together, then answers all.</summary>
    private sealed class Gate : IAsyncDisposable
    {
        private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
        private readonly HttpListener listener = new();
        private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int openAt;
        private readonly Task loop;
        private int waiting;
        private int most;

        private Gate(int openAt, int port)
        {
            this.openAt = openAt;
            Url = $"http://127.0.0.1:{port}/hold.gif";
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            loop = Task.Run(AcceptAsync);
        }

        public string Url { get; }
        public int MostWaitingAtOnce => Volatile.Read(ref most);

        public static Gate Start(int openAt)
        {
            using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new Gate(openAt, port);
        }

        private async Task AcceptAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                _ = Task.Run(() => HoldAsync(context));
            }
        }

        private async Task HoldAsync(HttpListenerContext context)
        {
            var now = Interlocked.Increment(ref waiting);
            int seen;
            while ((seen = Volatile.Read(ref most)) < now && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
            if (now >= openAt) open.TrySetResult();
            await open.Task;
            Interlocked.Decrement(ref waiting);
            context.Response.ContentType = "image/gif";
            await context.Response.OutputStream.WriteAsync(Gif);
            context.Response.Close();
        }

        public async ValueTask DisposeAsync()
        {
            open.TrySetResult();
            listener.Stop();
            listener.Close();
            await loop;
        }
    }
}
