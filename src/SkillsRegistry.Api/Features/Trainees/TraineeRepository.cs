using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;
using SkillsRegistry.Api.Infrastructure.Protection;
using SkillsRegistry.Api.Features.Certificates;

using static SkillsRegistry.Api.Features.Trainees.TraineeSql;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>Filters of the trainee list; all optional, already validated and normalised.</summary>
public sealed record TraineeQuery(
    string? NationalId = null, string? PassportNumber = null, string? Nationality = null,
    string? Q = null, string? TargetGroup = null, TraineeGender? Gender = null);

public enum TraineeWriteStatus { Done, Linked, NotFound, Stale, IdentityTaken }

/// <summary>
/// The result of a create or update. <c>IdentityTaken</c>: another trainee already holds the identity
/// (<c>ExistingId</c>); <c>ExistingVisible</c> says whether the caller may be told which one.
/// </summary>
public sealed record TraineeWriteOutcome(
    TraineeWriteStatus Status, TraineeDto? Trainee = null, long CurrentVersion = 0, Guid? ExistingId = null, bool ExistingVisible = false);

/// <summary>
/// Trainees: one person, one record. Visibility: admin (and the system) see everyone; a center sees the trainees linked
/// to it in <c>center_trainees</c> (those it registered, and those it identified in full when assessing or registering
/// them). National IDs and passport numbers are stored encrypted and found by their keyed hash. Contact details are
/// kept per center on the link; <c>trainees.phone/email</c> hold what the registry (admin) supplied.
/// </summary>
public sealed class TraineeRepository(Db db, TimeProvider clock, FieldProtector protector, IdentityCorrectionReissuer reissuer)
{
    private const string NationalIdHashPurpose = "national-id";
    private const string PassportHashPurpose = "passport";

    private sealed record TargetGroupRow(Guid TraineeId, string Code);

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
    /// Creates a trainee. When the identity is already registered: a center not yet linked to the person is linked when
    /// birth date and family name match too (<c>Linked</c>), and refused with the non-revealing
    /// <see cref="TraineeIdentityMatch.NotConfirmed"/> otherwise; an admin or an already linked center gets
    /// <c>IdentityTaken</c> with the existing record.
    /// </summary>
    public Task<TraineeWriteOutcome> CreateAsync(ValidTrainee trainee, Caller caller, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var identity = trainee.Identity ?? throw new ArgumentException("A new trainee needs an identity.", nameof(trainee));
            if (await FindIdAsync(s, identity) is { } existing)
                return await ExistingPersonAsync(s, existing, trainee, caller);
            await EnsureTargetGroupsAsync(s, trainee.TargetGroups, "targetGroups");
            var centerId = caller.IsCenter ? caller.CenterId : null;
            var id = await TryInsertAsync(s, trainee, centerId, caller, "api");
            if (id is null)
            {
                // Lost a race with a concurrent create of the same person: same answer as if we had come second.
                existing = await FindIdAsync(s, identity)
                           ?? throw RequestRejectedException.Conflict("A trainee with this identity was registered at the same moment; retry to see it.");
                return await ExistingPersonAsync(s, existing, trainee, caller);
            }
            return new TraineeWriteOutcome(TraineeWriteStatus.Done, await GetVisibleAsync(s, id.Value, caller));
        }, ct);

    private async Task<TraineeWriteOutcome> ExistingPersonAsync(DbSession s, Guid existing, ValidTrainee presented, Caller caller)
    {
        if (!caller.IsCenter || await CanSeeAsync(s, caller, existing)) return await TakenAsync(s, existing, caller);
        await LinkIfConfirmedAsync(s, existing, presented, caller.CenterId!.Value, caller, "identity");
        return new TraineeWriteOutcome(TraineeWriteStatus.Linked, await GetVisibleAsync(s, existing, caller));
    }

    /// <summary>
    /// Links a center to a registered person it identified in full (identifier + birth date + family name), keeping the
    /// contact details it supplied on the link; throws the non-revealing 422 otherwise. Writes nothing before the check.
    /// </summary>
    private async Task LinkIfConfirmedAsync(DbSession s, Guid traineeId, ValidTrainee presented, Guid centerId, Caller actor, string field)
    {
        var stored = await SelectVisibleAsync(s, traineeId, Caller.System)
                     ?? throw new InvalidOperationException($"Trainee {traineeId} vanished inside its transaction.");
        if (!TraineeIdentityMatch.Matches(stored.BirthDate, stored.FamilyNameFa, stored.FamilyNameLatin, presented))
            throw TraineeIdentityMatch.NotConfirmed(field);
        if (await GrantCenterAsync(s, centerId, traineeId, presented.Phone, presented.Email))
            s.Audit(new AuditEntry(actor, "link", "trainee", traineeId.ToString(), new { centerId, confirmedBy = "identifier, birth date, family name" }));
        else if (presented.Phone is not null || presented.Email is not null)
            await s.ExecuteAsync(UpdateCenterContact, new { centerId, traineeId, phone = presented.Phone, email = presented.Email });
    }

    /// <summary>
    /// Replaces names, birth date, gender, target groups and contact. Contact details are the caller's own (a center's
    /// link, or the registry's for an admin). The national ID/passport changes only through an admin; names, birth date
    /// and gender of a person linked to more than one center too (409 for a center). An admin's correction of a name
    /// re-issues the person's valid certificates.
    /// </summary>
    public Task<TraineeWriteOutcome> UpdateAsync(Guid id, long expected, ValidTrainee trainee, Caller caller, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var current = await SelectVisibleAsync(s, id, caller);
            if (current is null) return new TraineeWriteOutcome(TraineeWriteStatus.NotFound);
            if (current.RowVersion != expected) return new TraineeWriteOutcome(TraineeWriteStatus.Stale, CurrentVersion: current.RowVersion);

            var before = current.IdentityWith(protector);
            var identity = trainee.Identity ?? before;
            var identityChanged = identity != before;
            if (identityChanged)
            {
                if (!caller.IsAdmin)
                    throw new RequestRejectedException(403, "Forbidden",
                        "A training center cannot change a trainee's identity. Ask the registry to correct it, or omit nationalId/passportNumber/nationality to keep it.",
                        new Dictionary<string, string[]> { [identity.IsNationalId ? "nationalId" : "passportNumber"] = ["Only the registry (admin) may correct an identity."] });
                if (await FindIdAsync(s, identity) is { } other && other != id)
                    return await TakenAsync(s, other, caller);
            }
            var personalChanged = PersonalFieldsChanged(current, trainee);
            if (personalChanged.Count > 0 && !caller.IsAdmin && await s.ExecuteScalarAsync<long>(SelectLinkCount, new { traineeId = id }) > 1)
                throw new RequestRejectedException(409, "Conflict",
                    "This person is known to more than one training center, so their names, birth date and gender change only through the " +
                    "registry (admin). Send them unchanged to update your contact details or target groups, and ask the registry to correct the identity.",
                    personalChanged.ToDictionary(f => f, _ => new[] { "Changes only through the registry for a person known to several centers." }));
            await EnsureTargetGroupsAsync(s, trainee.TargetGroups, "targetGroups");
            var groupsBefore = await TargetGroupsOfAsync(s, id);

            var args = Parameters(id, trainee, identity, clock.GetUtcNow());
            var violation = await s.TryExecuteAsync(UpdateTrainee, new
            {
                args.id, args.nationalIdHash, args.nationalIdEnc, args.passportHash, args.passportEnc, args.nationality, args.givenNameFa,
                args.familyNameFa, args.givenNameLatin, args.familyNameLatin, args.birthDate, args.gender, args.phone, args.email,
                registryContact = !caller.IsCenter, args.searchText, args.now, expected,
            });
            if (violation == ConstraintViolation.Unique)
            {
                var other = await FindIdAsync(s, identity);
                if (other is { } o && o != id) return await TakenAsync(s, o, caller);
                throw RequestRejectedException.Conflict("Another trainee holds this identity.");
            }
            if (violation != ConstraintViolation.None)
                throw RequestRejectedException.Conflict("The trainee could not be updated: the data breaks a registry rule.");
            var after = await SelectVisibleAsync(s, id, Caller.System);
            if (after is null || after.RowVersion != expected + 1)
                return new TraineeWriteOutcome(TraineeWriteStatus.Stale, CurrentVersion: after?.RowVersion ?? 0);
            if (caller.IsCenter)
                await s.ExecuteAsync(UpdateCenterContact, new { centerId = caller.CenterId, traineeId = id, phone = trainee.Phone, email = trainee.Email });

            await s.ExecuteAsync(DeleteTargetGroups, new { traineeId = id });
            foreach (var code in trainee.TargetGroups) await s.ExecuteAsync(InsertTargetGroup, new { traineeId = id, code });

            var changed = ChangedFields(current, before, trainee, identity, !groupsBefore.ToHashSet().SetEquals(trainee.TargetGroups));
            s.Audit(new AuditEntry(caller, "update", "trainee", id.ToString(), new
            {
                changed,
                identity = identity.Masked(),
                previousIdentity = identityChanged ? before.Masked() : null,
                trainee.GivenNameFa, trainee.FamilyNameFa, trainee.GivenNameLatin, trainee.FamilyNameLatin,
                trainee.BirthDate, gender = EnumText.ToText(trainee.Gender), trainee.TargetGroups,
            }));
            // Certificates print and sign the holder's names (never the identifier, birth date or gender): when a
            // correction changes a name, every valid certificate is re-issued so none disagrees with the record.
            var printedNames = personalChanged.Where(f => f.Contains("Name", StringComparison.Ordinal)).ToList();
            if (caller.IsAdmin && printedNames.Count > 0)
                await reissuer.ReissueAsync(s, id, $"Identity correction by the registry ({string.Join(", ", printedNames)}).", caller);
            return new TraineeWriteOutcome(TraineeWriteStatus.Done, await GetVisibleAsync(s, id, caller));
        }, ct);

    // ---- For other features, inside THEIR transaction ----

    /// <summary>
    /// The trainee with this identity, created from the input when there is none. A registered person is matched only when
    /// the row identifies them in full (identifier, birth date and family name — <see cref="TraineeIdentityMatch"/>); the
    /// acting center is then linked. Throws <see cref="RequestRejectedException"/> (400/422, fields under
    /// <paramref name="fieldPrefix"/>) when the input is incomplete or does not match — before writing anything, so the
    /// caller's transaction stays usable. The stored record wins: names in the input are compared, never applied.
    /// </summary>
    public async Task<TraineeMatch> FindOrCreateAsync(DbSession s, TraineeIdentityInput input, Guid actingCenterId, Caller actor, string fieldPrefix = "")
    {
        var errors = new ValidationErrors();
        // The full person is required whether or not they are registered, so an incomplete row cannot probe who is.
        var trainee = TraineeValidation.Validate(input, RegistryCalendar.Today(clock), errors, fieldPrefix);
        if (trainee is null) throw Invalid(errors);
        var field = fieldPrefix.Length == 0 ? "identity" : fieldPrefix;
        if (await FindIdAsync(s, trainee.Identity!) is { } existing)
        {
            await LinkIfConfirmedAsync(s, existing, trainee, actingCenterId, actor, field);
            return new TraineeMatch(existing, false);
        }

        await EnsureTargetGroupsAsync(s, trainee.TargetGroups, Prefixed(fieldPrefix, "targetGroups"));
        var id = await TryInsertAsync(s, trainee, actingCenterId, actor, "assessment");
        if (id is null)
        {
            existing = await FindIdAsync(s, trainee.Identity!)
                       ?? throw RequestRejectedException.Conflict("A trainee with this identity was registered at the same moment; retry.");
            await LinkIfConfirmedAsync(s, existing, trainee, actingCenterId, actor, field);
            return new TraineeMatch(existing, false);
        }
        return new TraineeMatch(id.Value, true);
    }

    /// <summary>Links a center to a trainee (insert-if-absent), with the contact details it supplied. True when the link is new.</summary>
    public async Task<bool> GrantCenterAsync(DbSession s, Guid centerId, Guid traineeId, string? phone = null, string? email = null) =>
        await s.ExecuteAsync(InsertCenterTrainee, new { centerId, traineeId, phone, email }) == 1;

    public async Task<bool> ExistsAsync(DbSession s, Guid id) =>
        await s.ExecuteScalarAsync<long>(SelectExists, new { id }) > 0;

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

    /// <summary>The keyed hashes and ciphertexts of an identity, as stored (also used by the startup step that protects old rows).</summary>
    internal (string? NationalIdHash, string? NationalIdEnc, string? PassportHash, string? PassportEnc) Protect(TraineeIdentity identity) => (
        identity.NationalId is { } n ? protector.LookupHash(n, NationalIdHashPurpose) : null,
        protector.EncryptOrNull(identity.NationalId, TraineeRow.NationalIdPurpose),
        identity.PassportNumber is { } p ? protector.LookupHash(p, PassportHashPurpose) : null,
        protector.EncryptOrNull(identity.PassportNumber, TraineeRow.PassportPurpose));

    // ---- Internals ----

    private static (bool SeeAll, Guid CenterId) Visibility(Caller caller) =>
        caller.IsCenter ? (false, caller.CenterId ?? Guid.Empty) : (caller.IsAdmin || caller == Caller.System, Guid.Empty);

    private async Task<TraineeWriteOutcome> TakenAsync(DbSession s, Guid existing, Caller caller) =>
        new(TraineeWriteStatus.IdentityTaken, ExistingId: existing, ExistingVisible: await CanSeeAsync(s, caller, existing));

    private static Task<TraineeRow?> SelectVisibleAsync(DbSession s, Guid id, Caller caller)
    {
        var (seeAll, centerId) = Visibility(caller);
        return s.QuerySingleOrDefaultAsync<TraineeRow>(SelectVisibleById, new { id, seeAll, centerId });
    }

    private async Task<TraineeDto?> GetVisibleAsync(DbSession s, Guid id, Caller caller)
    {
        var row = await SelectVisibleAsync(s, id, caller);
        return row?.ToDto(await TargetGroupsOfAsync(s, id), protector);
    }

    private static async Task<IReadOnlyList<string>> TargetGroupsOfAsync(DbSession s, Guid id) =>
        (await s.QueryAsync<TargetGroupRow>(SelectTargetGroupsOf, new { id })).Select(g => g.Code).ToList();

    /// <summary>Every code must exist and be active; otherwise 422 naming the codes.</summary>
    private static async Task EnsureTargetGroupsAsync(DbSession s, IReadOnlyList<string> codes, string field)
    {
        if (codes.Count == 0) return;
        var missing = new List<string>();
        foreach (var code in codes)
        {
            if (await s.ExecuteScalarAsync<long>(SelectTargetGroupIsActive, new { code, active = true }) == 0) missing.Add(code);
        }
        if (missing.Count > 0)
            throw RequestRejectedException.Field(field,
                $"Unknown or inactive target group(s): {string.Join(", ", missing)}. Use the active codes of the target-group reference list.");
    }

    /// <summary>
    /// Inserts the trainee, its target groups and (for a center) the center's link carrying its contact details; audits.
    /// The registry's own contact columns get the contact only when no center registers the person. Null on a unique violation.
    /// </summary>
    private async Task<Guid?> TryInsertAsync(DbSession s, ValidTrainee trainee, Guid? centerId, Caller actor, string source)
    {
        var id = Guid.CreateVersion7();
        var identity = trainee.Identity!;
        var args = Parameters(id, trainee, identity, clock.GetUtcNow());
        var violation = await s.TryExecuteAsync(InsertTrainee, new
        {
            args.id, args.nationalIdHash, args.nationalIdEnc, args.passportHash, args.passportEnc, args.nationality, args.givenNameFa,
            args.familyNameFa, args.givenNameLatin, args.familyNameLatin, args.birthDate, args.gender,
            phone = centerId is null ? args.phone : null, email = centerId is null ? args.email : null,
            createdByCenterId = centerId, args.searchText, args.now,
        });
        if (violation == ConstraintViolation.Unique) return null;
        if (violation != ConstraintViolation.None)
            throw RequestRejectedException.Conflict("The trainee could not be registered: the data breaks a registry rule.");
        foreach (var code in trainee.TargetGroups) await s.ExecuteAsync(InsertTargetGroup, new { traineeId = id, code });
        if (centerId is { } c) await GrantCenterAsync(s, c, id, trainee.Phone, trainee.Email);
        s.Audit(new AuditEntry(actor, "create", "trainee", id.ToString(), new
        {
            source,
            identity = identity.Masked(),
            trainee.GivenNameFa, trainee.FamilyNameFa, trainee.GivenNameLatin, trainee.FamilyNameLatin,
            trainee.BirthDate, gender = EnumText.ToText(trainee.Gender), trainee.TargetGroups, createdByCenterId = centerId,
        }));
        return id;
    }

    private (Guid id, string? nationalIdHash, string? nationalIdEnc, string? passportHash, string? passportEnc, string? nationality,
        string givenNameFa, string familyNameFa, string givenNameLatin, string familyNameLatin, DateOnly birthDate, string gender,
        string? phone, string? email, string searchText, DateTimeOffset now) Parameters(Guid id, ValidTrainee t, TraineeIdentity identity, DateTimeOffset now)
    {
        var (nationalIdHash, nationalIdEnc, passportHash, passportEnc) = Protect(identity);
        return (id, nationalIdHash, nationalIdEnc, passportHash, passportEnc, identity.Nationality, t.GivenNameFa, t.FamilyNameFa,
            t.GivenNameLatin, t.FamilyNameLatin, t.BirthDate, EnumText.ToText(t.Gender), t.Phone, t.Email, t.SearchText(), now);
    }

    /// <summary>Names, birth date and gender: what a center may change only while it is the person's sole center.</summary>
    private static List<string> PersonalFieldsChanged(TraineeRow before, ValidTrainee after)
    {
        var changed = new List<string>();
        if (before.GivenNameFa != after.GivenNameFa) changed.Add("givenNameFa");
        if (before.FamilyNameFa != after.FamilyNameFa) changed.Add("familyNameFa");
        if (before.GivenNameLatin != after.GivenNameLatin) changed.Add("givenNameLatin");
        if (before.FamilyNameLatin != after.FamilyNameLatin) changed.Add("familyNameLatin");
        if (before.BirthDate != after.BirthDate) changed.Add("birthDate");
        if (before.Gender != EnumText.ToText(after.Gender)) changed.Add("gender");
        return changed;
    }

    private static List<string> ChangedFields(TraineeRow before, TraineeIdentity beforeIdentity, ValidTrainee after, TraineeIdentity identity, bool targetGroupsChanged)
    {
        var changed = new List<string>();
        if (identity != beforeIdentity) changed.Add("identity");
        changed.AddRange(PersonalFieldsChanged(before, after));
        if (targetGroupsChanged) changed.Add("targetGroups");
        if (before.Phone != after.Phone) changed.Add("phone");
        if (before.Email != after.Email) changed.Add("email");
        return changed;
    }

    private static RequestRejectedException Invalid(ValidationErrors errors)
    {
        var dictionary = errors.ToDictionary();
        return new RequestRejectedException(400, "Validation failed",
            "The trainee has invalid fields: " + string.Join(", ", dictionary.Keys) + ". See errors for each field.", dictionary);
    }

    private static string Prefixed(string prefix, string field) => prefix.Length == 0 ? field : prefix + "." + field;
}
