using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SkillsRegistry.Api.Infrastructure.Caching;
using SkillsRegistry.Tests.Integrity;
using SkillsRegistry.Tests.Support;
using SkillsRegistry.Tests.Webhooks;

namespace SkillsRegistry.Tests.Operations;

/// <summary>Issue 25: what an operator scrapes, traces and reads in the health report.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private static async Task<RegistryApp> StartAsync(TestDatabase db, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        bool clockFlows = false)
    {
        var app = await RegistryApp.StartAsync(db, settings, clockFlows: clockFlows, testServices: s =>
        {
            ClientAddressFilter.UnnamedFrom(s, IPAddress.Loopback);
            services?.Invoke(s);
        });
        // On PostgreSQL the verification cache answers only while the change listener is connected: wait for that signal.
        var changes = app.Service<RegistryChanges>();
        for (var i = 0; i < 200 && !changes.HeardEverywhere; i++) await Task.Delay(50);
        return app;
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(RegistryApp app)
    {
        var response = await app.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusSample.Parse(await response.Content.ReadAsStringAsync());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Metrics_show_what_a_workload_did(TestDatabase db)
    {
        await using var app = await StartAsync(db, OperationsWorkload.Settings());
        var workload = await OperationsWorkload.RunAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(90)); // the outbox's events were all written at the start; nothing dispatches them

        var metrics = await ScrapeAsync(app);

        Assert.Equal(3, metrics.Value("registry_verifications_total", ("verdict", "genuine")));
        Assert.Equal(1, metrics.Value("registry_verifications_total", ("verdict", "not-found")));
        Assert.Equal(1, metrics.Value("registry_verifications_total", ("verdict", "status-only")));
        // A's first look-up, the unknown number and B read the database; A's second and third came from memory.
        Assert.Equal(3, metrics.Value("registry_verification_cache_misses_total"));
        Assert.Equal(2, metrics.Value("registry_verification_cache_hits_total"));
        Assert.Equal(2, metrics.Value("registry_verification_cache_size"));
        Assert.Equal(3, metrics.Value("registry_ingest_rows_total", ("outcome", "recorded")));
        Assert.Equal(1, metrics.Value("registry_ingest_rows_total", ("outcome", "rejected")));
        Assert.Equal(1, metrics.Value("registry_ingest_rows_total", ("outcome", "already-recorded")));
        Assert.Equal(3, metrics.Value("registry_certificates_issued_total"));
        Assert.Equal(1, metrics.Value("registry_certificates_revoked_total"));
        Assert.Equal(1, metrics.Value("registry_rate_limit_refusals_total", ("budget", "key-batch-rows")));
        Assert.Equal(90, metrics.Value("registry_outbox_oldest_undelivered_age_seconds"), precision: 3); // PostgreSQL keeps microseconds
        if (workload.PdfRendered)
        {
            Assert.Equal(1, metrics.Value("registry_pdf_renders_total", ("result", "rendered")));
            Assert.Equal(1, metrics.Value("registry_pdf_renders_total", ("result", "cached")));
            Assert.Equal(1, metrics.Value("registry_pdf_pool_wait_seconds_count"));
        }
        // The framework's meters are beside the registry's.
        Assert.True(metrics.Has("http_server_request_duration_seconds_count"));
        Assert.True(metrics.Has("dotnet_gc_collections_total"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_frameworks_extra_per_request_instruments_are_left_out_unless_asked_for(TestDatabase db)
    {
        foreach (var asked in new[] { false, true })
        {
            var settings = new Dictionary<string, string?> { ["Telemetry:PerRequestFrameworkMetrics"] = asked ? "true" : "false" };
            await using var app = await StartAsync(db, settings);
            using var _ = await app.CreateClient().GetAsync("/api/v1/reference/provinces");

            var metrics = await ScrapeAsync(app);

            Assert.True(metrics.Has("http_server_request_duration_seconds_count"));
            Assert.Equal(asked, metrics.Any(m => m.Name.StartsWith("http_server_active_requests", StringComparison.Ordinal)));
            Assert.Equal(asked, metrics.Any(m => m.Name.StartsWith("aspnetcore_routing_match_attempts", StringComparison.Ordinal)));
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_review_that_raises_integrity_signals_counts_them_by_kind(TestDatabase db)
    {
        await using var app = await StartAsync(db);
        await Signals.PeersAsync(app, new DateOnly(2030, 3, 15), lastCenterPasses: 39);

        var flagged = await Signals.GetAsync(app, "pass-rate-above-peers", "2030-03-01", "2030-03-31");
        var metrics = await ScrapeAsync(app);

        Assert.NotEmpty(flagged);
        Assert.Equal(flagged.Length, metrics.Value("registry_integrity_signals_total", ("kind", "pass-rate-above-peers")));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Each_request_is_one_trace_with_its_database_span_under_it_and_a_problem_names_that_trace(TestDatabase db)
    {
        var exported = new List<Activity>();
        await using var app = await StartAsync(db, services: s => s.ExportSpansTo(exported));
        var admin = await app.AdminClientAsync();

        var missing = await (await admin.GetAsync($"/api/v1/certificates/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        (await admin.GetAsync("/api/v1/standards")).EnsureSuccessStatusCode();

        // A request's span ends (and is exported) just after its response reached the client: wait for both.
        var spans = await ExportedAsync(exported, all => all.Count(IsRequest) == 2);
        var requests = spans.Where(IsRequest).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(2, requests.Select(r => r.TraceId).Distinct().Count());
        foreach (var request in requests)
        {
            var database = spans.Where(a => a.TraceId == request.TraceId && a.DisplayName.StartsWith("db ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(database);
            Assert.All(database, d => Assert.True(IsUnder(d, request, spans), $"{d.DisplayName} is not under the request's span"));
            Assert.Contains(database, d => (string?)d.GetTagItem("db.system.name") == (db == TestDatabase.Postgres ? "postgresql" : "sqlite"));
            if (db == TestDatabase.Postgres)
                Assert.Contains(spans, a => a.Source.Name == "Npgsql" && a.TraceId == request.TraceId && IsUnder(a, request, spans));
        }
        var traceId = missing.GetProperty("traceId").GetString()!;
        var failed = Assert.Single(requests, r => r.Id == traceId); // W3C form: 00-{trace id}-{span id}-{flags}
        Assert.Equal(failed.TraceId.ToHexString(), traceId.Split('-')[1]);
        Assert.Equal(404, failed.GetTagItem("http.response.status_code"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Webhook_attempts_are_counted_by_result_and_each_delivery_is_traced_with_its_http_call(TestDatabase db)
    {
        var exported = new List<Activity>();
        await using var app = await StartAsync(db, new Dictionary<string, string?>
        {
            ["Webhooks:PollInterval"] = "00:00:00.020",
            ["Webhooks:BaseDelay"] = "00:00:00.010",
            ["Webhooks:MaxDelay"] = "00:00:00.050",
        }, s => s.ExportSpansTo(exported), clockFlows: true);
        var world = await app.CreateWorldAsync();
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= 2 ? 500 : 204);
        var center = app.ClientWithKey(world.CenterKey);
        var (webhookId, _) = await center.CreateWebhookAsync(receiver.Url, "certificate.issued");

        await app.IssueCertificateAsync(world);
        await center.WaitForDeliveryAsync(webhookId, d => d.Status() == "succeeded", "succeeded");
        await app.Dispatcher().RoundWithNothingDueAsync();

        var metrics = await ScrapeAsync(app);
        Assert.Equal(2, metrics.Value("registry_webhook_deliveries_total", ("result", "retry")));
        Assert.Equal(1, metrics.Value("registry_webhook_deliveries_total", ("result", "succeeded")));
        Assert.Equal(0, metrics.Value("registry_webhook_deliveries_total", ("result", "dead")));
        Assert.Equal(0, metrics.Value("registry_outbox_oldest_undelivered_age_seconds"));
        var spans = await ExportedAsync(exported, all => all.Count(a => a.DisplayName == "webhook deliver") >= 3);
        var deliveries = spans.Where(a => a.DisplayName == "webhook deliver").ToList();
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d => Assert.Contains(spans, a => a.Kind == ActivityKind.Client && a.ParentSpanId == d.SpanId
            && a.Source.Name == "System.Net.Http"));
        Assert.Equal(["retry", "retry", "succeeded"], deliveries.Select(d => (string?)d.GetTagItem("registry.webhook.result")).Order());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task With_requests_sampled_out_one_that_fails_with_a_5xx_is_still_exported_under_its_problems_trace_id(TestDatabase db)
    {
        var exported = new List<Activity>();
        var nothingSampledNoBrowser = new Dictionary<string, string?> { ["Telemetry:TraceSampleRatio"] = "0", ["Pdf:ChromiumPath"] = "/nonexistent/chromium" };
        await using var app = await StartAsync(db, nothingSampledNoBrowser, s => s.ExportSpansTo(exported, everyRequest: false));
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        var row = (await (await center.PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { RegistryWorlds.Row("trace-1", world.StandardCode, 90, 90) } })).ReadJsonAsync()).GetProperty("rows")[0];

        var failed = await (await center.GetAsync($"/api/v1/certificates/{row.GetProperty("certificateId").GetGuid()}/pdf"))
            .AssertProblemAsync(HttpStatusCode.ServiceUnavailable);

        var spans = await ExportedAsync(exported, all => all.Any(IsRequest));
        var request = Assert.Single(spans, IsRequest); // the requests that succeeded were sampled out
        Assert.Equal(failed.GetProperty("traceId").GetString(), request.Id);
        Assert.Equal(503, request.GetTagItem("http.response.status_code"));
        Assert.Equal("GET", request.GetTagItem("http.request.method"));
    }

    [Fact]
    public async Task A_problem_names_the_callers_trace_with_telemetry_off_with_no_exporter_and_with_traces_exported()
    {
        const string caller = "4bf92f3577b34da6a3ce929d0e0e4736";
        foreach (var mode in new[] { "off", "no exporter", "exported" })
        {
            var exported = new List<Activity>();
            await using var app = await StartAsync(TestDatabase.Sqlite,
                mode == "off" ? new Dictionary<string, string?> { ["Telemetry:Enabled"] = "false" } : null,
                mode == "exported" ? s => s.ExportSpansTo(exported, everyRequest: false) : null);
            foreach (var sampled in new[] { false, true })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nowhere");
                request.Headers.Add("traceparent", $"00-{caller}-00f067aa0ba902b7-{(sampled ? "01" : "00")}");
                var problem = await (await app.CreateClient().SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);
                Assert.Equal(caller, problem.GetProperty("traceId").GetString()!.Split('-')[1]);
            }
            if (mode != "exported") continue;
            // The caller's decision is followed: its sampled request is exported, the other is not.
            var spans = await ExportedAsync(exported, all => all.Any(IsRequest));
            Assert.Equal("01", Assert.Single(spans, IsRequest).Id!.Split('-')[3]);
        }
    }

    private static bool IsRequest(Activity a) => a.Kind == ActivityKind.Server && a.Source.Name == "Microsoft.AspNetCore";

    private static async Task<Activity[]> ExportedAsync(List<Activity> exported, Func<Activity[], bool> complete)
    {
        for (var waited = 0; ; waited++)
        {
            Activity[] spans;
            lock (exported) spans = [.. exported];
            if (complete(spans) || waited == 200) return spans;
            await Task.Delay(50);
        }
    }

    private static bool IsUnder(Activity child, Activity ancestor, IReadOnlyList<Activity> spans)
    {
        for (var current = child; current is not null; current = spans.FirstOrDefault(a => a.SpanId == current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId) return true;
        }
        return false;
    }

    [Fact]
    public async Task Metrics_are_refused_from_an_address_outside_the_allowed_networks_and_served_inside_them()
    {
        await using var app = await StartAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Telemetry:MetricsAllowedNetworks:0"] = "10.20.0.0/16",
            ["Telemetry:MetricsAllowedNetworks:1"] = "127.0.0.1",
        });
        var client = app.CreateClient();

        foreach (var outside in new[] { "203.0.113.9", "10.21.0.1", "::1" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Add(ClientAddressFilter.Header, outside);
            var refused = await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.DoesNotContain("registry_", refused.ToString());
        }
        foreach (var inside in new[] { "10.20.3.4", "127.0.0.1" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Add(ClientAddressFilter.Header, inside);
            var served = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
    }

    [Fact]
    public async Task Metrics_are_served_to_loopback_only_by_default_and_not_at_all_with_telemetry_off()
    {
        await using (var app = await StartAsync(TestDatabase.Sqlite))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Add(ClientAddressFilter.Header, "192.0.2.1");
            await (await app.CreateClient().SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);
            await ScrapeAsync(app);
        }
        await using (var off = await StartAsync(TestDatabase.Sqlite, new Dictionary<string, string?> { ["Telemetry:Enabled"] = "false" }))
        {
            await (await off.CreateClient().GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal(HttpStatusCode.OK, (await off.CreateClient().GetAsync("/health/ready")).StatusCode);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Readiness_reports_the_database_pdf_renderer_change_listener_and_outbox_separately(TestDatabase db)
    {
        await using var app = await StartAsync(db, new Dictionary<string, string?>
        {
            ["Webhooks:Enabled"] = "false",
            ["Telemetry:OutboxBacklogDegradedSeconds"] = "60",
            ["Pdf:ChromiumPath"] = "/nonexistent/chromium",
        });
        var ready = await ReadyAsync(app);
        Assert.Equal("Healthy", ready.GetProperty("entries").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("entries").GetProperty("change-listener").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("entries").GetProperty("outbox").GetProperty("status").GetString());
        var pdf = ready.GetProperty("entries").GetProperty("pdf-renderer");
        Assert.Equal("Degraded", pdf.GetProperty("status").GetString());
        Assert.Contains("/nonexistent/chromium", pdf.GetProperty("description").GetString());
        Assert.Equal("Degraded", ready.GetProperty("status").GetString());

        // An event nobody dispatches for longer than the limit: the outbox says so, in words.
        var world = await app.CreateWorldAsync();
        await app.IssueCertificateAsync(world);
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var outbox = (await ReadyAsync(app)).GetProperty("entries").GetProperty("outbox");
        Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
        Assert.Contains("waited 61 s", outbox.GetProperty("description").GetString());
    }

    private static async Task<JsonElement> ReadyAsync(RegistryApp app)
    {
        var response = await app.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // degraded still serves
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
