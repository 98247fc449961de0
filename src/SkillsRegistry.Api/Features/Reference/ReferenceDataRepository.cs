using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Reference;

/// <summary>A target group with the row version its ETag is made from.</summary>
public sealed record VersionedTargetGroup(TargetGroupDto TargetGroup, long RowVersion);

public sealed class ReferenceDataRepository
{
    private const string SelectProvinces = "SELECT code AS Code, name_en AS NameEn, name_fa AS NameFa FROM provinces ORDER BY code";
    private const string SelectSectors = "SELECT code AS Code, name_en AS NameEn, name_fa AS NameFa FROM sectors ORDER BY code";

    private const string TargetGroupColumns = "code AS Code, name_en AS NameEn, name_fa AS NameFa, active AS Active, row_version AS RowVersion";
    private const string SelectTargetGroups = $"SELECT {TargetGroupColumns} FROM target_groups ORDER BY code";
    private const string SelectActiveTargetGroups = $"SELECT {TargetGroupColumns} FROM target_groups WHERE active = @active ORDER BY code";
    private const string SelectTargetGroup = $"SELECT {TargetGroupColumns} FROM target_groups WHERE code = @code";
    private const string SelectTargetGroupVersion = "SELECT row_version FROM target_groups WHERE code = @code";
    private const string InsertTargetGroup = "INSERT INTO target_groups (code, name_en, name_fa, active, row_version) VALUES (@Code, @NameEn, @NameFa, @Active, 1)";
    private const string UpdateTargetGroup = """
        UPDATE target_groups SET name_en = @NameEn, name_fa = @NameFa, active = @Active, row_version = row_version + 1
        WHERE code = @Code AND row_version = @Expected
        """;

    // The sector list is short, so membership is checked against the whole list.
    private const string SelectSectorCodes = "SELECT code FROM sectors";

    private readonly Db db;

    public ReferenceDataRepository(Db db) => this.db = db;

    private sealed class TargetGroupRow
    {
        public string Code { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string NameFa { get; set; } = "";
        public bool Active { get; set; }
        public long RowVersion { get; set; }

        public VersionedTargetGroup ToVersioned() => new(new TargetGroupDto(Code, NameEn, NameFa, Active), RowVersion);
    }

    // ---- for other features, inside their own transaction ----

    /// <summary>The codes among <paramref name="codes"/> that are not sectors (empty when all exist).</summary>
    public async Task<IReadOnlyList<string>> UnknownSectorsAsync(DbSession s, IReadOnlyCollection<string> codes)
    {
        if (codes.Count == 0) return [];
        var known = (await s.QueryAsync<string>(SelectSectorCodes)).ToHashSet(StringComparer.Ordinal);
        return codes.Where(c => !known.Contains(c)).Distinct().ToList();
    }

    // ---- reads ----

    public Task<IReadOnlyList<ProvinceDto>> ListProvincesAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<ProvinceDto>>(async s => (await s.QueryAsync<ProvinceDto>(SelectProvinces)).ToList(), ct);

    public Task<IReadOnlyList<SectorDto>> ListSectorsAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<SectorDto>>(async s => (await s.QueryAsync<SectorDto>(SelectSectors)).ToList(), ct);

    public Task<IReadOnlyList<TargetGroupDto>> ListTargetGroupsAsync(bool? active, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<TargetGroupDto>>(async s =>
        {
            var rows = active is { } a
                ? await s.QueryAsync<TargetGroupRow>(SelectActiveTargetGroups, new { active = a })
                : await s.QueryAsync<TargetGroupRow>(SelectTargetGroups);
            return rows.Select(r => r.ToVersioned().TargetGroup).ToList();
        }, ct);

    public Task<VersionedTargetGroup?> GetTargetGroupAsync(string code, CancellationToken ct) =>
        db.ReadAsync(async s => (await s.QuerySingleOrDefaultAsync<TargetGroupRow>(SelectTargetGroup, new { code }))?.ToVersioned(), ct);

    // ---- writes (admin) ----

    /// <summary>Adds an active target group; a code already in use is a conflict.</summary>
    public Task<Outcome<VersionedTargetGroup>> CreateTargetGroupAsync(string code, string nameEn, string nameFa, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<VersionedTargetGroup>(async s =>
        {
            var row = new { Code = code, NameEn = nameEn, NameFa = nameFa, Active = true };
            if (await s.TryExecuteAsync(InsertTargetGroup, row) == ConstraintViolation.Unique)
                return Rejection.Conflict($"A target group with code '{code}' already exists.");
            s.Audit(new AuditEntry(actor, "create", "target-group", code, new { code, nameEn, nameFa, active = true }));
            return new VersionedTargetGroup(new TargetGroupDto(code, nameEn, nameFa, true), 1);
        }, ct);

    public Task<Outcome<VersionedTargetGroup>> UpdateTargetGroupAsync(string code, string nameEn, string nameFa, bool active, long expected, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<VersionedTargetGroup>(async s =>
        {
            var current = await s.QuerySingleOrDefaultAsync<long?>(SelectTargetGroupVersion + s.Dialect.ForUpdate, new { code });
            if (current is null) return NoSuchTargetGroup(code);
            var changed = await s.ExecuteAsync(UpdateTargetGroup, new { Code = code, NameEn = nameEn, NameFa = nameFa, Active = active, Expected = expected });
            if (changed == 0) return Rejection.Stale(current.Value);
            s.Audit(new AuditEntry(actor, "update", "target-group", code, new { nameEn, nameFa, active }));
            return (await s.QuerySingleAsync<TargetGroupRow>(SelectTargetGroup, new { code })).ToVersioned();
        }, ct);

    internal static Rejection NoSuchTargetGroup(string code) => Rejection.NotFound($"No target group has code '{code}'.");
}
