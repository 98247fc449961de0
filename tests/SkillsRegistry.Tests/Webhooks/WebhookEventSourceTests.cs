using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using static SkillsRegistry.Tests.Support.RegistryWorlds;

namespace SkillsRegistry.Tests.Webhooks;

/// <summary>Each announced change writes its event in its own transaction, with the subject fields used for authorization.</summary>
public sealed class WebhookEventSourceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private sealed class EventRow
    {
        public string Type { get; init; } = "";
        public Guid? CenterId { get; init; }
        public string? SectorCode { get; init; }
        public string Payload { get; init; } = "";
    }

    private static async Task<List<EventRow>> EventsAboutAsync(RegistryApp app, Guid id) =>
        (await app.Db.ReadAsync(s => s.QueryAsync<EventRow>(
            "SELECT type AS Type, center_id AS CenterId, sector_code AS SectorCode, payload AS Payload FROM outbox_events WHERE payload LIKE @pattern ORDER BY occurred_at, id",
            new { pattern = "%" + id + "%" }))).ToList();

    [Theory, OnSqlite, OnPostgres]
    public async Task Issuing_revoking_and_correcting_certificates_enqueue_their_events(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var revokedId = (await app.IssueCertificateAsync(world, "src-revoke")).CertificateId;
        var correctedId = (await app.IssueCertificateAsync(world, "src-correct")).CertificateId;
        var admin = await app.AdminClientAsync();
        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{revokedId}/revoke", new { reasonCode = "fraud", reason = "forged papers" })).ReadJsonAsync();
        var replacement = await (await admin.PostAsJsonAsync($"/api/v1/certificates/{correctedId}/corrections",
            new { reason = "Score mistyped", theoryScore = 93 })).ReadJsonAsync(System.Net.HttpStatusCode.Created);
        var replacementId = replacement.GetProperty("id").GetGuid();

        var revokedEvents = (await EventsAboutAsync(app, revokedId)).Where(e => IsAbout(e, revokedId)).ToList();
        Assert.Equal(["certificate.issued", "certificate.revoked"], revokedEvents.Select(e => e.Type));
        Assert.All(revokedEvents, e => Assert.Equal((world.CenterId, "handicrafts"), (e.CenterId, e.SectorCode)));
        var revocation = JsonDocument.Parse(revokedEvents[1].Payload).RootElement;
        Assert.Equal("revoked", revocation.GetProperty("status").GetString());
        Assert.Equal("fraud", revocation.GetProperty("revocation").GetProperty("reasonCode").GetString());
        Assert.DoesNotContain("forged papers", revokedEvents[1].Payload); // free text stays in the registry

        var superseded = (await EventsAboutAsync(app, correctedId)).Where(e => IsAbout(e, correctedId)).ToList();
        Assert.Equal(["certificate.issued", "certificate.superseded"], superseded.Select(e => e.Type));
        Assert.Equal(replacementId, JsonDocument.Parse(superseded[1].Payload).RootElement.GetProperty("supersededById").GetGuid());
        var reissued = Assert.Single(await EventsAboutAsync(app, replacementId), e => IsAbout(e, replacementId));
        Assert.Equal("certificate.issued", reissued.Type);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Activating_and_superseding_standards_enqueue_their_events_and_a_refused_change_enqueues_none(TestDatabase db)
    {
        var app = await fixture.For(db);
        var standards = app.Service<StandardRepository>();
        var code = "W" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var v1 = await app.InsertStandardAsync(code, 1, "draft", null, null);
        var v2 = await app.InsertStandardAsync(code, 2, "draft", null, null);

        await standards.ActivateAsync(v1, new DateOnly(2025, 1, 1), 1, Caller.System, default);
        Assert.False((await standards.ActivateAsync(v2, new DateOnly(2025, 1, 1), 1, Caller.System, default)).Succeeded); // v1 is active
        await standards.SupersedeAsync(v1, v2, true, new DateOnly(2025, 6, 1), 2, Caller.System, default);

        var aboutV1 = (await EventsAboutAsync(app, v1)).Where(e => IsAbout(e, v1)).ToList();
        Assert.Equal(["standard.activated", "standard.superseded"], aboutV1.Select(e => e.Type));
        Assert.All(aboutV1, e => Assert.Equal(((Guid?)null, "handicrafts"), (e.CenterId, e.SectorCode)));
        Assert.Equal(v2, JsonDocument.Parse(aboutV1[1].Payload).RootElement.GetProperty("supersededBy").GetProperty("id").GetGuid());
        var aboutV2 = (await EventsAboutAsync(app, v2)).Where(e => IsAbout(e, v2)).ToList();
        Assert.Equal(["standard.activated"], aboutV2.Select(e => e.Type)); // once: the refused activation left nothing
        Assert.Equal("2025-06-01", JsonDocument.Parse(aboutV2[0].Payload).RootElement.GetProperty("effectiveFrom").GetString());
    }

    /// <summary>The event's subject is <paramref name="id"/> (not merely a certificate or standard it links to).</summary>
    private static bool IsAbout(EventRow e, Guid id) => JsonDocument.Parse(e.Payload).RootElement.GetProperty("id").GetGuid() == id;
}
