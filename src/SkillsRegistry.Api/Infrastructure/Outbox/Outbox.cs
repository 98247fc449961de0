using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Api.Infrastructure.Outbox;

/// <summary>
/// An event about a committed change. <see cref="CenterId"/> and <see cref="SectorCode"/> are the subject fields
/// that decide who may receive it; <see cref="Payload"/> is the event's data as JSON text.
/// </summary>
public sealed record OutboxEvent(Guid Id, string Type, DateTimeOffset OccurredAt, Guid? CenterId, string? SectorCode, string Payload);

/// <summary>
/// The transactional outbox. Features enqueue inside the transaction that makes the change, so an event exists
/// exactly when its change committed; a dispatcher reads undispatched rows later (also after a restart).
/// </summary>
public static class Outbox
{
    // The same shapes as the API's responses: camelCase names, kebab-case enums, numbers as numbers.
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    private static readonly StreamedTable<OutboxEvent> Events = new("outbox_events",
        ("id", "Id"), ("type", "Type"), ("occurred_at", "OccurredAt"), ("center_id", "CenterId"), ("sector_code", "SectorCode"),
        ("payload", "Payload"), StreamedColumn.Null("dispatched_at"));

    private const string SelectUndispatched = """
        SELECT id AS Id, type AS Type, occurred_at AS OccurredAt, center_id AS CenterId, sector_code AS SectorCode, payload AS Payload
        FROM outbox_events WHERE dispatched_at IS NULL ORDER BY occurred_at, id LIMIT @limit
        """;

    private const string UpdateDispatched = "UPDATE outbox_events SET dispatched_at = @now WHERE id = @id";

    /// <summary>Writes an event in the session's transaction; it rolls back with the change. Returns the event id.</summary>
    public static async Task<Guid> EnqueueAsync(DbSession s, string type, DateTimeOffset occurredAt, object data, Guid? centerId, string? sectorCode)
    {
        var id = Guid.CreateVersion7();
        await s.ExecuteAsync(Events.Insert, new
        {
            Id = id, Type = type, OccurredAt = occurredAt, CenterId = centerId, SectorCode = sectorCode,
            Payload = JsonSerializer.Serialize(data, PayloadJson),
        });
        return id;
    }

    /// <summary>An event to enqueue (also with others of the same transaction).</summary>
    public sealed record Pending(string Type, DateTimeOffset OccurredAt, object Data, Guid? CenterId, string? SectorCode);

    public static Task<Guid> EnqueueAsync(DbSession s, Pending e) => EnqueueAsync(s, e.Type, e.OccurredAt, e.Data, e.CenterId, e.SectorCode);

    /// <summary>As <see cref="EnqueueAsync(DbSession, Pending)"/> for many events, streamed (their ids are new: nothing conflicts); returns their ids in order.</summary>
    public static async Task<IReadOnlyList<Guid>> EnqueueManyAsync(DbSession s, IReadOnlyList<Pending> events)
    {
        var rows = events.Select(e => new OutboxEvent(Guid.CreateVersion7(), e.Type, e.OccurredAt, e.CenterId, e.SectorCode,
            JsonSerializer.Serialize(e.Data, PayloadJson))).ToList();
        await s.CopyRowsAsync(Events, rows);
        return rows.Select(r => r.Id).ToList();
    }

    /// <summary>Oldest undispatched events, locked for this transaction (other instances skip them on PostgreSQL).</summary>
    public static async Task<IReadOnlyList<OutboxEvent>> ClaimUndispatchedAsync(DbSession s, int limit) =>
        (await s.QueryAsync<OutboxEvent>(SelectUndispatched + s.Dialect.ForUpdateSkipLocked, new { limit })).ToList();

    public static Task MarkDispatchedAsync(DbSession s, Guid id, DateTimeOffset now) =>
        s.ExecuteAsync(UpdateDispatched, new { id, now });
}
