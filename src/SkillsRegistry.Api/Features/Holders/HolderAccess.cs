using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Protection;

using static SkillsRegistry.Api.Features.Holders.HolderSql;

namespace SkillsRegistry.Api.Features.Holders;

/// <summary>
/// Access codes: issued by a center linked to the person (or admin), exchanged once, with the birth date, for a holder session.
/// Every refusal of an exchange reads the same, whatever was wrong, so the answer tells a guesser nothing.
/// </summary>
public sealed class HolderAccess(Db db, TimeProvider clock, FieldProtector protector, TraineeRepository trainees,
    IOptions<HolderOptions> options, RegistryIdentity registry)
{
    private const string CodeHashPurpose = "holder-access-code";

    private sealed class CodeRow
    {
        public Guid Id { get; init; }
        public Guid TraineeId { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? RetiredAt { get; init; }
        public DateOnly BirthDate { get; init; }
    }

    private HolderOptions Settings => options.Value;

    public Task<Outcome<AccessCodeDto>> IssueAsync(Guid traineeId, Caller caller, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.TryWriteAsync<AccessCodeDto>(async s =>
        {
            if (await s.ExecuteScalarAsync<long>(SelectTraineeExists, new { traineeId }) == 0 || !await trainees.CanSeeAsync(s, caller, traineeId))
                return Rejection.NotFound($"No trainee {traineeId} is visible to this key.");
            var code = HolderSecrets.NewCode();
            var row = new
            {
                Id = Guid.CreateVersion7(), TraineeId = traineeId, CodeHash = CodeHash(HolderSecrets.NormalizeCode(code)!),
                caller.KeyId, caller.CenterId, Now = now, ExpiresAt = now.AddHours(Settings.AccessCodeHours), Alive = Settings.AliveCodesPerPerson,
            };
            await s.ExecuteAsync(InsertCode, row);
            await s.ExecuteAsync(RetireOldCodes, row);
            s.Audit(new AuditEntry(caller, "issue-access-code", "trainee", traineeId.ToString(), new { codeId = row.Id, row.ExpiresAt }));
            return new AccessCodeDto(row.Id, traineeId, code, row.ExpiresAt, registry.PublicBaseUrl.TrimEnd('/') + "/holder/sessions");
        }, ct);
    }

    /// <summary>Exchanges a live code and the person's birth date for a new session; a wrong birth date counts against the code.</summary>
    public async Task<Outcome<HolderSessionDto>> SignInAsync(string? typedCode, DateOnly birthDate, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var normalized = HolderSecrets.NormalizeCode(typedCode);
        if (normalized is null) return NotAccepted();
        var code = await db.ReadAsync(s => s.QuerySingleOrDefaultAsync<CodeRow>(SelectCodeByHash, new { hash = CodeHash(normalized) }), ct);
        if (code is null || code.RetiredAt is not null || code.ExpiresAt <= now) return NotAccepted();
        if (code.BirthDate != birthDate)
        {
            await db.WriteAsync(async s =>
            {
                var retired = await s.QuerySingleOrDefaultAsync<string?>(CountWrongBirthDate, new { id = code.Id, limit = Settings.WrongBirthDatesPerCode, now });
                if (retired == "burned")
                    s.Audit(new AuditEntry(Caller.Holder, "burn-access-code", "trainee", code.TraineeId.ToString(), new { codeId = code.Id, Settings.WrongBirthDatesPerCode }));
            }, ct);
            return NotAccepted();
        }
        return await db.TryWriteAsync<HolderSessionDto>(async s =>
        {
            if (await s.ExecuteAsync(UseCode, new { id = code.Id, now }) == 0) return NotAccepted(); // used at the same moment by another request
            var token = HolderSecrets.NewSessionToken();
            var session = new
            {
                Id = Guid.CreateVersion7(), code.TraineeId, TokenHash = HolderSecrets.TokenHash(token), Now = now,
                ExpiresAt = now.AddHours(Settings.SessionHours),
            };
            await s.ExecuteAsync(InsertSession, session);
            s.Audit(new AuditEntry(Caller.Holder, "sign-in", "trainee", code.TraineeId.ToString(), new { codeId = code.Id, sessionId = session.Id }));
            return new HolderSessionDto(token, session.ExpiresAt, Settings.SessionIdleMinutes);
        }, ct);
    }

    private string CodeHash(string normalized) => protector.LookupHash(normalized, CodeHashPurpose);

    private Rejection NotAccepted() => Rejection.Unprocessable(
        "The access code and birth date were not accepted. A code works once, for " + Settings.AccessCodeHours + " hours, and stops " +
        "working after " + Settings.WrongBirthDatesPerCode + " wrong birth dates; ask your training center for a new one if needed.")
        with { Title = "Access code not accepted" };
}
