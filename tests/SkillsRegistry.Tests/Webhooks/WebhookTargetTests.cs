using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Webhooks;

/// <summary>The address classifier, on literals only.</summary>
public sealed class PublicAddressTests
{
    [Theory]
    [InlineData("127.0.0.1")] [InlineData("127.8.9.10")] [InlineData("::1")]                          // loopback
    [InlineData("10.0.0.5")] [InlineData("172.16.0.1")] [InlineData("172.31.255.255")] [InlineData("192.168.1.1")] // RFC 1918
    [InlineData("100.64.0.1")] [InlineData("100.127.255.254")] [InlineData("100.100.100.200")]       // CGNAT, Alibaba metadata
    [InlineData("169.254.169.254")] [InlineData("169.254.0.1")] [InlineData("fe80::1")] [InlineData("febf::1")] // link-local, metadata
    [InlineData("fc00::1")] [InlineData("fd00:ec2::254")]                                            // unique-local, AWS IPv6 metadata
    [InlineData("224.0.0.1")] [InlineData("239.255.255.250")] [InlineData("ff02::1")]                // multicast
    [InlineData("0.0.0.0")] [InlineData("::")] [InlineData("255.255.255.255")] [InlineData("240.0.0.1")] // unspecified, broadcast, reserved
    [InlineData("192.0.2.10")] [InlineData("198.51.100.7")] [InlineData("203.0.113.9")] [InlineData("2001:db8::1")] // documentation
    [InlineData("198.18.0.1")] [InlineData("192.0.0.8")]                                             // benchmarking, IETF
    [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:10.1.2.3")] [InlineData("::ffff:169.254.169.254")] // IPv4-mapped
    [InlineData("::127.0.0.1")] [InlineData("64:ff9b::a9fe:a9fe")] [InlineData("2002:7f00:1::1")] [InlineData("2002:c0a8:101::1")] // compatible, NAT64, 6to4
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]                                            // Teredo
    [InlineData("fec0::1")] [InlineData("100::1")]                                                  // site-local, discard
    public void Non_public_addresses_are_refused(string literal)
    {
        Assert.False(PublicAddress.IsPublic(IPAddress.Parse(literal)), literal);
    }

    [Theory]
    [InlineData("8.8.8.8")] [InlineData("1.1.1.1")] [InlineData("93.184.215.14")] [InlineData("172.15.255.255")] [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")] [InlineData("100.128.0.1")] [InlineData("169.253.255.255")] [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")] [InlineData("2a00:1450:4001:80b::200e")] [InlineData("::ffff:8.8.8.8")] [InlineData("2002:0808:0808::1")]
    [InlineData("64:ff9b::808:808")]
    public void Public_unicast_addresses_are_accepted(string literal)
    {
        Assert.True(PublicAddress.IsPublic(IPAddress.Parse(literal)), literal);
    }
}

/// <summary>Dispatcher polling every 20 ms, for this class alone: its tests change the allow-list of their app.</summary>
public sealed class WebhookTargetFixture() : ConfiguredAppFixture(new Dictionary<string, string?>
{
    ["Webhooks:PollInterval"] = "00:00:00.020",
    ["Webhooks:BaseDelay"] = "00:00:10",
    ["Webhooks:MaxAttempts"] = "5",
}, clockFlows: true);

/// <summary>
/// Webhooks reach only public hosts. Nothing here connects to anything but loopback: refusals use literal addresses and
/// happen before any connection; the test host resolves no names.
/// </summary>
public sealed class WebhookTargetTests(WebhookTargetFixture fixture) : IClassFixture<WebhookTargetFixture>
{
    /// <summary>Removes the test host's loopback allow-list (as an operator would in production) until disposed.</summary>
    private sealed class NoAllowList : IDisposable
    {
        private readonly List<string> list;
        private readonly string[] saved;

        public NoAllowList(RegistryApp app)
        {
            list = app.Service<IOptions<WebhookOptions>>().Value.AllowedPrivateHosts;
            saved = [.. list];
            list.Clear();
        }

        public void Dispose()
        {
            list.Clear();
            list.AddRange(saved);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Internal_metadata_and_unresolvable_targets_are_refused_at_registration(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        using var _ = new NoAllowList(app);

        string[] refused =
        [
            "https://127.0.0.1:26080/api/v1/verify/x", "https://127.0.0.1:1/x", "https://localhost:26080/x", "http://127.0.0.1:26080/x",
            "https://10.0.0.5/hook", "https://172.20.1.1/hook", "https://192.168.0.10/hook", "https://100.64.1.1/hook",
            "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/latest/meta-data/", "https://[fe80::1]/hook",
            "https://[::ffff:127.0.0.1]/hook", "https://[::ffff:169.254.169.254]/hook", "https://[::1]/hook", "https://0.0.0.0/hook",
            "https://224.0.0.1/hook", "https://2130706433/hook", "https://0x7f.0.0.1/hook", "https://no-such-host.invalid/hook",
        ];
        foreach (var url in refused)
        {
            var response = await center.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "certificate.issued" } });
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem.FieldErrors("url"));
        }
        Assert.Equal(0, (await (await center.GetAsync("/api/v1/webhooks")).ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_target_that_stopped_being_allowed_is_blocked_at_connect_time_without_a_connection(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // Registration passes (allow-listed loopback); then the allow-list goes, as a DNS answer might change after registration.
        var (webhookId, _) = await center.CreateWebhookAsync($"http://127.0.0.1:{port}/hook", "certificate.issued");
        using var _ = new NoAllowList(app);

        await app.IssueCertificateAsync(world, "wh-blocked");

        var delivery = await center.WaitForDeliveryAsync(webhookId, d => d.Status() == "dead", "dead");
        Assert.Equal(WebhookTargetBlockedException.Error, delivery.GetProperty("lastError").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, delivery.GetProperty("lastStatusCode").ValueKind);
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.False(listener.Pending(), "the dispatcher connected to a blocked target");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_refused_connection_and_a_failed_tls_handshake_look_the_same_in_the_delivery_log(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var center = app.ClientWithKey(world.CenterKey);
        // An open port that speaks no TLS (accepts, then closes), and a closed port.
        using var open = new TcpListener(IPAddress.Loopback, 0);
        open.Start();
        using var stop = new CancellationTokenSource();
        var acceptor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await open.AcceptSocketAsync(stop.Token);
                socket.Close();
            }
        });
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var (openHook, _) = await center.CreateWebhookAsync($"https://127.0.0.1:{((IPEndPoint)open.LocalEndpoint).Port}/hook", "certificate.issued");
        var (closedHook, _) = await center.CreateWebhookAsync($"https://127.0.0.1:{closedPort}/hook", "certificate.issued");

        await app.IssueCertificateAsync(world, "wh-generic");

        var toOpen = await center.WaitForDeliveryAsync(openHook, d => d.GetProperty("lastError").ValueKind == System.Text.Json.JsonValueKind.String, "failed once");
        var toClosed = await center.WaitForDeliveryAsync(closedHook, d => d.GetProperty("lastError").ValueKind == System.Text.Json.JsonValueKind.String, "failed once");
        await stop.CancelAsync();
        Assert.Equal(WebhookDispatcher.ConnectionFailed, toOpen.GetProperty("lastError").GetString());
        Assert.Equal(WebhookDispatcher.ConnectionFailed, toClosed.GetProperty("lastError").GetString());
        foreach (var hook in new[] { openHook, closedHook })
            Assert.Equal(HttpStatusCode.NoContent, (await center.DeleteAsync($"/api/v1/webhooks/{hook}")).StatusCode);
        try { await acceptor; } catch (OperationCanceledException) { }
    }
}
