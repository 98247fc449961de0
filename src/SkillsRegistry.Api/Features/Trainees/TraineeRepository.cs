using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;
using SkillsRegistry.Api.Infrastructure.Protection;

using static SkillsRegistry.Api.Features.Trainees.TraineeSql;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>Filters of the trainee list; all optional, already validated and normalised.</summary>
public sealed record TraineeQuery(
    string? NationalId = null, string? PassportNumber = null, string? Nationality = null,
    string? Q = null, string? TargetGroup = null, TraineeGender? Gender = null);

/// <summary>
/// Trainees: one person, one record. Visibility: admin (and the system) see everyone; a center sees the trainees linked
/// to it in <c>center_trainees</c> (those it registered, and those it identified in full when assessing or registering
/// them). National IDs and passport numbers are stored encrypted and found by their keyed hash. Contact details are
/// kept per center on the link; <c>trainees.phone/email</c> hold what the registry (admin) supplied.
/// </summary>
public sealed class TraineeRepository(Db db, TimeProvider clock, FieldProtector protector)
{
    private const string NationalIdHashPurpose = "national-id";
    private const string PassportHashPurpose = "passport";

    // ---- Convenience methods (own their connection/transaction) ----

    public Task<TraineeDto?> GetAsync(Guid id, Caller caller, CancellationToken ct) =>
        db.ReadAsync(s => GetVisibleAsync(s, id, caller), ct);

    public Task<Page<TraineeDto>> ListAsync(TraineeQuery query, Caller caller, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            var (seeAll, centerId) = Visibility(caller);
            var args = new
            {
                seeAll, centerId,
                nationalIdHash = query.NationalId is { } n ? protector.LookupHash(n, NationalIdHashPurpose) : null,
                passportHash = query.PassportNumber is { } p ? protector.LookupHash(p, PassportHashPurpose) : null,
                nationality = query.Nationality,
                pattern = string.IsNullOrWhiteSpace(query.Q) ? null : PersianText.ContainsPattern(query.Q),
                gender = query.Gender is { } g ? EnumText.ToText(g) : null, targetGroup = query.TargetGroup,
                limit = size, offset,
            };
            var rows = (await s.QueryAsync<TraineeRow>(SelectPage, args)).ToList();
            var total = await s.ExecuteScalarAsync<long>(SelectCount, args);
            var groups = rows.Count == 0 ? [] : await s.QueryAsync<TargetGroupRow>(SelectTargetGroupsOfPage, args);
            var byTrainee = groups.ToLookup(g => g.TraineeId, g => g.Code);
            return new Page<TraineeDto>(rows.Select(r => r.ToDto(byTrainee[r.Id].ToList(), protector)).ToList(), page, size, total);
        }, ct);

    /// <summary>
    /// Links a center to a registered person it identified in full (identifier + birth date + family name), keeping the
    /// contact details it supplied on the link; the non-revealing rejection otherwise. Writes nothing before the check.
    /// </summary>
    internal async Task<Rejection?> LinkIfConfirmedAsync(DbSession s, Guid traineeId, ValidTrainee presented, Guid centerId, Caller actor, string field)
    {
        var stored = await SelectVisibleAsync(s, traineeId, Caller.System)
                     ?? throw new InvalidOperationException($"Trainee {traineeId} vanished inside its transaction.");
        if (!TraineeIdentityMatch.Matches(stored.BirthDate, stored.FamilyNameFa, stored.FamilyNameLatin, presented))
            return TraineeIdentityMatch.NotConfirmed(field);
        if (await GrantCenterAsync(s, centerId, traineeId, presented.Phone, presented.Email))
            s.Audit(new AuditEntry(actor, "link", "trainee", traineeId.ToString(), new { centerId, confirmedBy = "identifier, birth date, family name" }));
        else if (presented.Phone is not null || presented.Email is not null)
            await UpdateCenterContactAsync(s, centerId, traineeId, presented.Phone, presented.Email);
        return null;
    }

    // ---- For other features, inside THEIR transaction ----

    /// <summary>Links a center to a trainee (insert-if-absent), with the contact details it supplied. True when the link is new.</summary>
    public async Task<bool> GrantCenterAsync(DbSession s, Guid centerId, Guid traineeId, string? phone = null, string? email = null) =>
        await s.ExecuteAsync(CenterLinks.Insert, new CenterLinkRow(centerId, traineeId, phone, email)) == 1;

    /// <summary>The trainee holding this (validated, normalised) identity, whoever may see it: found by its keyed hash.</summary>
    public Task<Guid?> FindIdAsync(DbSession s, TraineeIdentity identity) =>
        identity.IsNationalId
            ? s.QuerySingleOrDefaultAsync<Guid?>(SelectIdByNationalId, new { hash = protector.LookupHash(identity.NationalId!, NationalIdHashPurpose) })
            : s.QuerySingleOrDefaultAsync<Guid?>(SelectIdByPassport,
                new { hash = protector.LookupHash(identity.PassportNumber!, PassportHashPurpose), nationality = identity.Nationality });

    /// <summary>True for admin/system, and for a center linked to this trainee.</summary>
    public async Task<bool> CanSeeAsync(DbSession s, Caller caller, Guid traineeId)
    {
        var (seeAll, centerId) = Visibility(caller);
        return seeAll || await s.ExecuteScalarAsync<long>(SelectIsGranted, new { centerId, traineeId }) > 0;
    }

    /// <summary>The keyed hashes and ciphertexts of an identity, as stored.</summary>
    internal (string? NationalIdHash, string? NationalIdEnc, string? PassportHash, string? PassportEnc) Protect(TraineeIdentity identity) => (
        identity.NationalId is { } n ? protector.LookupHash(n, NationalIdHashPurpose) : null,
        protector.EncryptOrNull(identity.NationalId, TraineeRow.NationalIdPurpose),
        identity.PassportNumber is { } p ? protector.LookupHash(p, PassportHashPurpose) : null,
        protector.EncryptOrNull(identity.PassportNumber, TraineeRow.PassportPurpose));

    /// <summary>How many rows <see cref="ProtectIdentifiersAsync"/> still has to re-protect (for the startup step's progress).</summary>
    internal Task<long> CountUnprotectedAsync(CancellationToken ct)
    {
        var prefix = protector.ActiveKid + ":";
        return db.ReadAsync(async s => await s.ExecuteScalarAsync<long>(CountUnprotected, new { prefix, prefixLength = prefix.Length }), ct);
    }

    /// <summary>
    /// One chunk of the startup step <see cref="TraineeIdentifierProtection"/>: up to <paramref name="limit"/> rows whose
    /// identifiers are in clear or encrypted under another key than the active one are re-protected under the active key.
    /// </summary>
    internal async Task<(int Cleared, int Rotated, bool Finished)> ProtectIdentifiersAsync(DbSession s, int limit)
    {
        var prefix = protector.ActiveKid + ":";
        var rows = (await s.QueryAsync<UnprotectedRow>(SelectUnprotected, new { prefix, prefixLength = prefix.Length, limit })).ToList();
        var (cleared, rotated) = (0, 0);
        var reprotected = new List<ReprotectedIdentifiers>(rows.Count);
        foreach (var row in rows)
        {
            if ((row.NationalIdHash is not null && row.NationalIdEnc is null) || (row.PassportHash is not null && row.PassportEnc is null)) cleared++;
            else rotated++;
            var identity = new TraineeIdentity(
                row.NationalIdHash is null ? null : row.NationalIdEnc is null ? row.NationalIdHash : protector.Decrypt(row.NationalIdEnc, TraineeRow.NationalIdPurpose),
                row.PassportHash is null ? null : row.PassportEnc is null ? row.PassportHash : protector.Decrypt(row.PassportEnc, TraineeRow.PassportPurpose),
                row.Nationality);
            var (nationalIdHash, nationalIdEnc, passportHash, passportEnc) = Protect(identity);
            reprotected.Add(new ReprotectedIdentifiers(row.Id, nationalIdHash, nationalIdEnc, passportHash, passportEnc));
        }
        await s.ExecuteOverRowsAsync(Reprotected, UpdateProtected, reprotected);
        return (cleared, rotated, rows.Count < limit);
    }

    /// <summary>Rewrites the trainees table so no page still holds a clear identifier, once older transactions are done.</summary>
    internal Task RewriteTableAsync(CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            await db.Dialect.WaitForOlderTransactionsAsync(s, TimeSpan.FromMinutes(1));
            return await s.ExecuteScalarAsync<object>(db.Dialect.RewriteTablesSql("trainees"));
        }, ct);

    private sealed class UnprotectedRow
    {
        public Guid Id { get; init; }
        public string? NationalIdHash { get; init; }
        public string? NationalIdEnc { get; init; }
        public string? PassportHash { get; init; }
        public string? PassportEnc { get; init; }
        public string? Nationality { get; init; }
    }

    // ---- Internals ----

    private static (bool SeeAll, Guid CenterId) Visibility(Caller caller) =>
        caller.IsCenter ? (false, caller.CenterId ?? Guid.Empty) : (caller.IsAdmin || caller == Caller.System, Guid.Empty);

    /// <summary>The stored row as the caller sees it (its own contact details), or null when it may not see it.</summary>
    internal static Task<TraineeRow?> SelectVisibleAsync(DbSession s, Guid id, Caller caller)
    {
        var (seeAll, centerId) = Visibility(caller);
        return s.QuerySingleOrDefaultAsync<TraineeRow>(SelectVisibleById, new { id, seeAll, centerId });
    }

    internal async Task<TraineeDto?> GetVisibleAsync(DbSession s, Guid id, Caller caller)
    {
        var row = await SelectVisibleAsync(s, id, caller);
        return row?.ToDto(await TargetGroupsOfAsync(s, id), protector);
    }

    internal static async Task<IReadOnlyList<string>> TargetGroupsOfAsync(DbSession s, Guid id) =>
        (await s.QueryAsync<TargetGroupRow>(SelectTargetGroupsOf, new { id })).Select(g => g.Code).ToList();

    /// <summary>Every code must exist and be active; otherwise a rejection naming the codes.</summary>
    internal static async Task<Rejection?> CheckTargetGroupsAsync(DbSession s, IReadOnlyList<string> codes, string field)
    {
        if (codes.Count == 0) return null;
        var active = (await s.QueryInAsync<string, string>(SelectActiveTargetGroupsIn, "codes", codes, new { active = true })).ToHashSet(StringComparer.Ordinal);
        var missing = codes.Where(code => !active.Contains(code)).ToList();
        return missing.Count == 0 ? null : Rejection.UnprocessableField(field,
            $"Unknown or inactive target group(s): {string.Join(", ", missing)}. Use the active codes of the target-group reference list.");
    }

    /// <summary>
    /// Inserts the trainee, its target groups and (for a center) the center's link carrying its contact details; audits.
    /// The registry's own contact columns get the contact only when no center registers the person. Null when another row
    /// already holds the identity (a unique violation).
    /// </summary>
    internal async Task<Outcome<Guid?>> TryInsertAsync(DbSession s, ValidTrainee trainee, Guid? centerId, Caller actor, string source)
    {
        var id = Guid.CreateVersion7();
        var identity = trainee.Identity!;
        var args = Parameters(id, trainee, identity, clock.GetUtcNow());
        var violation = await s.TryExecuteAsync(Rows.Insert, new NewTraineeRow(
            args.id, args.nationalIdHash, args.nationalIdEnc, args.passportHash, args.passportEnc, args.nationality, args.givenNameFa,
            args.familyNameFa, args.givenNameLatin, args.familyNameLatin, args.birthDate, args.gender,
            centerId is null ? args.phone : null, centerId is null ? args.email : null, centerId, args.searchText, args.now));
        if (violation == ConstraintViolation.Unique) return (Guid?)null;
        if (violation != ConstraintViolation.None)
            return Rejection.Conflict("The trainee could not be registered: the data breaks a registry rule.");
        await InsertTargetGroupsAsync(s, id, trainee.TargetGroups);
        if (centerId is { } c) await GrantCenterAsync(s, c, id, trainee.Phone, trainee.Email);
        s.Audit(new AuditEntry(actor, "create", "trainee", id.ToString(), new
        {
            source,
            identity = identity.Masked(),
            trainee.GivenNameFa, trainee.FamilyNameFa, trainee.GivenNameLatin, trainee.FamilyNameLatin,
            trainee.BirthDate, gender = EnumText.ToText(trainee.Gender), trainee.TargetGroups, createdByCenterId = centerId,
        }));
        return (Guid?)id;
    }

    /// <summary>
    /// Replaces the stored names, birth date, gender and identity when the row is still at <paramref name="expected"/>; the
    /// registry's own contact columns only for <paramref name="registryContact"/>. The violation, if a constraint refused it.
    /// </summary>
    internal async Task<ConstraintViolation> TryUpdateAsync(DbSession s, Guid id, long expected, ValidTrainee trainee, TraineeIdentity identity, bool registryContact)
    {
        var args = Parameters(id, trainee, identity, clock.GetUtcNow());
        return await s.TryExecuteAsync(UpdateTrainee, new
        {
            args.id, args.nationalIdHash, args.nationalIdEnc, args.passportHash, args.passportEnc, args.nationality, args.givenNameFa,
            args.familyNameFa, args.givenNameLatin, args.familyNameLatin, args.birthDate, args.gender, args.phone, args.email,
            registryContact, args.searchText, args.now, expected,
        });
    }

    internal static Task UpdateCenterContactAsync(DbSession s, Guid centerId, Guid traineeId, string? phone, string? email) =>
        s.ExecuteAsync(UpdateCenterContact, new { centerId, traineeId, phone, email });

    internal static async Task ReplaceTargetGroupsAsync(DbSession s, Guid traineeId, IReadOnlyList<string> codes)
    {
        await s.ExecuteAsync(DeleteTargetGroups, new { traineeId });
        await InsertTargetGroupsAsync(s, traineeId, codes);
    }

    private static Task<int> InsertTargetGroupsAsync(DbSession s, Guid traineeId, IReadOnlyList<string> codes) =>
        s.InsertRowsAsync(TargetGroupRows, codes.Select(code => new TargetGroupRow(traineeId, code)).ToList());

    /// <summary>How many centers the person is linked to.</summary>
    internal static Task<long> CountCentersAsync(DbSession s, Guid traineeId) =>
        s.ExecuteScalarAsync<long>(SelectLinkCount, new { traineeId });

    internal TraineeIdentity IdentityOf(TraineeRow row) => row.IdentityWith(protector);

    private (Guid id, string? nationalIdHash, string? nationalIdEnc, string? passportHash, string? passportEnc, string? nationality,
        string givenNameFa, string familyNameFa, string givenNameLatin, string familyNameLatin, DateOnly birthDate, string gender,
        string? phone, string? email, string searchText, DateTimeOffset now) Parameters(Guid id, ValidTrainee t, TraineeIdentity identity, DateTimeOffset now)
    {
        var (nationalIdHash, nationalIdEnc, passportHash, passportEnc) = Protect(identity);
        return (id, nationalIdHash, nationalIdEnc, passportHash, passportEnc, identity.Nationality, t.GivenNameFa, t.FamilyNameFa,
            t.GivenNameLatin, t.FamilyNameLatin, t.BirthDate, EnumText.ToText(t.Gender), t.Phone, t.Email, t.SearchText(), now);
    }
}
