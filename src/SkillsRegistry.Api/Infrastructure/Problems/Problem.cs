using Microsoft.AspNetCore.Http.HttpResults;

namespace SkillsRegistry.Api.Infrastructure.Problems;

/// <summary>Problem results returned by endpoint handlers. Their statuses are declared on the route groups for OpenAPI.</summary>
public static class Problem
{
    public static ProblemHttpResult NotFound(string detail) => Make(404, "Not found", detail);
    public static ProblemHttpResult Forbidden(string detail) => Make(403, "Forbidden", detail);
    public static ProblemHttpResult Conflict(string detail, IDictionary<string, object?>? extensions = null) => Make(409, "Conflict", detail, extensions);
    public static ProblemHttpResult Unprocessable(string detail) => Make(422, "Unprocessable entity", detail);
    public static ProblemHttpResult PreconditionFailed(string detail) => Make(412, "Precondition failed", detail);
    public static ProblemHttpResult PreconditionRequired(string detail) => Make(428, "Precondition required", detail);
    public static ProblemHttpResult TooLarge(string detail) => Make(413, "Payload too large", detail);

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.Problem(
            detail: detail ?? "The request has invalid fields: " + string.Join(", ", errors.Keys) + ". See errors for each field.",
            statusCode: 400, title: "Validation failed",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    private static ProblemHttpResult Make(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
}
