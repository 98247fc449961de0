using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Infrastructure.Http;

/// <summary>Failed attempts one client network may make at a guessable secret per window ("RateLimiting:FailedAttempts").</summary>
public sealed class FailedAttemptOptions
{
    public const string Section = "RateLimiting:FailedAttempts";

    public int PermitLimit { get; set; } = 10;
    public int WindowMinutes { get; set; } = 15;
}

/// <summary>
/// Counts refused attempts (wrong access codes, wrong birth dates) per client: an IPv4 address, or an IPv6 /64 (one
/// subscriber's block, which an attacker could otherwise rotate through). When a client has used up its failures in the
/// window, it is refused (429) before its attempt is even checked. Windows follow the injected clock.
/// </summary>
public sealed class FailedAttempts(Microsoft.Extensions.Options.IOptions<FailedAttemptOptions> options, TimeProvider clock)
{
    private const int MostClientsTracked = 100_000;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Count)> windows = new();

    public FailedAttemptOptions Settings => options.Value;

    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6, IsIPv4MappedToIPv6: false } v6 => new IPNetwork(Prefix(v6, 64), 64).ToString(),
        var address => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString(),
    };

    /// <summary>The address with only its first <paramref name="bits"/> bits kept.</summary>
    public static IPAddress Prefix(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }

    /// <summary>Seconds until <paramref name="client"/> may try again, or null when it may try now.</summary>
    public int? RetryAfter(string client)
    {
        var now = clock.GetUtcNow();
        if (!windows.TryGetValue(client, out var w) || now - w.Start >= Window || w.Count < Settings.PermitLimit) return null;
        return Math.Max(1, (int)Math.Ceiling((w.Start + Window - now).TotalSeconds));
    }

    public void Record(string client)
    {
        var now = clock.GetUtcNow();
        if (windows.Count >= MostClientsTracked)
        {
            foreach (var (key, w) in windows)
                if (now - w.Start >= Window) windows.TryRemove(key, out _);
        }
        windows.AddOrUpdate(client, _ => (now, 1), (_, w) => now - w.Start >= Window ? (now, 1) : (w.Start, w.Count + 1));
    }

    private TimeSpan Window => TimeSpan.FromMinutes(Settings.WindowMinutes);
}

public static class FailedAttemptLimiting
{
    public static IServiceCollection AddFailedAttemptLimiting(this IServiceCollection services)
    {
        services.AddOptions<FailedAttemptOptions>()
            .BindConfiguration(FailedAttemptOptions.Section)
            .Validate(o => o.PermitLimit > 0, $"{FailedAttemptOptions.Section}:PermitLimit must be a positive number of attempts.")
            .Validate(o => o.WindowMinutes > 0, $"{FailedAttemptOptions.Section}:WindowMinutes must be a positive number of minutes.")
            .ValidateOnStart();
        return services.AddSingleton<FailedAttempts>();
    }

    /// <summary>
    /// Refuses a client that used up its failed attempts (429 with Retry-After), and counts every answer of this endpoint
    /// that is a refusal of what was presented (4xx other than 429) against the client.
    /// </summary>
    public static RouteHandlerBuilder LimitFailedAttempts(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var attempts = http.RequestServices.GetRequiredService<FailedAttempts>();
            var client = FailedAttempts.ClientOf(http);
            if (attempts.RetryAfter(client) is { } wait)
            {
                var settings = attempts.Settings;
                await ProblemWriter.WriteAsync(http, StatusCodes.Status429TooManyRequests,
                    $"Too many refused attempts from this network ({settings.PermitLimit} in {settings.WindowMinutes} minutes). Try again in {wait} s.",
                    h => h.RetryAfter = wait.ToString(CultureInfo.InvariantCulture));
                return Results.Empty;
            }
            var result = await next(context);
            if ((result is INestedHttpResult nested ? nested.Result : result) is IStatusCodeHttpResult { StatusCode: >= 400 and < 500 and not 429 })
                attempts.Record(client);
            return result;
        })
        .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
