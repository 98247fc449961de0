using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;

using static SkillsRegistry.Api.Features.Holders.HolderSql;

namespace SkillsRegistry.Api.Features.Holders;

/// <summary>
/// The registry's own holder sessions (made by <see cref="HolderAccess.SignInAsync"/>): a bearer token looked up by its hash on
/// every request, so an ended session stops at once on every instance. Replaceable by an OpenID Connect authenticator.
/// </summary>
public sealed class HolderSessions(Db db, TimeProvider clock, IOptions<HolderOptions> options) : IHolderAuthenticator
{
    private sealed class SessionRow
    {
        public Guid Id { get; init; }
        public Guid TraineeId { get; init; }
        public DateTimeOffset LastSeenAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
    }

    public async Task<Outcome<HolderIdentity>> AuthenticateAsync(string credential, CancellationToken ct)
    {
        if (!HolderSecrets.LooksLikeSessionToken(credential))
            return Rejection.Forbidden("The bearer token is not a holder session token (srh_ followed by 43 characters).");
        var now = clock.GetUtcNow();
        var session = await db.ReadAsync(s => s.QuerySingleOrDefaultAsync<SessionRow>(SelectSessionByHash, new { hash = HolderSecrets.TokenHash(credential) }), ct);
        if (session is null) return Rejection.Forbidden("The holder session is unknown to the registry.");
        if (session.EndedAt is not null) return Rejection.Forbidden("The holder session was ended. Sign in again with a new access code.");
        if (session.ExpiresAt <= now || now - session.LastSeenAt >= TimeSpan.FromMinutes(options.Value.SessionIdleMinutes))
            return Rejection.Forbidden("The holder session has expired. Sign in again with a new access code.");
        await db.WriteAsync(s => s.ExecuteAsync(TouchSession, new { id = session.Id, now }), ct);
        return new HolderIdentity(session.TraineeId, session.Id);
    }

    public Task EndAsync(Holder holder, CancellationToken ct) =>
        db.WriteAsync(s => s.ExecuteAsync(EndSession, new { id = holder.SessionId, now = clock.GetUtcNow() }), ct);
}
