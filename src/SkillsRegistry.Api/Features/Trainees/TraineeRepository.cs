using SkillsRegistry.Api.Infrastructure;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>Filters of the trainee list; all optional, already validated and normalised.</summary>
public sealed record TraineeQuery(
    string? NationalId = null, string? PassportNumber = null, string? Nationality = null,
    string? Q = null, string? TargetGroup = null, TraineeGender? Gender = null);

public enum TraineeWriteStatus { Done, NotFound, Stale, IdentityTaken }

/// <summary>
/// The result of a create or update. <c>IdentityTaken</c>: another trainee already holds the identity
/// (<c>ExistingId</c>); <c>ExistingVisible</c> says whether the caller may be told which one.
/// </summary>
public sealed record TraineeWriteOutcome(
    TraineeWriteStatus Status, TraineeDto? Trainee = null, long CurrentVersion = 0, Guid? ExistingId = null, bool ExistingVisible = false);

/// <summary>
/// Trainees: one person, one record. Visibility: admin (and the system) see everyone; a center sees the trainees in
/// <c>center_trainees</c> for it (those it created and those it assessed).
/// </summary>
public sealed class TraineeRepository(Db db, TimeProvider clock)
{
    private const string Columns = """
        t.id AS Id, t.national_id AS NationalId, t.passport_number AS PassportNumber, t.nationality AS Nationality,
        t.given_name_fa AS GivenNameFa, t.family_name_fa AS FamilyNameFa, t.given_name_latin AS GivenNameLatin,
        t.family_name_latin AS FamilyNameLatin, t.birth_date AS BirthDate, t.gender AS Gender, t.phone AS Phone, t.email AS Email,
        t.created_at AS CreatedAt, t.updated_at AS UpdatedAt, t.row_version AS RowVersion
        """;

    /// <summary>@seeAll (bool) for admin/system; otherwise only rows granted to @centerId.</summary>
    private const string VisibleTo = """
        (@seeAll OR EXISTS (SELECT 1 FROM center_trainees ct WHERE ct.trainee_id = t.id AND ct.center_id = @centerId))
        """;

    private const string ListFilter = $"""
        FROM trainees t
        WHERE {VisibleTo}
          AND (@nationalId IS NULL OR t.national_id = @nationalId)
          AND (@passportNumber IS NULL OR (t.passport_number = @passportNumber AND t.nationality = @nationality))
          AND (@pattern IS NULL OR t.search_text LIKE @pattern ESCAPE '\')
          AND (@gender IS NULL OR t.gender = @gender)
          AND (@targetGroup IS NULL OR EXISTS (
                SELECT 1 FROM trainee_target_groups g WHERE g.trainee_id = t.id AND g.target_group_code = @targetGroup))
        """;

    private const string PageOrder = "ORDER BY t.created_at DESC, t.id DESC LIMIT @limit OFFSET @offset";
    private const string SelectPage = $"SELECT {Columns} {ListFilter} {PageOrder}";
    private const string SelectCount = $"SELECT COUNT(*) {ListFilter}";
    private const string SelectVisibleById = $"SELECT {Columns} FROM trainees t WHERE t.id = @id AND {VisibleTo}";
    // Lists are not expanded the same way on both engines (Npgsql takes arrays), so target groups come by id or by page.
    private const string SelectTargetGroupsOfPage = $"""
        SELECT trainee_id AS TraineeId, target_group_code AS Code FROM trainee_target_groups
        WHERE trainee_id IN (SELECT t.id {ListFilter} {PageOrder}) ORDER BY target_group_code
        """;
    private const string SelectTargetGroupsOf = """
        SELECT trainee_id AS TraineeId, target_group_code AS Code FROM trainee_target_groups
        WHERE trainee_id = @id ORDER BY target_group_code
        """;
    private const string SelectIdByNationalId = "SELECT id FROM trainees WHERE national_id = @nationalId";
    private const string SelectIdByPassport = "SELECT id FROM trainees WHERE passport_number = @passportNumber AND nationality = @nationality";
    private const string SelectExists = "SELECT COUNT(*) FROM trainees WHERE id = @id";
    private const string SelectIsGranted = "SELECT COUNT(*) FROM center_trainees WHERE center_id = @centerId AND trainee_id = @traineeId";
    private const string SelectTargetGroupIsActive = "SELECT COUNT(*) FROM target_groups WHERE code = @code AND active = @active";

    private const string InsertTrainee = """
        INSERT INTO trainees (id, national_id, passport_number, nationality, given_name_fa, family_name_fa, given_name_latin,
                              family_name_latin, birth_date, gender, phone, email, created_by_center_id, search_text,
                              row_version, created_at, updated_at)
        VALUES (@id, @nationalId, @passportNumber, @nationality, @givenNameFa, @familyNameFa, @givenNameLatin,
                @familyNameLatin, @birthDate, @gender, @phone, @email, @createdByCenterId, @searchText, 1, @now, @now)
        """;
    private const string InsertTargetGroup = "INSERT INTO trainee_target_groups (trainee_id, target_group_code) VALUES (@traineeId, @code)";
    private const string InsertCenterTrainee = """
        INSERT INTO center_trainees (center_id, trainee_id) VALUES (@centerId, @traineeId)
        ON CONFLICT (center_id, trainee_id) DO NOTHING
        """;
    private const string UpdateTrainee = """
        UPDATE trainees SET national_id = @nationalId, passport_number = @passportNumber, nationality = @nationality,
               given_name_fa = @givenNameFa, family_name_fa = @familyNameFa, given_name_latin = @givenNameLatin,
               family_name_latin = @familyNameLatin, birth_date = @birthDate, gender = @gender, phone = @phone, email = @email,
               search_text = @searchText, updated_at = @now, row_version = row_version + 1
        WHERE id = @id AND row_version = @expected
        """;
    private const string DeleteTargetGroups = "DELETE FROM trainee_target_groups WHERE trainee_id = @traineeId";

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
                seeAll, centerId, nationalId = query.NationalId, passportNumber = query.PassportNumber, nationality = query.Nationality,
                pattern = string.IsNullOrWhiteSpace(query.Q) ? null : PersianText.ContainsPattern(query.Q),
                gender = query.Gender is { } g ? EnumText.ToText(g) : null, targetGroup = query.TargetGroup,
                limit = size, offset,
            };
            var rows = (await s.QueryAsync<TraineeRow>(SelectPage, args)).ToList();
            var total = await s.ExecuteScalarAsync<long>(SelectCount, args);
            var groups = rows.Count == 0 ? [] : await s.QueryAsync<TargetGroupRow>(SelectTargetGroupsOfPage, args);
            var byTrainee = groups.ToLookup(g => g.TraineeId, g => g.Code);
            return new Page<TraineeDto>(rows.Select(r => r.ToDto(byTrainee[r.Id].ToList())).ToList(), page, size, total);
        }, ct);

    /// <summary>Creates a trainee, or reports the one that already holds the identity (also when a concurrent create won).</summary>
    public Task<TraineeWriteOutcome> CreateAsync(ValidTrainee trainee, Caller caller, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var identity = trainee.Identity ?? throw new ArgumentException("A new trainee needs an identity.", nameof(trainee));
            if (await FindIdAsync(s, identity) is { } existing)
                return await TakenAsync(s, existing, caller);
            await EnsureTargetGroupsAsync(s, trainee.TargetGroups, "targetGroups");
            var centerId = caller.IsCenter ? caller.CenterId : null;
            var id = await TryInsertAsync(s, trainee, centerId, caller, "api");
            if (id is null)
            {
                // Lost a race with a concurrent create of the same person: same answer as if we had come second.
                existing = await FindIdAsync(s, identity)
                           ?? throw RequestRejectedException.Conflict("A trainee with this identity was registered at the same moment; retry to see it.");
                return await TakenAsync(s, existing, caller);
            }
            return new TraineeWriteOutcome(TraineeWriteStatus.Done, await GetVisibleAsync(s, id.Value, Caller.System));
        }, ct);

    /// <summary>
    /// Replaces names, birth date, gender, target groups and contact. The identity changes only when the input names a
    /// different one, and only for an admin (a correction); a center asking for that gets 403.
    /// </summary>
    public Task<TraineeWriteOutcome> UpdateAsync(Guid id, long expected, ValidTrainee trainee, Caller caller, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var current = await SelectVisibleAsync(s, id, caller);
            if (current is null) return new TraineeWriteOutcome(TraineeWriteStatus.NotFound);
            if (current.RowVersion != expected) return new TraineeWriteOutcome(TraineeWriteStatus.Stale, CurrentVersion: current.RowVersion);

            var before = current.Identity;
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
            await EnsureTargetGroupsAsync(s, trainee.TargetGroups, "targetGroups");
            var groupsBefore = await TargetGroupsOfAsync(s, id);

            var args = Parameters(id, trainee, identity, clock.GetUtcNow());
            var violation = await s.TryExecuteAsync(UpdateTrainee, new
            {
                args.id, args.nationalId, args.passportNumber, args.nationality, args.givenNameFa, args.familyNameFa, args.givenNameLatin,
                args.familyNameLatin, args.birthDate, args.gender, args.phone, args.email, args.searchText, args.now, expected,
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

            await s.ExecuteAsync(DeleteTargetGroups, new { traineeId = id });
            foreach (var code in trainee.TargetGroups) await s.ExecuteAsync(InsertTargetGroup, new { traineeId = id, code });

            var changed = ChangedFields(current, trainee, identity, !groupsBefore.ToHashSet().SetEquals(trainee.TargetGroups));
            s.Audit(new AuditEntry(caller, "update", "trainee", id.ToString(), new
            {
                changed,
                identity = identity.Masked(),
                previousIdentity = identityChanged ? before.Masked() : null,
                trainee.GivenNameFa, trainee.FamilyNameFa, trainee.GivenNameLatin, trainee.FamilyNameLatin,
                trainee.BirthDate, gender = EnumText.ToText(trainee.Gender), trainee.TargetGroups,
            }));
            return new TraineeWriteOutcome(TraineeWriteStatus.Done, await GetVisibleAsync(s, id, Caller.System));
        }, ct);

    // ---- For other features, inside THEIR transaction ----

    /// <summary>
    /// The trainee with this identity, created from the input when there is none. Either way the acting center is granted
    /// visibility (it is assessing the person). Throws <see cref="RequestRejectedException"/> (400/422, fields under
    /// <paramref name="fieldPrefix"/>) when the input is invalid — validate rows with <see cref="TraineeValidation"/> first.
    /// When the person exists, the stored record wins: names in the input are not compared or applied.
    /// </summary>
    public async Task<TraineeMatch> FindOrCreateAsync(DbSession s, TraineeIdentityInput input, Guid actingCenterId, Caller actor, string fieldPrefix = "")
    {
        var errors = new ValidationErrors();
        var identity = TraineeValidation.ValidateIdentity(input, errors, fieldPrefix);
        if (identity is null) throw Invalid(errors);
        if (await FindIdAsync(s, identity) is { } existing)
        {
            await GrantCenterAsync(s, actingCenterId, existing);
            return new TraineeMatch(existing, false);
        }

        var trainee = TraineeValidation.Validate(input, RegistryCalendar.Today(clock), errors, fieldPrefix);
        if (trainee is null) throw Invalid(errors);
        await EnsureTargetGroupsAsync(s, trainee.TargetGroups, Prefixed(fieldPrefix, "targetGroups"));
        var id = await TryInsertAsync(s, trainee, actingCenterId, actor, "assessment");
        if (id is null)
        {
            existing = await FindIdAsync(s, identity)
                       ?? throw RequestRejectedException.Conflict("A trainee with this identity was registered at the same moment; retry.");
            await GrantCenterAsync(s, actingCenterId, existing);
            return new TraineeMatch(existing, false);
        }
        return new TraineeMatch(id.Value, true);
    }

    /// <summary>Lets a center see a trainee (insert-if-absent). True when the grant is new.</summary>
    public async Task<bool> GrantCenterAsync(DbSession s, Guid centerId, Guid traineeId) =>
        await s.ExecuteAsync(InsertCenterTrainee, new { centerId, traineeId }) == 1;

    public async Task<bool> ExistsAsync(DbSession s, Guid id) =>
        await s.ExecuteScalarAsync<long>(SelectExists, new { id }) > 0;

    /// <summary>The trainee holding this (validated, normalised) identity, whoever may see it.</summary>
    public Task<Guid?> FindIdAsync(DbSession s, TraineeIdentity identity) =>
        identity.IsNationalId
            ? s.QuerySingleOrDefaultAsync<Guid?>(SelectIdByNationalId, new { nationalId = identity.NationalId })
            : s.QuerySingleOrDefaultAsync<Guid?>(SelectIdByPassport, new { passportNumber = identity.PassportNumber, nationality = identity.Nationality });

    /// <summary>True for admin/system, and for a center granted this trainee.</summary>
    public async Task<bool> CanSeeAsync(DbSession s, Caller caller, Guid traineeId)
    {
        var (seeAll, centerId) = Visibility(caller);
        return seeAll || await s.ExecuteScalarAsync<long>(SelectIsGranted, new { centerId, traineeId }) > 0;
    }

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

    private static async Task<TraineeDto?> GetVisibleAsync(DbSession s, Guid id, Caller caller)
    {
        var row = await SelectVisibleAsync(s, id, caller);
        return row?.ToDto(await TargetGroupsOfAsync(s, id));
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

    /// <summary>Inserts the trainee, its target groups and (for a center) the center's visibility; audits. Null on a unique violation.</summary>
    private async Task<Guid?> TryInsertAsync(DbSession s, ValidTrainee trainee, Guid? centerId, Caller actor, string source)
    {
        var id = Guid.CreateVersion7();
        var identity = trainee.Identity!;
        var args = Parameters(id, trainee, identity, clock.GetUtcNow());
        var violation = await s.TryExecuteAsync(InsertTrainee, new
        {
            args.id, args.nationalId, args.passportNumber, args.nationality, args.givenNameFa, args.familyNameFa, args.givenNameLatin,
            args.familyNameLatin, args.birthDate, args.gender, args.phone, args.email, createdByCenterId = centerId, args.searchText, args.now,
        });
        if (violation == ConstraintViolation.Unique) return null;
        if (violation != ConstraintViolation.None)
            throw RequestRejectedException.Conflict("The trainee could not be registered: the data breaks a registry rule.");
        foreach (var code in trainee.TargetGroups) await s.ExecuteAsync(InsertTargetGroup, new { traineeId = id, code });
        if (centerId is { } c) await GrantCenterAsync(s, c, id);
        s.Audit(new AuditEntry(actor, "create", "trainee", id.ToString(), new
        {
            source,
            identity = identity.Masked(),
            trainee.GivenNameFa, trainee.FamilyNameFa, trainee.GivenNameLatin, trainee.FamilyNameLatin,
            trainee.BirthDate, gender = EnumText.ToText(trainee.Gender), trainee.TargetGroups, createdByCenterId = centerId,
        }));
        return id;
    }

    private static (Guid id, string? nationalId, string? passportNumber, string? nationality, string givenNameFa, string familyNameFa,
        string givenNameLatin, string familyNameLatin, DateOnly birthDate, string gender, string? phone, string? email, string searchText,
        DateTimeOffset now) Parameters(Guid id, ValidTrainee t, TraineeIdentity identity, DateTimeOffset now) =>
        (id, identity.NationalId, identity.PassportNumber, identity.Nationality, t.GivenNameFa, t.FamilyNameFa, t.GivenNameLatin,
            t.FamilyNameLatin, t.BirthDate, EnumText.ToText(t.Gender), t.Phone, t.Email, t.SearchText(), now);

    private static List<string> ChangedFields(TraineeRow before, ValidTrainee after, TraineeIdentity identity, bool targetGroupsChanged)
    {
        var changed = new List<string>();
        if (identity != before.Identity) changed.Add("identity");
        if (before.GivenNameFa != after.GivenNameFa) changed.Add("givenNameFa");
        if (before.FamilyNameFa != after.FamilyNameFa) changed.Add("familyNameFa");
        if (before.GivenNameLatin != after.GivenNameLatin) changed.Add("givenNameLatin");
        if (before.FamilyNameLatin != after.FamilyNameLatin) changed.Add("familyNameLatin");
        if (before.BirthDate != after.BirthDate) changed.Add("birthDate");
        if (before.Gender != EnumText.ToText(after.Gender)) changed.Add("gender");
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
