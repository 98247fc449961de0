using SkillsRegistry.Api.Features.Webhooks;
using SkillsRegistry.Api.Infrastructure.Auth;

namespace SkillsRegistry.Tests.Webhooks;

/// <summary>Which webhooks a caller may see and manage is decided once, from the caller, before the repository is asked.</summary>
public sealed class WebhookScopeTests
{
    private static readonly Guid CenterA = Guid.CreateVersion7(), CenterB = Guid.CreateVersion7(), PartnerA = Guid.CreateVersion7();

    private static WebhookRow OwnedBy(Guid? centerId = null, Guid? partnerId = null) =>
        new() { Id = Guid.CreateVersion7(), CenterId = centerId, PartnerId = partnerId, OwnerRole = centerId is not null ? "center" : partnerId is not null ? "partner" : "admin" };

    [Fact]
    public void The_registry_manages_every_webhook_and_an_organisation_only_its_own()
    {
        var admin = WebhookScope.Of(new Caller(Guid.CreateVersion7(), ApiKeyRole.Admin, "admin", null, null));
        var centerA = WebhookScope.Of(new Caller(Guid.CreateVersion7(), ApiKeyRole.Center, "center a", CenterA, null));
        var partnerA = WebhookScope.Of(new Caller(Guid.CreateVersion7(), ApiKeyRole.Partner, "partner a", null, PartnerA));
        WebhookRow registrys = OwnedBy(), ofCenterA = OwnedBy(centerId: CenterA), ofCenterB = OwnedBy(centerId: CenterB), ofPartnerA = OwnedBy(partnerId: PartnerA);

        Assert.All([registrys, ofCenterA, ofCenterB, ofPartnerA], w => Assert.True(admin.Contains(w)));
        Assert.Equal([ofCenterA], new[] { registrys, ofCenterA, ofCenterB, ofPartnerA }.Where(centerA.Contains));
        Assert.Equal([ofPartnerA], new[] { registrys, ofCenterA, ofCenterB, ofPartnerA }.Where(partnerA.Contains));
    }

    [Fact]
    public void A_center_key_without_a_center_sees_no_webhook_not_the_registrys()
    {
        var orphan = WebhookScope.Of(new Caller(Guid.CreateVersion7(), ApiKeyRole.Center, "orphan", null, null));
        Assert.False(orphan.Contains(OwnedBy()));
        Assert.False(orphan.Contains(OwnedBy(centerId: CenterA)));
        Assert.False(WebhookScope.Of(new Caller(Guid.CreateVersion7(), ApiKeyRole.Partner, "center as partner", CenterA, null)).Contains(OwnedBy(centerId: CenterA)));
    }
}
