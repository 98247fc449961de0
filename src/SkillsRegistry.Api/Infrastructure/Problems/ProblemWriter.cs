using Microsoft.AspNetCore.Mvc;

namespace SkillsRegistry.Api.Infrastructure.Problems;

/// <summary>Writes an RFC 9457 problem from middleware (authentication, rate limiting, body limits), titled by its status.</summary>
public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, int status, string detail, Action<IHeaderDictionary>? headers = null)
    {
        context.Response.StatusCode = status;
        headers?.Invoke(context.Response.Headers);
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = ProblemTitles.Of(status), Detail = detail },
        });
    }
}
