using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Infrastructure.Problems;

/// <summary>The one place a <see cref="Rejection"/> becomes an HTTP problem.</summary>
public static class RejectionProblems
{
    public static ProblemHttpResult ToProblem(this Rejection rejection) => rejection.Kind switch
    {
        RejectionKind.Stale when rejection.CurrentVersion is { } current => Preconditions.Stale(current),
        RejectionKind.Invalid when rejection.Errors is { } errors => Problem.Validation(Copy(errors), rejection.Detail),
        _ => Make(StatusOf(rejection.Kind), rejection),
    };

    public static int StatusOf(RejectionKind kind) => kind switch
    {
        RejectionKind.Invalid => 400,
        RejectionKind.Forbidden => 403,
        RejectionKind.NotFound => 404,
        RejectionKind.Conflict => 409,
        RejectionKind.Stale => 412,
        RejectionKind.TooLarge => 413,
        RejectionKind.Unprocessable => 422,
        RejectionKind.VersionRequired => 428,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A rejection kind without a status."),
    };

    private static ProblemHttpResult Make(int status, Rejection rejection)
    {
        var extensions = rejection.Extensions?.ToDictionary(e => e.Key, e => e.Value) ?? [];
        if (rejection.Errors is { } errors) extensions["errors"] = Copy(errors);
        return TypedResults.Problem(detail: rejection.Detail, statusCode: status, title: TitleOf(status),
            extensions: extensions.Count == 0 ? null : extensions);
    }

    private static string TitleOf(int status) => status switch
    {
        400 => "Validation failed",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Payload too large",
        422 => "Unprocessable entity",
        428 => "Precondition required",
        _ => "Request refused",
    };

    private static Dictionary<string, string[]> Copy(IReadOnlyDictionary<string, string[]> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value);
}
