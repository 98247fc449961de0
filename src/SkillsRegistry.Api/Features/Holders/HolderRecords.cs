using System.Text.Json;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Protection;
using SkillsRegistry.Api.Infrastructure.Text;

using static SkillsRegistry.Api.Features.Holders.HolderSql;

namespace SkillsRegistry.Api.Features.Holders;

/// <summary>What a holder reads about themself: their record and who else read it.</summary>
public sealed class HolderRecords(Db db, FieldProtector protector)
{
    private sealed class RecordRow
    {
        public Guid Id { get; init; }
        public string? NationalIdEnc { get; init; }
        public string? PassportNumberEnc { get; init; }
        public string? Nationality { get; init; }
        public string GivenNameFa { get; init; } = "";
        public string FamilyNameFa { get; init; } = "";
        public string GivenNameLatin { get; init; } = "";
        public string FamilyNameLatin { get; init; } = "";
        public DateOnly BirthDate { get; init; }
        public string Gender { get; init; } = "";
    }

    private sealed class ReadRow
    {
        public DateTimeOffset ReadAt { get; init; }
        public string ActorRole { get; init; } = "";
        public string? CenterNameFa { get; init; }
        public string? CenterNameEn { get; init; }
        public string? PartnerNameFa { get; init; }
        public string? PartnerNameEn { get; init; }
        public string? Changes { get; init; }
    }

    private sealed record ReadChanges(string? Operation);

    private static readonly JsonSerializerOptions ChangesJson = new(JsonSerializerDefaults.Web);

    /// <summary>What each audited read operation showed of the person, in words.</summary>
    private static readonly Dictionary<string, (string En, string Fa)> What = new(StringComparer.Ordinal)
    {
        ["GetTrainee"] = ("Your record: identity, birth date and contact details", "پرونده شما: هویت، تاریخ تولد و اطلاعات تماس"),
        ["ListTrainees"] = ("Your record, in a search of trainees", "پرونده شما، در جستجوی کارآموزان"),
        ["ExportTrainees"] = ("Your record, in an export of trainees", "پرونده شما، در خروجی فهرست کارآموزان"),
        ["GetTraineeTranscript"] = ("Your certificates (transcript)", "گواهینامه‌های شما (کارنامه)"),
    };

    public Task<HolderRecordDto?> GetAsync(Guid personId, CancellationToken ct) =>
        db.ReadAsync(async s => await s.QuerySingleOrDefaultAsync<RecordRow>(SelectRecord, new { personId }) is { } r
            ? new HolderRecordDto(r.Id, r.GivenNameFa, r.FamilyNameFa, r.GivenNameLatin, r.FamilyNameLatin, r.BirthDate, r.Gender, r.Nationality,
                MaskedOrNull(r.NationalIdEnc, TraineeRow.NationalIdPurpose), MaskedOrNull(r.PassportNumberEnc, TraineeRow.PassportPurpose))
            : null, ct);

    public Task<Page<PersonalDataReadDto>> ReadsAsync(Guid personId, int page, int size, int offset, CancellationToken ct) =>
        db.ReadAsync(async s =>
        {
            var rows = await s.QueryAsync<ReadRow>(SelectReads, new { personId, limit = size, offset });
            var total = await s.ExecuteScalarAsync<long>(CountReads, new { personId });
            return new Page<PersonalDataReadDto>(rows.Select(ToDto).ToList(), page, size, total);
        }, ct);

    private string? MaskedOrNull(string? stored, string purpose) => stored is null ? null : Masking.Identifier(protector.Decrypt(stored, purpose));

    private static PersonalDataReadDto ToDto(ReadRow r)
    {
        var operation = r.Changes is null ? null : JsonSerializer.Deserialize<ReadChanges>(r.Changes, ChangesJson)?.Operation;
        var (whatEn, whatFa) = operation is not null && What.TryGetValue(operation, out var words) ? words : ("Your personal data", "اطلاعات شخصی شما");
        return r.ActorRole switch
        {
            "center" => new(r.ReadAt, ReaderKind.Center, r.CenterNameFa ?? "", r.CenterNameEn ?? "", whatEn, whatFa),
            "partner" => new(r.ReadAt, ReaderKind.Partner, r.PartnerNameFa ?? "", r.PartnerNameEn ?? "", whatEn, whatFa),
            _ => new(r.ReadAt, ReaderKind.Registry, "اداره سامانه ملی ثبت گواهینامه‌های مهارت", "The registry's administration", whatEn, whatFa),
        };
    }
}
