using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>Looks up a host name's addresses (a seam so tests never send a DNS query off the machine).</summary>
public class WebhookHostResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// Thrown from the connect callback when a webhook host resolves to an address that is not public; nothing was sent.
/// An exception, not an outcome, because SocketsHttpHandler.ConnectCallback can refuse a connection only by throwing.
/// </summary>
public sealed class WebhookTargetBlockedException(string host)
    : Exception($"Webhook host '{host}' resolves to a non-public address; the connection was refused before any packet was sent.")
{
    public const string Error = "blocked-target";
}

/// <summary>
/// Where webhooks may go: https endpoints whose host resolves only to public unicast addresses, checked when the webhook is
/// registered and again for the addresses actually connected to (so a DNS answer that changes later is caught before any
/// packet leaves). Hosts on <see cref="WebhookOptions.AllowedPrivateHosts"/> are exempt (development and test receivers).
/// </summary>
public sealed class WebhookTargets(IOptions<WebhookOptions> options, WebhookHostResolver resolver)
{
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    public bool IsAllowListed(string host)
    {
        var bare = Bare(host);
        return options.Value.AllowedPrivateHosts.Any(h => string.Equals(Bare(h), bare, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Why this URL's host may not receive webhooks, or null. Resolves the name (every address must be public).</summary>
    public async Task<string?> ProblemAsync(Uri url, CancellationToken ct)
    {
        if (IsAllowListed(url.Host)) return null;
        IPAddress[] addresses;
        using var lookup = CancellationTokenSource.CreateLinkedTokenSource(ct);
        lookup.CancelAfter(LookupTimeout);
        try
        {
            addresses = await AddressesAsync(url.Host, lookup.Token);
        }
        catch (Exception e) when (e is SocketException or ArgumentException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            addresses = []; // no answer, an invalid name, or no answer in time
        }
        if (addresses.Length == 0) return $"The host '{url.IdnHost}' does not resolve to any address. Check the name.";
        return addresses.All(PublicAddress.IsPublic)
            ? null
            : "Must be a public internet host: private, loopback, link-local, shared (CGNAT), multicast and cloud-metadata addresses cannot receive webhooks.";
    }

    /// <summary>The SocketsHttpHandler connect step: resolve, refuse unless every address is public, connect to those addresses only.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await AddressesAsync(host, ct);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        if (!IsAllowListed(host) && !addresses.All(PublicAddress.IsPublic)) throw new WebhookTargetBlockedException(host);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<IPAddress[]> AddressesAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(Bare(host), out var literal) ? [literal] : await resolver.ResolveAsync(Bare(host), ct);

    private static string Bare(string host) => host.Trim().TrimStart('[').TrimEnd(']');
}
