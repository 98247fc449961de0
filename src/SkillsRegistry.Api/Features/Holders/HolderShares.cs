using System.Net;
using System.Net.Sockets;
using SkillsRegistry.Api.Features.Certificates.Rendering;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;

using static SkillsRegistry.Api.Features.Holders.HolderSql;

namespace SkillsRegistry.Api.Features.Holders;

/// <summary>
/// Shares: a holder's choice of certificates (or the whole transcript) behind a random link, for up to 90 days, revocable at
/// any time. A view reads the share's state from the database every time and each certificate through verification (whose
/// cache every change drops), so a revocation shows on the next view. Views are counted with the viewer's network only.
/// </summary>
public sealed class HolderShares(Db db, TimeProvider clock, RegistryIdentity registry, VerificationService verification)
{
    private sealed class ShareRow
    {
        public Guid Id { get; init; }
        public Guid TraineeId { get; init; }
        public bool WholeTranscript { get; init; }
        public string? RecipientLabel { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public long ViewCount { get; init; }
        public DateTimeOffset? LastViewedAt { get; init; }
    }

    private sealed class NumberRow
    {
        public Guid ShareId { get; init; }
        public string Number { get; init; } = "";
        public string? Token { get; init; }
    }

    private sealed class ViewRow
    {
        public DateTimeOffset ViewedAt { get; init; }
        public string Origin { get; init; } = "";
    }

    private sealed class NamesRow
    {
        public string GivenNameFa { get; init; } = "";
        public string FamilyNameFa { get; init; } = "";
        public string GivenNameLatin { get; init; } = "";
        public string FamilyNameLatin { get; init; } = "";
    }

    public string UrlOf(string token) => registry.PublicBaseUrl.TrimEnd('/') + "/shares/" + token;

    public Task<Outcome<CreatedShareDto>> CreateAsync(Holder holder, IReadOnlyCollection<Guid> certificateIds, bool wholeTranscript, int days,
        string? recipientLabel, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.TryWriteAsync<CreatedShareDto>(async s =>
        {
            var token = HolderSecrets.NewShareToken();
            var row = new
            {
                Id = Guid.CreateVersion7(), TraineeId = holder.PersonId, TokenHash = HolderSecrets.TokenHash(token), WholeTranscript = wholeTranscript,
                RecipientLabel = recipientLabel, Now = now, ExpiresAt = now.AddDays(days),
            };
            await s.ExecuteAsync(InsertShare, row);
            if (!wholeTranscript)
            {
                var shared = (await s.QueryInAsync<Guid, Guid>(InsertShareCertificates, "ids", certificateIds, new { shareId = row.Id, personId = holder.PersonId })).ToHashSet();
                var missing = certificateIds.Where(id => !shared.Contains(id)).ToList();
                if (missing.Count > 0)
                    return Rejection.UnprocessableField("certificateIds", "You hold no certificate with the id " + string.Join(", ", missing) + ".");
            }
            s.Audit(new AuditEntry(Caller.Holder, "create-share", "trainee", holder.PersonId.ToString(),
                new { shareId = row.Id, wholeTranscript, certificateIds, row.ExpiresAt }));
            var share = (await ToDtosAsync(s, [await s.QuerySingleAsync<ShareRow>(SelectOwnShare, new { id = row.Id, personId = holder.PersonId })], now))[0];
            var url = UrlOf(token);
            return new CreatedShareDto(share, url, CertificateQr.Svg(url));
        }, ct);
    }

    public Task<Page<ShareDto>> ListAsync(Holder holder, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            var rows = (await s.QueryAsync<ShareRow>(SelectSharesOf, new { personId = holder.PersonId, limit = size, offset })).ToList();
            var total = await s.ExecuteScalarAsync<long>(CountSharesOf, new { personId = holder.PersonId });
            return new Page<ShareDto>(await ToDtosAsync(s, rows, clock.GetUtcNow()), page, size, total);
        }, ct);

    /// <summary>Revokes the holder's own share; revoking a revoked share changes nothing. Not found for anyone else's.</summary>
    public Task<Outcome<ShareDto>> RevokeAsync(Holder holder, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.TryWriteAsync<ShareDto>(async s =>
        {
            if (await s.ExecuteAsync(RevokeShare, new { id, personId = holder.PersonId, now }) == 1)
                s.Audit(new AuditEntry(Caller.Holder, "revoke-share", "trainee", holder.PersonId.ToString(), new { shareId = id }));
            var row = await s.QuerySingleOrDefaultAsync<ShareRow>(SelectOwnShare, new { id, personId = holder.PersonId });
            if (row is null) return NotYours(id);
            return (await ToDtosAsync(s, [row], now))[0];
        }, ct);
    }

    public Task<Outcome<Page<ShareViewDto>>> ViewsAsync(Holder holder, Guid id, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync<Outcome<Page<ShareViewDto>>>(async s =>
        {
            var args = new { id, personId = holder.PersonId, limit = size, offset };
            if (await s.QuerySingleOrDefaultAsync<ShareRow>(SelectOwnShare, args) is null) return NotYours(id);
            var views = (await s.QueryAsync<ViewRow>(SelectViews, args)).Select(v => new ShareViewDto(v.ViewedAt, v.Origin)).ToList();
            return new Page<ShareViewDto>(views, page, size, await s.ExecuteScalarAsync<long>(CountViews, args));
        }, ct);

    /// <summary>
    /// What the link shows (state <c>not-found</c> for an unknown link), in <paramref name="language"/>; a view of a known share is
    /// counted first.
    /// </summary>
    public async Task<ShareAnswer> ViewAsync(string token, IPAddress? viewer, Language language, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!HolderSecrets.LooksLikeShareToken(token)) return ShareAnswer.Plain(ShareState.NotFound, now, language);
        var share = await db.ReadAsync(s => s.QuerySingleOrDefaultAsync<ShareRow>(SelectShareByHash, new { hash = HolderSecrets.TokenHash(token) }), ct);
        if (share is null) return ShareAnswer.Plain(ShareState.NotFound, now, language);
        await db.WriteAsync(s => s.ExecuteAsync(InsertView, new { Id = Guid.CreateVersion7(), ShareId = share.Id, Now = now, Origin = OriginOf(viewer) }), ct);
        var state = StateOf(share, now);
        if (state != ShareState.Active) return ShareAnswer.Plain(state, now, language);
        var (numbers, names) = await db.ReadAsync(async s => (
            (await s.QueryInAsync<NumberRow, Guid>(SelectShareNumbers, "ids", [share.Id])).ToList(),
            await s.QuerySingleAsync<NamesRow>(SelectHolderNames, new { personId = share.TraineeId })), ct);
        var certificates = new List<VerificationAnswer>(numbers.Count);
        // Each number through verification's cached records (dropped on every change), as a QR scan of it would be answered.
        foreach (var n in numbers) certificates.Add(await verification.VerifyAsync(n.Number, n.Token, null, language, ct));
        return ShareAnswer.Plain(state, now, language) with
        {
            Holder = new SharedHolder($"{names.GivenNameFa} {names.FamilyNameFa}", $"{names.GivenNameLatin} {names.FamilyNameLatin}"),
            RecipientLabel = share.RecipientLabel, ExpiresAt = share.ExpiresAt, Certificates = certificates,
        };
    }

    /// <summary>The viewer's network, never the address: IPv4 /16, IPv6 /32.</summary>
    public static string OriginOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 16 : 32;
        return new IPNetwork(FailedAttempts.Prefix(address, bits), bits).ToString();
    }

    private static ShareState StateOf(ShareRow share, DateTimeOffset now) =>
        share.RevokedAt is not null ? ShareState.Revoked : share.ExpiresAt <= now ? ShareState.Expired : ShareState.Active;

    private static Rejection NotYours(Guid id) => Rejection.NotFound($"You have no share {id}.");

    private static async Task<List<ShareDto>> ToDtosAsync(DbSession s, IReadOnlyList<ShareRow> rows, DateTimeOffset now)
    {
        var found = rows.Count == 0 ? [] : await s.QueryInAsync<NumberRow, Guid>(SelectShareNumbers, "ids", rows.Select(r => r.Id));
        var numbers = found.ToLookup(n => n.ShareId, n => n.Number);
        return rows.Select(r => new ShareDto(r.Id, StateOf(r, now), r.WholeTranscript, numbers[r.Id].ToList(), r.RecipientLabel, r.CreatedAt, r.ExpiresAt,
            r.RevokedAt, r.ViewCount, r.LastViewedAt)).ToList();
    }
}
