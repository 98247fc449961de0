using System.Net;

namespace SkillsRegistry.Tests.Rendering;

/// <summary>A loopback HTTP server that holds every request until <c>openAt</c> of them are waiting together, then answers all.</summary>
internal sealed class HoldingServer : IAsyncDisposable
{
    private static readonly byte[] Gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
    private readonly HttpListener listener = new();
    private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int openAt;
    private readonly Task loop;
    private int waiting;
    private int most;

    private HoldingServer(int openAt, int port)
    {
        this.openAt = openAt;
        Url = $"http://127.0.0.1:{port}/hold.gif";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }
    public int MostWaitingAtOnce => Volatile.Read(ref most);

    public static HoldingServer Start(int openAt)
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new HoldingServer(openAt, port);
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
