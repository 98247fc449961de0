using System.Text.Json;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Assessments;

/// <summary>
/// The response to a batch: <see cref="Body"/> just recorded, or <see cref="Stored"/> (the response an earlier request
/// with the same Idempotency-Key committed).
/// </summary>
public sealed record BatchSubmission(string? Body, StoredResponse? Stored);

/// <summary>Records a batch in one transaction together with its idempotency record; a refused batch writes nothing.</summary>
public sealed class AssessmentBatchSubmitter(Db db, CenterRepository centers, AssessmentBatchProcessor processor, TimeProvider clock)
{
    /// <summary>Rolls back a batch whose idempotency record lost the race to a concurrent request with the same key; never answered.</summary>
    private static readonly Rejection RaceLost = Rejection.Conflict("A concurrent request with the same Idempotency-Key committed first.");

    public async Task<Outcome<BatchSubmission>> SubmitAsync(
        Guid centerId, IReadOnlyList<AssessmentRowInput?> rows, Caller caller, string? idempotencyKey, string requestHash,
        JsonSerializerOptions options, CancellationToken ct)
    {
        var scope = Idempotency.ScopeOf(caller);
        if (idempotencyKey is not null && await db.ReadAsync(s => Idempotency.FindAsync(s, scope, idempotencyKey, clock.GetUtcNow()), ct) is { } stored)
            return new BatchSubmission(null, stored);
        var written = await db.TryWriteAsync<string>(async s =>
        {
            if (await centers.FindAsync(s, centerId) is not { } center) return Rejection.NotFound($"No training center has id {centerId}.");
            var response = await processor.ProcessAsync(s, center, rows, caller);
            var text = JsonSerializer.Serialize(response, options);
            if (idempotencyKey is not null
                && !await Idempotency.TrySaveAsync(s, scope, idempotencyKey, requestHash, StatusCodes.Status200OK, text, clock.GetUtcNow()))
                return RaceLost;
            return text;
        }, ct);
        if (!ReferenceEquals(written.Rejection, RaceLost)) return written.Map(text => new BatchSubmission(text, null));
        // A concurrent twin committed first; this batch was rolled back and the twin's response is the answer.
        var winner = await db.ReadAsync(s => Idempotency.FindAsync(s, scope, idempotencyKey!, clock.GetUtcNow()), ct);
        return new BatchSubmission(null, winner!);
    }
}
