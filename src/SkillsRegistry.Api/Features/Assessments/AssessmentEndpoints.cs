using SkillsRegistry.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Infrastructure;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Assessments;

public static class AssessmentEndpoints
{
    public static IServiceCollection AddAssessments(this IServiceCollection services) => services
        .AddSingleton<AssessmentRepository>()
        .AddSingleton<AssessmentBatchProcessor>()
        .AddSingleton<AssessmentBatchRepository>()
        .AddSingleton<BatchCertificates>()
        .AddSingleton<AssessmentBatchSubmitter>()
        .AddSingleton<ResultUniqueness>()
        .AddSingleton<AssessmentVoider>()
        .AddOptions<AssessmentOptions>().BindConfiguration(AssessmentOptions.Section).Services;

    public static IEndpointRouteBuilder MapAssessments(this IEndpointRouteBuilder api)
    {
        var batches = api.MapGroup("/assessment-batches")
            .WithTags("Assessments")
            .RequireAuthorization(Policies.AdminOrCenter);
        batches.MapPost("/", SubmitAssessmentBatch)
            .WithName("SubmitAssessmentBatch")
            .AcceptsHeader(Idempotency.HeaderName)
            .SendsHeader(StatusCodes.Status200OK, Idempotency.ReplayedHeader)
            .WithSummary("Submit assessment results (up to 1,000 rows)")
            .WithDescription("""
                Records each row independently: `recorded` (with the outcome and, on a pass, the new certificate), `already-recorded`
                (this center sent the same `externalRef` before; the original result is returned) or `rejected` (with field errors
                named `rows[i].field`). One bad row does not reject the others. Send an `Idempotency-Key` header (e.g. a UUID per batch)
                to make the whole request replay-safe: a retry with the same key and body returns the original response
                (header `Idempotency-Replayed: true`); the same key with a different body is a 422. Keys are kept 48 hours.
                A center key submits for its own center; an admin key must name `centerId` and is recorded as submitting on its behalf.
                """)
            .Accepts<AssessmentBatchRequest>("application/json")
            .RequireRowBudget<AssessmentBatchRequest>(r => r.Rows?.Count ?? 0)
            .Produces<AssessmentBatchResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var group = api.MapGroup("/assessments")
            .WithTags("Assessments")
            .RequireAuthorization(Policies.AdminOrCenter);
        group.MapGet("/{id:guid}", GetAssessment)
            .WithName("GetAssessment")
            .WithSummary("Get one assessment result")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/void", VoidAssessment)
            .WithName("VoidAssessment")
            .WithSummary("Void an assessment recorded in error")
            .WithDescription("Admin, or the center that recorded it within 30 days. Its certificate, if any, is revoked with reason `assessment-annulled`. Voiding twice changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> SubmitAssessmentBatch(
        AssessmentBatchRequest request, Caller caller, HttpContext http, AssessmentBatchSubmitter submitter,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (!Idempotency.TryReadKey(http, out var idempotencyKey, out var keyProblem)) return keyProblem!.ToProblem();
        var errors = new ValidationErrors();
        if (request.Rows is null or { Count: 0 }) errors.Add("rows", $"Send 1 to {AssessmentBatchProcessor.MaxRows} rows.");
        else if (request.Rows.Count > AssessmentBatchProcessor.MaxRows)
            return Rejection.TooLarge($"A batch holds at most {AssessmentBatchProcessor.MaxRows} rows; this one has {request.Rows.Count}. Split it into several batches.").ToProblem();
        Guid centerId;
        if (caller.IsCenter)
        {
            centerId = caller.CenterId!.Value;
            if (request.CenterId is { } named && named != centerId)
                return Rejection.Forbidden("A center key submits results only for its own center.").ToProblem();
        }
        else if (request.CenterId is { } onBehalf) centerId = onBehalf;
        else { errors.Add("centerId", "An admin key must name the center it submits for."); centerId = Guid.Empty; }
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();

        var options = json.Value.SerializerOptions;
        var requestHash = Idempotency.HashOf(request with { CenterId = centerId }, options);
        var outcome = await submitter.SubmitAsync(centerId, request.Rows!, caller, idempotencyKey, requestHash, options, ct);
        if (outcome.Rejection is { } rejection) return rejection.ToProblem();
        return outcome.Value.Stored is { } stored
            ? Idempotency.Replay(http, stored, requestHash)
            : Results.Text(outcome.Value.Body, "application/json", statusCode: StatusCodes.Status200OK);
    }

    private static async Task<Results<Ok<AssessmentDto>, ProblemHttpResult>> GetAssessment(
        Guid id, Caller caller, AssessmentRepository assessments, CancellationToken ct)
    {
        var assessment = await assessments.GetAsync(id, ct);
        if (assessment is null || !caller.ActsForCenter(assessment.CenterId)) return Rejection.NotFound($"No assessment {id} is visible to this key.").ToProblem();
        return TypedResults.Ok(assessment);
    }

    private static async Task<Results<Ok<AssessmentDto>, ProblemHttpResult>> VoidAssessment(
        Guid id, VoidAssessmentRequest request, Caller caller, AssessmentVoider voider, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("reason", request.Reason, 500);
        if (!errors.IsEmpty) return errors.ToRejection().ToProblem();
        var voided = await voider.VoidAsync(id, request.Reason!.Trim(), caller, ct);
        if (voided.Rejection is { } rejection) return rejection.ToProblem();
        return TypedResults.Ok(voided.Value);
    }
}
