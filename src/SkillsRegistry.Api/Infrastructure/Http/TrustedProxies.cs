using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SkillsRegistry.Api.Infrastructure.Http;

/// <summary>
/// X-Forwarded-For / X-Forwarded-Proto are believed only from the proxies an operator names ("ForwardedHeaders:KnownProxies",
/// IP addresses; "ForwardedHeaders:KnownNetworks", CIDR ranges). Without either, only a proxy on this host (loopback) is
/// believed. From anyone else the headers are ignored, so a client cannot choose the address its rate limit is counted by.
/// Only the last (nearest) hop is taken.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var networks = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            if (proxies.Length == 0 && networks.Length == 0) return; // the defaults: loopback only
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) o.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            foreach (var network in networks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
        });
    }
}
