namespace SkillsRegistry.Api.Infrastructure.Problems;

/// <summary>
/// Thrown inside a repository transaction when a business rule refuses the request; the transaction rolls back and
/// the exception handler answers with this problem (status, detail, and field errors when given).
/// </summary>
public sealed class RequestRejectedException(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static RequestRejectedException Field(string field, string message, int status = 422) =>
        new(status, status == 400 ? "Validation failed" : "Unprocessable entity",
            $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static RequestRejectedException NotFound(string detail) => new(404, "Not found", detail);
    public static RequestRejectedException Conflict(string detail) => new(409, "Conflict", detail);
    public static RequestRejectedException Forbidden(string detail) => new(403, "Forbidden", detail);
}
