using Microsoft.AspNetCore.Http.HttpResults;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Infrastructure.Problems;

/// <summary>The one place a <see cref="Rejection"/> becomes an HTTP problem.</summary>
public static class RejectionProblems
{
    public static ProblemHttpResult ToProblem(this Rejection rejection)
    {
        var status = StatusOf(rejection.Kind);
        var detail = rejection is { Kind: RejectionKind.Stale, CurrentVersion: { } current }
            ? $"The resource changed since you read it; its current ETag is {Preconditions.ETagFor(current)}. GET it again and reapply your change."
            : rejection.Detail;
        var extensions = rejection.Extensions?.ToDictionary(e => e.Key, e => e.Value) ?? [];
        if (rejection.Errors is { } errors) extensions["errors"] = errors.ToDictionary(e => e.Key, e => e.Value);
        return TypedResults.Problem(detail: detail, statusCode: status, title: rejection.Title ?? ProblemTitles.Of(status),
            extensions: extensions.Count == 0 ? null : extensions);
    }

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
        RejectionKind.Unavailable => 503,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A rejection kind without a status."),
    };
}
