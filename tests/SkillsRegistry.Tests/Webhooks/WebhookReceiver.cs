using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SkillsRegistry.Tests.Webhooks;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 (Kestrel, port chosen by the OS) that records every webhook request and answers
/// with whatever status <c>respond</c> returns for the n-th request (1-based).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed class Received(string id, string timestamp, string signature, string body, IHeaderDictionary headers)
    {
        /// <summary>Every request header as received, for a Standard Webhooks library to verify.</summary>
        public IHeaderDictionary Headers { get; } = headers;
        public string Id { get; } = id;
        public string Timestamp { get; } = timestamp;
        public string Signature { get; } = signature;
        public string Body { get; } = body;
        public int? AnsweredWith { get; set; }
    }

    private readonly WebApplication app;
    private readonly ConcurrentQueue<Received> requests = new();
    private int count;

    private WebhookReceiver(Func<int, CancellationToken, Task<int>> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var headers = new HeaderDictionary();
            foreach (var (name, value) in context.Request.Headers) headers[name] = value;
            var received = new Received(headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(),
                headers["webhook-signature"].ToString(), await reader.ReadToEndAsync(), headers);
            requests.Enqueue(received);
            var status = await respond(Interlocked.Increment(ref count), context.RequestAborted);
            received.AnsweredWith = status;
            return Results.StatusCode(status);
        });
    }

    public string Url { get; private set; } = "";

    public IReadOnlyList<Received> Requests => requests.ToArray();

    public static async Task<WebhookReceiver> StartAsync(Func<int, CancellationToken, Task<int>> respond)
    {
        var receiver = new WebhookReceiver(respond);
        await receiver.app.StartAsync();
        receiver.Url = receiver.app.Urls.First().TrimEnd('/') + "/hook";
        return receiver;
    }

    public static Task<WebhookReceiver> StartAsync(Func<int, int> status) => StartAsync((n, _) => Task.FromResult(status(n)));

    /// <summary>Waits until the recorded requests satisfy <paramref name="condition"/>; fails the test after the timeout.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var seen = Requests;
            if (condition(seen)) return seen;
            if (DateTime.UtcNow > deadline) Assert.Fail($"The receiver never saw {what}; it saw {seen.Count} request(s).");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
