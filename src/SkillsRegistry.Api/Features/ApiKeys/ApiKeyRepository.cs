using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Audit;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Outcomes;

namespace SkillsRegistry.Api.Features.ApiKeys;

public sealed record NewApiKey(string Name, ApiKeyRole Role, Guid? CenterId, Guid? PartnerId, DateTimeOffset? ExpiresAt);

public sealed class ApiKeyRepository(Db db, TimeProvider clock)
{
    private const string Columns = """
        id AS Id, name AS Name, role AS Role, prefix AS Prefix, center_id AS CenterId, partner_id AS PartnerId,
        created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt
        """;

    private const string InsertKey = """
        INSERT INTO api_keys (id, prefix, hash, name, role, center_id, partner_id, created_at, expires_at, created_by_key_id)
        VALUES (@Id, @Prefix, @Hash, @Name, @Role, @CenterId, @PartnerId, @CreatedAt, @ExpiresAt, @CreatedBy)
        """;

    private const string SelectPage = $"SELECT {Columns} FROM api_keys ORDER BY created_at DESC, id LIMIT @Limit OFFSET @Offset";
    private const string SelectById = $"SELECT {Columns} FROM api_keys WHERE id = @id";
    private const string SelectCenterCount = "SELECT COUNT(*) FROM training_centers WHERE id = @centerId";
    private const string SelectKeyCount = "SELECT COUNT(*) FROM api_keys";
    private const string RevokeKey = "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL";

    public async Task<Outcome<CreatedApiKeyDto>> CreateAsync(NewApiKey request, Caller actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.TryWriteAsync<CreatedApiKeyDto>(async s =>
        {
            if (request.CenterId is { } centerId && await s.ExecuteScalarAsync<long>(SelectCenterCount, new { centerId }) == 0)
                return Rejection.UnprocessableField("centerId", $"No training center has id {centerId}.");
            if (request.PartnerId is { } partnerId && !await PartnerRepository.ExistsAsync(s, partnerId))
                return Rejection.UnprocessableField("partnerId", $"No partner agency has id {partnerId}.");
            // A prefix collision (48 random bits) is astronomically rare; a fresh key settles it.
            while (true)
            {
                var secret = ApiKeySecret.Generate();
                var row = new
                {
                    Id = Guid.CreateVersion7(), Prefix = ApiKeySecret.PrefixOf(secret),
                    Hash = Convert.ToHexStringLower(ApiKeySecret.Hash(secret)), request.Name, Role = EnumText.ToText(request.Role),
                    request.CenterId, request.PartnerId, CreatedAt = now, request.ExpiresAt, CreatedBy = actor.KeyId,
                };
                if (await s.TryExecuteAsync(InsertKey, row) == ConstraintViolation.Unique) continue;
                s.Audit(new AuditEntry(actor, "create", "api-key", row.Id.ToString(),
                    new { request.Name, row.Role, request.CenterId, request.PartnerId, request.ExpiresAt, row.Prefix }));
                var dto = new ApiKeyDto(row.Id, request.Name, request.Role, row.Prefix, request.CenterId, request.PartnerId, now, request.ExpiresAt, null);
                return new CreatedApiKeyDto(dto, secret);
            }
        }, ct);
    }

    public async Task<Page<ApiKeyDto>> ListAsync(int page, int size, int offset, CancellationToken ct) =>
        await db.ReadAsync(async s =>
        {
            var rows = await s.QueryAsync<ApiKeyRow>(SelectPage, new { Limit = size, Offset = offset });
            var total = await s.ExecuteScalarAsync<long>(SelectKeyCount);
            return new Page<ApiKeyDto>(rows.Select(r => r.ToDto()).ToList(), page, size, total);
        }, ct);

    /// <summary>Revokes a key; revoking a revoked key changes nothing and returns it as it is.</summary>
    public async Task<ApiKeyDto?> RevokeAsync(Guid id, Caller actor, CancellationToken ct) =>
        await db.WriteAsync(async s =>
        {
            var changed = await s.ExecuteAsync(RevokeKey, new { id, now = clock.GetUtcNow() });
            if (changed == 1) s.Audit(new AuditEntry(actor, "revoke", "api-key", id.ToString()));
            var row = await s.QuerySingleOrDefaultAsync<ApiKeyRow>(SelectById, new { id });
            return row?.ToDto();
        }, ct);
}
