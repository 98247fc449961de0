using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Infrastructure.Http;

public sealed class PublicRateLimitOptions
{
    /// <summary>Requests one client address may make to public endpoints per window.</summary>
    public int PermitLimit { get; set; } = 120;
    public int WindowSeconds { get; set; } = 60;
}

public static class RateLimiting
{
    /// <summary>Policy for endpoints that need no key (verification, open data): limited per client address.</summary>
    public const string PublicPolicy = "public";

    public static IServiceCollection AddRegistryRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("RateLimiting:Public").Get<PublicRateLimitOptions>() ?? new PublicRateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PublicPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                }));
            o.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? (int)Math.Ceiling(wait.TotalSeconds) : options.WindowSeconds;
                if (RateLimitedPage.Wants(context.HttpContext)) return new ValueTask(RateLimitedPage.WriteAsync(context.HttpContext, retryAfter));
                return new ValueTask(ProblemWriter.WriteAsync(context.HttpContext, 429, "Too many requests",
                    $"This address made more than {options.PermitLimit} requests in {options.WindowSeconds} s. Try again in {retryAfter} s.",
                    h => h.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture)));
            };
        });
        return services;
    }
}
