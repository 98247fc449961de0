using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>A trainee as saved: <c>Linked</c> when a create found the person registered and linked the calling center instead.</summary>
public sealed record TraineeSaved(TraineeDto Trainee, bool Linked);

/// <summary>
/// Registering and correcting trainees: who may do what to a person's record. A center registers people and keeps its own
/// contact details; it links itself to a registered person only by identifying them in full; it changes names, birth date
/// and gender only while it is the person's sole center, and never the identity: those corrections are the registry's
/// (admin), and an admin's correction of a name re-issues the person's valid certificates. Each write is one transaction
/// that rolls back on a rejection; the statements are the <see cref="TraineeRepository"/>'s.
/// </summary>
public sealed class TraineeRegistration(Db db, TraineeRepository trainees, IdentityCorrectionReissuer reissuer)
{
    /// <summary>
    /// Creates a trainee. When the identity is already registered: a center not yet linked to the person is linked when
    /// birth date and family name match too (<c>Linked</c>), and refused with the non-revealing
    /// <see cref="TraineeIdentityMatch.NotConfirmed"/> otherwise; an admin or an already linked center is told the identity
    /// is taken (with the existing record when it may see it).
    /// </summary>
    public Task<Outcome<TraineeSaved>> CreateAsync(ValidTrainee trainee, Caller caller, CancellationToken ct) =>
        db.TryWriteAsync<TraineeSaved>(async s =>
        {
            var identity = trainee.Identity ?? throw new ArgumentException("A new trainee needs an identity.", nameof(trainee));
            if (await trainees.FindIdAsync(s, identity) is { } existing)
                return await ExistingPersonAsync(s, existing, trainee, caller);
            if (await TraineeRepository.CheckTargetGroupsAsync(s, trainee.TargetGroups, "targetGroups") is { } unknown) return unknown;
            var centerId = caller.IsCenter ? caller.CenterId : null;
            var inserted = await trainees.TryInsertAsync(s, trainee, centerId, caller, "api");
            if (inserted.Rejection is { } refused) return refused;
            if (inserted.Value is { } id) return new TraineeSaved((await trainees.GetVisibleAsync(s, id, caller))!, Linked: false);
            // Lost a race with a concurrent create of the same person: same answer as if we had come second.
            if (await trainees.FindIdAsync(s, identity) is not { } raced)
                return Rejection.Conflict("A trainee with this identity was registered at the same moment; retry to see it.");
            return await ExistingPersonAsync(s, raced, trainee, caller);
        }, ct);

    /// <summary>
    /// The person behind another record (a practitioner), under the trainee rules, inside the caller's transaction: a
    /// registered identity counts only when identified in full (identifier, birth date and family name — a center is then
    /// linked as when it registers them), and an unknown identity is registered as a person. One person, one record.
    /// </summary>
    public async Task<Outcome<Guid>> ResolvePersonAsync(DbSession s, ValidTrainee presented, Caller caller, string field, string source)
    {
        var identity = presented.Identity ?? throw new ArgumentException("A person needs an identity.", nameof(presented));
        if (await trainees.FindIdAsync(s, identity) is { } existing) return await ConfirmedPersonAsync(s, existing, presented, caller, field);
        if (await TraineeRepository.CheckTargetGroupsAsync(s, presented.TargetGroups, $"{field}.targetGroups") is { } unknown) return unknown;
        var inserted = await trainees.TryInsertAsync(s, presented, caller.IsCenter ? caller.CenterId : null, caller, source);
        if (inserted.Rejection is { } refused) return refused;
        if (inserted.Value is { } id) return id;
        return await trainees.FindIdAsync(s, identity) is { } raced
            ? await ConfirmedPersonAsync(s, raced, presented, caller, field)
            : Rejection.Conflict("This person was registered at the same moment; retry.");
    }

    private async Task<Outcome<Guid>> ConfirmedPersonAsync(DbSession s, Guid existing, ValidTrainee presented, Caller caller, string field)
    {
        if (caller.IsCenter)
            return await trainees.LinkIfConfirmedAsync(s, existing, presented, caller.CenterId!.Value, caller, field) is { } notConfirmed ? notConfirmed : existing;
        var stored = (await TraineeRepository.SelectVisibleAsync(s, existing, Caller.System))!;
        return TraineeIdentityMatch.Matches(stored.BirthDate, stored.FamilyNameFa, stored.FamilyNameLatin, presented)
            ? existing : TraineeIdentityMatch.NotConfirmed(field);
    }

    private async Task<Outcome<TraineeSaved>> ExistingPersonAsync(DbSession s, Guid existing, ValidTrainee presented, Caller caller)
    {
        if (!caller.IsCenter || await trainees.CanSeeAsync(s, caller, existing)) return await IdentityTakenAsync(s, existing, caller);
        if (await trainees.LinkIfConfirmedAsync(s, existing, presented, caller.CenterId!.Value, caller, "identity") is { } notConfirmed)
            return notConfirmed;
        return new TraineeSaved((await trainees.GetVisibleAsync(s, existing, caller))!, Linked: true);
    }

    /// <summary>
    /// Replaces names, birth date, gender, target groups and contact. Contact details are the caller's own (a center's
    /// link, or the registry's for an admin). The national ID/passport changes only through an admin; names, birth date
    /// and gender of a person linked to more than one center too. An admin's correction of a name re-issues the person's
    /// valid certificates.
    /// </summary>
    public Task<Outcome<TraineeDto>> UpdateAsync(Guid id, long expected, ValidTrainee trainee, Caller caller, CancellationToken ct) =>
        db.TryWriteAsync<TraineeDto>(async s =>
        {
            var current = await TraineeRepository.SelectVisibleAsync(s, id, caller);
            if (current is null) return NotVisible(id);
            if (current.RowVersion != expected) return Rejection.Stale(current.RowVersion);

            var before = trainees.IdentityOf(current);
            var identity = trainee.Identity ?? before;
            var identityChanged = identity != before;
            if (identityChanged)
            {
                if (!caller.IsAdmin) return IdentityCorrectionRefused(identity);
                if (await trainees.FindIdAsync(s, identity) is { } other && other != id) return await IdentityTakenAsync(s, other, caller);
            }
            var personalChanged = PersonalFieldsChanged(current, trainee);
            if (personalChanged.Count > 0 && !caller.IsAdmin && await TraineeRepository.CountCentersAsync(s, id) > 1)
                return SharedPersonRefused(personalChanged);
            if (await TraineeRepository.CheckTargetGroupsAsync(s, trainee.TargetGroups, "targetGroups") is { } unknown) return unknown;
            var groupsBefore = await TraineeRepository.TargetGroupsOfAsync(s, id);

            var violation = await trainees.TryUpdateAsync(s, id, expected, trainee, identity, registryContact: !caller.IsCenter);
            if (violation == ConstraintViolation.Unique)
            {
                var other = await trainees.FindIdAsync(s, identity);
                if (other is { } o && o != id) return await IdentityTakenAsync(s, o, caller);
                return Rejection.Conflict("Another trainee holds this identity.");
            }
            if (violation != ConstraintViolation.None)
                return Rejection.Conflict("The trainee could not be updated: the data breaks a registry rule.");
            var after = await TraineeRepository.SelectVisibleAsync(s, id, Caller.System);
            if (after is null || after.RowVersion != expected + 1) return Rejection.Stale(after?.RowVersion ?? 0);
            if (caller.IsCenter)
                await TraineeRepository.UpdateCenterContactAsync(s, caller.CenterId!.Value, id, trainee.Phone, trainee.Email);
            await TraineeRepository.ReplaceTargetGroupsAsync(s, id, trainee.TargetGroups);

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
            return (await trainees.GetVisibleAsync(s, id, caller))!;
        }, ct);

    public static Rejection NotVisible(Guid id) => Rejection.NotFound($"No trainee with id {id} is visible to this key.");

    /// <summary>Another record holds the identity; it is named (id and location) only when the caller may see it.</summary>
    private async Task<Rejection> IdentityTakenAsync(DbSession s, Guid existing, Caller caller)
    {
        if (!await trainees.CanSeeAsync(s, caller, existing)) return Rejection.Conflict("This person is already registered. Ask the registry.");
        var location = TraineeEndpoints.LocationOf(existing);
        return Rejection.Conflict($"This person is already registered as trainee {existing} ({location}). Use or update that record.",
            new Dictionary<string, object?> { ["existingId"] = existing, ["location"] = location });
    }

    private static Rejection IdentityCorrectionRefused(TraineeIdentity identity) => new(RejectionKind.Forbidden,
        "A training center cannot change a trainee's identity. Ask the registry to correct it, or omit nationalId/passportNumber/nationality to keep it.",
        new Dictionary<string, string[]> { [identity.IsNationalId ? "nationalId" : "passportNumber"] = ["Only the registry (admin) may correct an identity."] });

    private static Rejection SharedPersonRefused(IReadOnlyList<string> fields) => new(RejectionKind.Conflict,
        "This person is known to more than one training center, so their names, birth date and gender change only through the " +
        "registry (admin). Send them unchanged to update your contact details or target groups, and ask the registry to correct the identity.",
        fields.ToDictionary(f => f, _ => new[] { "Changes only through the registry for a person known to several centers." }));

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
}
