using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Bench;

/// <summary>
/// The service the verification benchmark measures, as a child process of the benchmark (<c>SkillsRegistry.Bench.dll
/// host</c>): built exactly as the service's Program.cs builds it (<c>AddSkillsRegistry</c>, <c>MapSkillsRegistry</c>),
/// plus one route the service itself does not have: the ceiling. The ceiling answers the verification JSON from memory
/// through the same pipeline (routing, rate limiter, the same handler shape, the same JSON serializer) without the
/// database. Its answer is the service's own answer for one certificate of the benchmark's data, asked once at start
/// through <see cref="VerificationService"/> the way wrk asks (number only, no token, no family name); each request
/// then gets that answer with its own number, verdict message and check time. So the ceiling's body has the same fields
/// and the same byte length as the real JSON answer it is compared with. The HTML ceiling does the same for the
/// verification page: the service's own page for that certificate, asked once over HTTP at start, served as bytes.
/// </summary>
public static class CeilingHost
{
    public const string Command = "host";
    public const string Route = "/bench/ceiling/{number}";
    public const string RoutePrefix = "/bench/ceiling/";
    public const string PageRoute = "/bench/ceiling-page/{number}";
    public const string PageRoutePrefix = "/bench/ceiling-page/";
    public const string GcRoute = "/bench/gc";

    /// <summary>Headers of the real page the ceiling does not copy: per response, or set by the server for the body it writes.</summary>
    private static readonly string[] NotCopied = ["Date", "Server", "Content-Length", "Transfer-Encoding", "Content-Type"];

    /// <summary>The setting naming the certificate whose real answer the ceiling repeats.</summary>
    public const string SampleNumberSetting = "Bench:SampleNumber";

    public static async Task<int> RunAsync(string[] args)
    {
        GcFigures.StartListening();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Skip(1).ToArray(),
            ApplicationName = typeof(RegistryHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddSkillsRegistry();
        var app = builder.Build();
        app.MapSkillsRegistry();
        var sample = new TaskCompletionSource<VerificationAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.MapGet(Route, (string number, HttpContext http, TimeProvider clock) => CeilingAsync(number, http, clock, sample.Task))
            .AllowAnonymous().RequireRateLimiting(RateLimiting.PublicPolicy).ExcludeFromDescription();
        var samplePage = new TaskCompletionSource<SamplePage>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.MapGet(PageRoute, (string number, HttpContext http) => PageCeilingAsync(number, http, samplePage.Task))
            .AllowAnonymous().RequireRateLimiting(RateLimiting.PublicPolicy).ExcludeFromDescription();

        app.MapGet(GcRoute, () => TypedResults.Ok(GcFigures.Now())).AllowAnonymous().ExcludeFromDescription();

        await app.StartAsync();
        var number = app.Configuration[SampleNumberSetting]
            ?? throw new InvalidOperationException($"--{SampleNumberSetting} (a certificate number of the benchmark's data) is required.");
        var answer = await app.Services.GetRequiredService<VerificationService>().VerifyAsync(number, null, null, CancellationToken.None);
        if (answer.Status != VerificationStatus.Valid)
            throw new InvalidOperationException($"The ceiling's sample certificate {number} is {answer.Status}, not valid.");
        sample.SetResult(answer);
        samplePage.SetResult(await AskPageAsync(app.Urls.First(), number));
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The service's own verification page for the sample number, asked once over HTTP: its text, content type and own headers.</summary>
    private sealed record SamplePage(string Number, byte[] Body, (int Offset, int Form)[] Spots, string ContentType, (string Name, string Value)[] Headers,
        bool Chunked);

    /// <summary>The forms a number takes in the page: with word joiners after its hyphens (raw or as an entity), and as is.</summary>
    private static string[] Forms(string number) => [number.Replace("-", "-\u2060", StringComparison.Ordinal), number.Replace("-", "-&#x2060;", StringComparison.Ordinal), number];

    private static async Task<SamplePage> AskPageAsync(string address, string number)
    {
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        using var response = await client.GetAsync("/verify/" + number);
        response.EnsureSuccessStatusCode();
        var headers = response.Headers.Concat(response.Content.Headers).Where(h => !NotCopied.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .Select(h => (h.Key, string.Join(", ", h.Value))).ToArray();
        var body = await response.Content.ReadAsByteArrayAsync();
        // Where each form of the sample number sits in the bytes: a request's number (same length) is written over them.
        var spots = new List<(int, int)>();
        var forms = Forms(number);
        for (var form = 0; form < forms.Length; form++)
        {
            var bytes = Encoding.UTF8.GetBytes(forms[form]);
            for (var at = body.AsSpan().IndexOf(bytes); at >= 0;)
            {
                spots.Add((at, form));
                var next = body.AsSpan(at + bytes.Length).IndexOf(bytes);
                at = next < 0 ? -1 : at + bytes.Length + next;
            }
        }
        return new SamplePage(number, body, [.. spots], response.Content.Headers.ContentType!.ToString(), headers,
            response.Headers.TransferEncodingChunked == true);
    }

    /// <summary>
    /// The HTML ceiling: the real page's bytes with the asked number written over the sample's (numbers of the benchmark's
    /// data all have the same length, so the size stays; another length gets the sample's number), the page's headers and content type, chunked or with a length as
    /// the page was. Rendering and the lookup are what it leaves out.
    /// </summary>
    private static async Task PageCeilingAsync(string number, HttpContext http, Task<SamplePage> sample)
    {
        var page = await sample;
        foreach (var (name, value) in page.Headers) http.Response.Headers[name] = value;
        http.Response.ContentType = page.ContentType;
        var body = (byte[])page.Body.Clone();
        if (number.Length == page.Number.Length)
        {
            var forms = Forms(number);
            foreach (var (offset, form) in page.Spots) Encoding.UTF8.GetBytes(forms[form], body.AsSpan(offset));
        }
        if (!page.Chunked) http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body);
    }

    /// <summary>Same shape as the service's VerifyCertificate handler: no-store, then the answer as typed JSON.</summary>
    private static async Task<Ok<VerificationAnswer>> CeilingAsync(string number, HttpContext http, TimeProvider clock, Task<VerificationAnswer> sample)
    {
        http.Response.Headers.CacheControl = "no-store";
        var answer = await sample;
        string VerdictIn(VerificationLanguage l) => l.VerdictMessage(answer.Verdict, answer.Status, number, null);
        return TypedResults.Ok(answer with
        {
            Number = number, VerdictMessage = VerdictIn(VerificationLanguage.Of(answer.Language)), VerdictMessageEn = VerdictIn(VerificationLanguage.English),
            VerdictMessageFa = VerdictIn(VerificationLanguage.Persian), CheckedAt = clock.GetUtcNow(),
        });
    }
}
