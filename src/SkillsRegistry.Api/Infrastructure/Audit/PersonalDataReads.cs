using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Audit;

/// <summary>
/// Reads of personal data (national ID, passport number, birth date, contact details — and transcripts) leave one
/// audit record per request, naming the caller and every person in the response. It is written before the response
/// is sent: a read that cannot be audited fails instead of going unrecorded.
/// </summary>
public sealed class PersonalDataReads(Db db)
{
    public Task RecordAsync(Caller caller, string operation, IReadOnlyCollection<Guid> personIds, CancellationToken ct)
    {
        if (personIds.Count == 0) return Task.CompletedTask;
        var entityId = personIds.Count == 1 ? personIds.First().ToString() : "*";
        return db.WriteAsync(s =>
        {
            s.Audit(new AuditEntry(caller, "read", "trainee", entityId, new { operation, personIds }, personIds));
            return Task.CompletedTask;
        }, ct);
    }
}
