using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.ComponentModel.DataAnnotations;
using SkillsRegistry.Api.Infrastructure.Auth;

namespace SkillsRegistry.Api.Features.ApiKeys;

public sealed record CreateApiKeyRequest(
    [property: Required, MaxLength(100)] string? Name, [property: Required, OneOf(typeof(ApiKeyRole))] string? Role,
    Guid? CenterId, Guid? PartnerId, DateTimeOffset? ExpiresAt);

/// <summary>An API key as listed: never the secret, only its non-secret prefix.</summary>
public sealed record ApiKeyDto(
    Guid Id, string Name, ApiKeyRole Role, string Prefix, Guid? CenterId, Guid? PartnerId,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>Returned once, at creation. The <c>Key</c> cannot be recovered later: store it now.</summary>
public sealed record CreatedApiKeyDto(ApiKeyDto ApiKey, string Key);

internal sealed record ApiKeyRow(
    Guid Id, string Name, string Role, string Prefix, Guid? CenterId, Guid? PartnerId,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public ApiKeyDto ToDto() => new(Id, Name, Infrastructure.Text.EnumText.Parse<ApiKeyRole>(Role), Prefix, CenterId, PartnerId, CreatedAt, ExpiresAt, RevokedAt);
}
