using SkillsRegistry.Api.Features.Reference;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.Partners;

/// <summary>
/// Partner agencies, their sectors and their agreement's history. Other features ask here whether an agency exists and
/// what its agreement allows (<see cref="ExistsAsync"/>, <see cref="FindAgreementAsync(DbSession, Guid)"/>).
/// </summary>
public sealed class PartnerRepository(Db db, ReferenceDataRepository reference, TimeProvider clock)
{
    public const string AuditEntity = "partner-agency";

    private const string Columns = """
        id AS Id, code AS Code, name_en AS NameEn, name_fa AS NameFa, country AS Country, status AS Status,
        agreement_signed_on AS AgreementSignedOn, agreement_ends_on AS AgreementEndsOn, note AS Note,
        row_version AS RowVersion, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string SelectById = $"SELECT {Columns} FROM partner_agencies WHERE id = @id";
    private const string SelectVersion = "SELECT row_version FROM partner_agencies WHERE id = @id";
    private const string SelectSectors = "SELECT sector_code FROM partner_sectors WHERE partner_id = @id ORDER BY sector_code";
    private const string SelectExtensions = """
        SELECT id AS Id, previous_ends_on AS PreviousEndsOn, new_ends_on AS NewEndsOn, reason AS Reason, recorded_at AS RecordedAt
        FROM partner_agreement_extensions WHERE partner_id = @id ORDER BY recorded_at, id
        """;

    private const string SelectExists = "SELECT COUNT(*) FROM partner_agencies WHERE id = @id";
    private const string SelectExistingIds = "SELECT id FROM partner_agencies WHERE id IN @ids";
    private const string SelectExtensionSteps =
        "SELECT recorded_at AS RecordedAt, previous_ends_on AS PreviousEndsOn FROM partner_agreement_extensions WHERE partner_id = @id";

    private const string Filter = """
        (@Status IS NULL OR status = @Status)
        AND (@Sector IS NULL OR EXISTS (SELECT 1 FROM partner_sectors ps WHERE ps.partner_id = partner_agencies.id AND ps.sector_code = @Sector))
        AND (@Country IS NULL OR country = @Country)
        AND (@Pattern IS NULL OR search_text LIKE @Pattern ESCAPE '\')
        AND (@OnlyId IS NULL OR id = @OnlyId)
        """;
    private const string PageIds = $"SELECT id FROM partner_agencies WHERE {Filter} ORDER BY code LIMIT @Limit OFFSET @Offset";
    private const string SelectPage = $"SELECT {Columns} FROM partner_agencies WHERE {Filter} ORDER BY code LIMIT @Limit OFFSET @Offset";
    private const string SelectCount = $"SELECT COUNT(*) FROM partner_agencies WHERE {Filter}";
    // The sectors of the same page, in one query: the page's id query nested as a subquery.
    private const string SelectPageSectors = $"SELECT partner_id AS PartnerId, sector_code AS SectorCode FROM partner_sectors WHERE partner_id IN ({PageIds}) ORDER BY sector_code";

    private const string InsertPartner = """
        INSERT INTO partner_agencies (id, code, name_en, name_fa, country, status, agreement_signed_on, agreement_ends_on,
                                      note, search_text, row_version, created_at, updated_at)
        VALUES (@Id, @Code, @NameEn, @NameFa, @Country, @Status, @AgreementSignedOn, @AgreementEndsOn,
                @Note, @SearchText, 1, @Now, @Now)
        """;
    private const string InsertSector = "INSERT INTO partner_sectors (partner_id, sector_code) VALUES (@id, @sector)";
    private const string DeleteSectors = "DELETE FROM partner_sectors WHERE partner_id = @id";
    private const string UpdatePartner = """
        UPDATE partner_agencies
        SET name_en = @NameEn, name_fa = @NameFa, country = @Country, status = @Status, note = @Note,
            search_text = @SearchText, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected
        """;
    private const string UpdateAgreementEnd = """
        UPDATE partner_agencies SET agreement_ends_on = @NewEndsOn, updated_at = @Now, row_version = row_version + 1
        WHERE id = @Id AND row_version = @Expected
        """;
    private const string InsertExtension = """
        INSERT INTO partner_agreement_extensions (id, partner_id, previous_ends_on, new_ends_on, reason, recorded_at, recorded_by_key_id)
        VALUES (@Id, @PartnerId, @PreviousEndsOn, @NewEndsOn, @Reason, @Now, @KeyId)
        """;

    private sealed class PartnerRow
    {
        public Guid Id { get; set; }
        public string Code { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string NameFa { get; set; } = "";
        public string Country { get; set; } = "";
        public string Status { get; set; } = "";
        public DateOnly? AgreementSignedOn { get; set; }
        public DateOnly? AgreementEndsOn { get; set; }
        public string? Note { get; set; }
        public long RowVersion { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        public PartnerAgreement Agreement(IReadOnlyList<string> sectors) => new(Id, Code, Status, AgreementSignedOn, AgreementEndsOn, sectors);
    }

    private sealed record SectorRow(Guid PartnerId, string SectorCode);

    private DateOnly Today => RegistryCalendar.Today(clock);

    // ---- For other features, inside their own session ----

    /// <summary>Whether a partner agency has this id: the one existence check for references to an agency.</summary>
    public static async Task<bool> ExistsAsync(DbSession s, Guid id) => await s.ExecuteScalarAsync<long>(SelectExists, new { id }) > 0;

    /// <summary>As <see cref="ExistsAsync"/> for many ids in one statement: those of them that name a partner agency.</summary>
    public static async Task<HashSet<Guid>> ExistingAsync(DbSession s, IEnumerable<Guid> ids) =>
        (await s.QueryInAsync<Guid, Guid>(SelectExistingIds, "ids", ids)).ToHashSet();

    /// <summary>The agency's agreement (status, dates, sectors); null when no agency has the id (for a key: it no longer exists).</summary>
    public static async Task<PartnerAgreement?> FindAgreementAsync(DbSession s, Guid partnerId)
    {
        var row = await s.QuerySingleOrDefaultAsync<PartnerRow>(SelectById, new { id = partnerId });
        return row?.Agreement((await s.QueryAsync<string>(SelectSectors, new { id = partnerId })).ToList());
    }

    /// <summary>The extensions of an agreement (when recorded, and the end date each replaced), for <see cref="PartnerAgreement.InForceAt"/>.</summary>
    public static async Task<IReadOnlyList<AgreementExtensionStep>> AgreementExtensionsAsync(DbSession s, Guid partnerId) =>
        (await s.QueryAsync<AgreementExtensionStep>(SelectExtensionSteps, new { id = partnerId })).ToList();

    // ---- reads ----

    public Task<PartnerAgreement?> FindAgreementAsync(Guid partnerId, CancellationToken ct) => db.ReadAsync(s => FindAgreementAsync(s, partnerId), ct);

    /// <summary>One partner agency with its sectors and extension history, inside the caller's session.</summary>
    public async Task<VersionedPartner?> GetAsync(DbSession s, Guid id)
    {
        var row = await s.QuerySingleOrDefaultAsync<PartnerRow>(SelectById, new { id });
        if (row is null) return null;
        var sectors = (await s.QueryAsync<string>(SelectSectors, new { id })).ToList();
        var extensions = (await s.QueryAsync<AgreementExtensionDto>(SelectExtensions, new { id })).ToList();
        var dto = new PartnerDto(row.Id, row.Code, row.NameEn, row.NameFa, row.Country, sectors,
            row.AgreementSignedOn, row.AgreementEndsOn, EnumText.Parse<PartnerStatus>(row.Status), row.Agreement(sectors).InForceOn(Today),
            row.Note, extensions, row.CreatedAt, row.UpdatedAt);
        return new VersionedPartner(dto, row.RowVersion);
    }

    public Task<VersionedPartner?> GetAsync(Guid id, CancellationToken ct) => db.ReadAsync(s => GetAsync(s, id), ct);

    public Task<Page<PartnerSummaryDto>> ListAsync(PartnerFilter filter, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            var args = new
            {
                Status = filter.Status is { } st ? EnumText.ToText(st) : null, filter.Sector, filter.Country,
                Pattern = string.IsNullOrWhiteSpace(filter.Query) ? null : PersianText.ContainsPattern(filter.Query),
                filter.OnlyId, Limit = size, Offset = offset,
            };
            var rows = (await s.QueryAsync<PartnerRow>(SelectPage, args)).ToList();
            var total = await s.ExecuteScalarAsync<long>(SelectCount, args);
            List<SectorRow> sectorRows = rows.Count == 0 ? [] : (await s.QueryAsync<SectorRow>(SelectPageSectors, args)).ToList();
            var sectors = sectorRows.ToLookup(x => x.PartnerId, x => x.SectorCode);
            var today = Today;
            var items = rows.Select(r =>
            {
                var codes = sectors[r.Id].ToList();
                return new PartnerSummaryDto(r.Id, r.Code, r.NameEn, r.NameFa, r.Country, codes, r.AgreementSignedOn, r.AgreementEndsOn,
                    EnumText.Parse<PartnerStatus>(r.Status), r.Agreement(codes).InForceOn(today));
            }).ToList();
            return new Page<PartnerSummaryDto>(items, page, size, total);
        }, ct);

    // ---- writes ----

    public Task<Outcome<VersionedPartner>> CreateAsync(NewPartner p, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<VersionedPartner>(async s =>
        {
            if (await RefuseUnknownSectorsAsync(s, p.Sectors) is { } unknown) return unknown;
            var id = Guid.CreateVersion7();
            var row = new
            {
                Id = id, p.Code, p.NameEn, p.NameFa, p.Country, Status = EnumText.ToText(p.Status), p.AgreementSignedOn, p.AgreementEndsOn,
                p.Note, SearchText = PersianText.SearchText(p.Code, p.NameFa, p.NameEn), Now = clock.GetUtcNow(),
            };
            if (await s.TryExecuteAsync(InsertPartner, row) == ConstraintViolation.Unique)
                return Rejection.Conflict($"A partner agency with code '{p.Code}' already exists.");
            foreach (var sector in p.Sectors) await s.ExecuteAsync(InsertSector, new { id, sector });
            s.Audit(new AuditEntry(actor, "create", AuditEntity, id.ToString(), new
            {
                p.Code, p.NameEn, p.NameFa, p.Country, p.Sectors, p.AgreementSignedOn, p.AgreementEndsOn, row.Status, p.Note,
            }));
            return (await GetAsync(s, id))!;
        }, ct);

    public Task<Outcome<VersionedPartner>> UpdateAsync(Guid id, PartnerChanges c, long expected, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<VersionedPartner>(async s =>
        {
            var current = await LockVersionAsync(s, id);
            if (current is null) return NotFound(id);
            if (current != expected) return Rejection.Stale(current.Value);
            if (await RefuseUnknownSectorsAsync(s, c.Sectors) is { } unknown) return unknown;
            var code = (await s.QuerySingleAsync<PartnerRow>(SelectById, new { id })).Code;
            var changed = await s.ExecuteAsync(UpdatePartner, new
            {
                Id = id, c.NameEn, c.NameFa, c.Country, Status = EnumText.ToText(c.Status), c.Note,
                SearchText = PersianText.SearchText(code, c.NameFa, c.NameEn), Now = clock.GetUtcNow(), Expected = expected,
            });
            if (changed == 0) return Rejection.Stale(current.Value);
            await s.ExecuteAsync(DeleteSectors, new { id });
            foreach (var sector in c.Sectors) await s.ExecuteAsync(InsertSector, new { id, sector });
            s.Audit(new AuditEntry(actor, "update", AuditEntity, id.ToString(), new
            {
                c.NameEn, c.NameFa, c.Country, c.Sectors, Status = EnumText.ToText(c.Status), c.Note,
            }));
            return (await GetAsync(s, id))!;
        }, ct);

    /// <summary>
    /// Moves the agreement's end date later (or makes it open-ended), keeping the previous end date as history.
    /// Shortening, or "extending" an open-ended agreement, is refused (unprocessable).
    /// </summary>
    public Task<Outcome<VersionedPartner>> ExtendAgreementAsync(Guid id, DateOnly? newEndsOn, string reason, long expected, Caller actor, CancellationToken ct) =>
        db.TryWriteAsync<VersionedPartner>(async s =>
        {
            var current = await LockVersionAsync(s, id);
            if (current is null) return NotFound(id);
            if (current != expected) return Rejection.Stale(current.Value);
            var row = await s.QuerySingleAsync<PartnerRow>(SelectById, new { id });
            var previous = row.AgreementEndsOn;
            if (previous is null)
                return Rejection.UnprocessableField("newEndsOn", "The agreement is already open-ended; there is nothing to extend.");
            if (newEndsOn is { } next && next <= previous)
                return Rejection.UnprocessableField("newEndsOn", $"Must be after the current end date {previous:yyyy-MM-dd}; an extension cannot shorten the agreement.");
            var now = clock.GetUtcNow();
            var changed = await s.ExecuteAsync(UpdateAgreementEnd, new { Id = id, NewEndsOn = newEndsOn, Now = now, Expected = expected });
            if (changed == 0) return Rejection.Stale(current.Value);
            var extensionId = Guid.CreateVersion7();
            await s.ExecuteAsync(InsertExtension, new
            {
                Id = extensionId, PartnerId = id, PreviousEndsOn = previous, NewEndsOn = newEndsOn, Reason = reason, Now = now, actor.KeyId,
            });
            s.Audit(new AuditEntry(actor, "extend-agreement", AuditEntity, id.ToString(), new
            {
                extensionId, previousEndsOn = previous, newEndsOn, reason,
            }));
            return (await GetAsync(s, id))!;
        }, ct);

    public static Rejection NotFound(Guid id) => Rejection.NotFound($"No partner agency has id {id}.");

    private static async Task<long?> LockVersionAsync(DbSession s, Guid id) =>
        await s.QuerySingleOrDefaultAsync<long?>(SelectVersion + s.Dialect.ForUpdate, new { id });

    private async Task<Rejection?> RefuseUnknownSectorsAsync(DbSession s, IReadOnlyList<string> sectors)
    {
        var unknown = await reference.UnknownSectorsAsync(s, sectors);
        return unknown.Count == 0 ? null
            : Rejection.InvalidField("sectors", $"Unknown sector code(s): {string.Join(", ", unknown)}. See ListSectors.");
    }
}
