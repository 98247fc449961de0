using SkillsRegistry.Api.Features.Reference;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Problems;

namespace SkillsRegistry.Api.Features.Partners;

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

    // List filters: fixed fragments joined by AND; every value travels as a parameter.
    private const string SelectPageStart = $"SELECT {Columns} FROM partner_agencies WHERE 1 = 1";
    private const string CountStart = "SELECT COUNT(*) FROM partner_agencies WHERE 1 = 1";
    private const string FilterStatus = " AND status = @Status";
    private const string FilterSector = " AND EXISTS (SELECT 1 FROM partner_sectors ps WHERE ps.partner_id = partner_agencies.id AND ps.sector_code = @Sector)";
    private const string FilterCountry = " AND country = @Country";
    private const string FilterQuery = " AND search_text LIKE @Pattern ESCAPE '\\'";
    private const string FilterOnlyId = " AND id = @OnlyId";
    private const string PageOrder = " ORDER BY code LIMIT @Limit OFFSET @Offset";
    // The sectors of the same page, in one query: the page's id query nested as a subquery.
    private const string SelectPageSectorsStart = "SELECT partner_id AS PartnerId, sector_code AS SectorCode FROM partner_sectors WHERE partner_id IN (SELECT id FROM partner_agencies WHERE 1 = 1";
    private const string SelectPageSectorsEnd = ") ORDER BY sector_code";

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

    // ---- reads ----

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
            var where = (filter.Status is null ? "" : FilterStatus) + (filter.Sector is null ? "" : FilterSector)
                + (filter.Country is null ? "" : FilterCountry) + (string.IsNullOrWhiteSpace(filter.Query) ? "" : FilterQuery)
                + (filter.OnlyId is null ? "" : FilterOnlyId);
            var args = new
            {
                Status = filter.Status is { } st ? EnumText.ToText(st) : null, filter.Sector, filter.Country,
                Pattern = string.IsNullOrWhiteSpace(filter.Query) ? null : PersianText.ContainsPattern(filter.Query),
                OnlyId = filter.OnlyId ?? Guid.Empty, Limit = size, Offset = offset,
            };
            var rows = (await s.QueryAsync<PartnerRow>(SelectPageStart + where + PageOrder, args)).ToList();
            var total = await s.ExecuteScalarAsync<long>(CountStart + where, args);
            List<SectorRow> sectorRows = rows.Count == 0 ? []
                : (await s.QueryAsync<SectorRow>(SelectPageSectorsStart + where + PageOrder + SelectPageSectorsEnd, args)).ToList();
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

    public Task<VersionedPartner> CreateAsync(NewPartner p, Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            await RequireSectorsAsync(s, p.Sectors);
            var id = Guid.CreateVersion7();
            var row = new
            {
                Id = id, p.Code, p.NameEn, p.NameFa, p.Country, Status = EnumText.ToText(p.Status), p.AgreementSignedOn, p.AgreementEndsOn,
                p.Note, SearchText = PersianText.SearchText(p.Code, p.NameFa, p.NameEn), Now = clock.GetUtcNow(),
            };
            if (await s.TryExecuteAsync(InsertPartner, row) == ConstraintViolation.Unique)
                throw RequestRejectedException.Conflict($"A partner agency with code '{p.Code}' already exists.");
            foreach (var sector in p.Sectors) await s.ExecuteAsync(InsertSector, new { id, sector });
            s.Audit(new AuditEntry(actor, "create", AuditEntity, id.ToString(), new
            {
                p.Code, p.NameEn, p.NameFa, p.Country, p.Sectors, p.AgreementSignedOn, p.AgreementEndsOn, row.Status, p.Note,
            }));
            return (await GetAsync(s, id))!;
        }, ct);

    public Task<PartnerWrite> UpdateAsync(Guid id, PartnerChanges c, long expected, Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var current = await LockVersionAsync(s, id);
            if (current is null) return new PartnerWrite(PartnerWriteStatus.NotFound, null, 0);
            if (current != expected) return new PartnerWrite(PartnerWriteStatus.Stale, null, current.Value);
            await RequireSectorsAsync(s, c.Sectors);
            var code = (await s.QuerySingleAsync<PartnerRow>(SelectById, new { id })).Code;
            var changed = await s.ExecuteAsync(UpdatePartner, new
            {
                Id = id, c.NameEn, c.NameFa, c.Country, Status = EnumText.ToText(c.Status), c.Note,
                SearchText = PersianText.SearchText(code, c.NameFa, c.NameEn), Now = clock.GetUtcNow(), Expected = expected,
            });
            if (changed == 0) return new PartnerWrite(PartnerWriteStatus.Stale, null, current.Value);
            await s.ExecuteAsync(DeleteSectors, new { id });
            foreach (var sector in c.Sectors) await s.ExecuteAsync(InsertSector, new { id, sector });
            s.Audit(new AuditEntry(actor, "update", AuditEntity, id.ToString(), new
            {
                c.NameEn, c.NameFa, c.Country, c.Sectors, Status = EnumText.ToText(c.Status), c.Note,
            }));
            var updated = (await GetAsync(s, id))!;
            return new PartnerWrite(PartnerWriteStatus.Done, updated, updated.RowVersion);
        }, ct);

    /// <summary>
    /// Moves the agreement's end date later (or makes it open-ended), keeping the previous end date as history.
    /// Shortening, or "extending" an open-ended agreement, is refused (422).
    /// </summary>
    public Task<PartnerWrite> ExtendAgreementAsync(Guid id, DateOnly? newEndsOn, string reason, long expected, Caller actor, CancellationToken ct) =>
        db.WriteAsync(async s =>
        {
            var current = await LockVersionAsync(s, id);
            if (current is null) return new PartnerWrite(PartnerWriteStatus.NotFound, null, 0);
            if (current != expected) return new PartnerWrite(PartnerWriteStatus.Stale, null, current.Value);
            var row = await s.QuerySingleAsync<PartnerRow>(SelectById, new { id });
            var previous = row.AgreementEndsOn;
            if (previous is null)
                throw RequestRejectedException.Field("newEndsOn", "The agreement is already open-ended; there is nothing to extend.");
            if (newEndsOn is { } next && next <= previous)
                throw RequestRejectedException.Field("newEndsOn", $"Must be after the current end date {previous:yyyy-MM-dd}; an extension cannot shorten the agreement.");
            var now = clock.GetUtcNow();
            var changed = await s.ExecuteAsync(UpdateAgreementEnd, new { Id = id, NewEndsOn = newEndsOn, Now = now, Expected = expected });
            if (changed == 0) return new PartnerWrite(PartnerWriteStatus.Stale, null, current.Value);
            var extensionId = Guid.CreateVersion7();
            await s.ExecuteAsync(InsertExtension, new
            {
                Id = extensionId, PartnerId = id, PreviousEndsOn = previous, NewEndsOn = newEndsOn, Reason = reason, Now = now, actor.KeyId,
            });
            s.Audit(new AuditEntry(actor, "extend-agreement", AuditEntity, id.ToString(), new
            {
                extensionId, previousEndsOn = previous, newEndsOn, reason,
            }));
            var updated = (await GetAsync(s, id))!;
            return new PartnerWrite(PartnerWriteStatus.Done, updated, updated.RowVersion);
        }, ct);

    private static async Task<long?> LockVersionAsync(DbSession s, Guid id) =>
        await s.QuerySingleOrDefaultAsync<long?>(SelectVersion + s.Dialect.ForUpdate, new { id });

    private async Task RequireSectorsAsync(DbSession s, IReadOnlyList<string> sectors)
    {
        var unknown = await reference.UnknownSectorsAsync(s, sectors);
        if (unknown.Count > 0)
            throw RequestRejectedException.Field("sectors", $"Unknown sector code(s): {string.Join(", ", unknown)}. See ListSectors.", 400);
    }
}
