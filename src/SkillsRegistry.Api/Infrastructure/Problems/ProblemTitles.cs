namespace SkillsRegistry.Api.Infrastructure.Problems;

/// <summary>The title of a problem with a given status: the one table used by rejections, middleware and the exception handler.</summary>
internal static class ProblemTitles
{
    public static string Of(int status) => status switch
    {
        400 => "Validation failed",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Payload too large",
        422 => "Unprocessable entity",
        428 => "Precondition required",
        429 => "Too many requests",
        500 => "Internal server error",
        503 => "Service unavailable",
        _ => "Request refused",
    };
}
