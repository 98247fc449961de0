using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Holders;

/// <summary>A holder session reads one person: every /holder route, tried by a second holder with the first one's ids.</summary>
public sealed class HolderIsolationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_second_holder_reaches_nothing_of_the_first_on_any_holder_route(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var first = await app.HolderAsync(world);
        var second = await app.HolderAsync(world);
        var firstShare = await first.ShareAsync(new { certificateIds = new[] { first.Certificates[0].CertificateId }, days = 10 });
        var firstShareId = firstShare.GetProperty("share").GetProperty("id").GetGuid();
        // The first person's data is read by the center, so their read log is not empty.
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(world.CenterKey).GetAsync($"/api/v1/trainees/{first.PersonId}")).StatusCode);
        var theirs = first.Certificates[0].CertificateId;
        var client = second.Client;

        var record = await (await client.GetAsync($"/holder/record?id={first.PersonId}&personId={first.PersonId}&traineeId={first.PersonId}")).ReadJsonAsync();
        Assert.Equal(second.PersonId, record.GetProperty("id").GetGuid());

        var certificates = await (await client.GetAsync($"/holder/certificates?traineeId={first.PersonId}&personId={first.PersonId}")).ReadJsonAsync();
        var numbers = certificates.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("number").GetString()!).ToHashSet();
        Assert.Equal(second.Certificates.Select(c => c.Number).ToHashSet(), numbers);
        Assert.All(certificates.GetProperty("items").EnumerateArray(), c => Assert.Equal(second.PersonId, c.GetProperty("traineeId").GetGuid()));

        foreach (var path in new[] { $"/holder/certificates/{theirs}/pdf", $"/holder/certificates/{theirs}/ob3", $"/holder/certificates/{Guid.NewGuid()}/ob3",
                     $"/holder/shares/{firstShareId}/views", $"/holder/shares/{Guid.NewGuid()}/views" })
            await (await client.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/holder/certificates/{second.Certificates[0].CertificateId}/ob3")).StatusCode);
        var ownPdf = await client.GetAsync($"/holder/certificates/{second.Certificates[0].CertificateId}/pdf");
        Assert.Equal(HttpStatusCode.OK, ownPdf.StatusCode);
        Assert.Equal("application/pdf", ownPdf.Content.Headers.ContentType?.MediaType);

        var reads = await (await client.GetAsync($"/holder/reads?personId={first.PersonId}&traineeId={first.PersonId}")).ReadJsonAsync();
        Assert.Equal(0, reads.GetProperty("total").GetInt64());
        var firstReads = await (await first.Client.GetAsync("/holder/reads")).ReadJsonAsync();
        Assert.True(firstReads.GetProperty("total").GetInt64() > 0);

        var stolen = await client.PostAsJsonAsync("/holder/shares", new { certificateIds = new[] { theirs }, days = 10 });
        Assert.Contains(theirs.ToString(), string.Join(' ', (await stolen.AssertProblemAsync(HttpStatusCode.UnprocessableEntity)).FieldErrors("certificateIds")));
        var mixed = await client.PostAsJsonAsync("/holder/shares", new { certificateIds = new[] { second.Certificates[0].CertificateId, theirs }, days = 10 });
        await mixed.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var shares = await (await client.GetAsync($"/holder/shares?personId={first.PersonId}")).ReadJsonAsync();
        Assert.Equal(0, shares.GetProperty("total").GetInt64()); // neither the first one's share nor a half-made one

        await (await client.PostAsync($"/holder/shares/{firstShareId}/revoke", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        var stillOpen = await (await app.CreateClient().GetAsync($"/api/v1/shares/{HoldersTestData.TokenOf(firstShare)}")).ReadJsonAsync();
        Assert.Equal("active", stillOpen.GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/holder/sessions/current")).StatusCode);
        await (await client.GetAsync("/holder/record")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync("/holder/record")).StatusCode); // ending one session ends only that one
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_holder_token_opens_no_api_route_and_an_api_key_opens_no_holder_route(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world);
        foreach (var path in new[] { $"/api/v1/trainees/{holder.PersonId}", $"/api/v1/certificates/{holder.Certificates[0].CertificateId}",
                     $"/api/v1/trainees/{holder.PersonId}/transcript" })
            await (await holder.Client.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var admin = await app.AdminClientAsync();
        await (await admin.GetAsync("/holder/record")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.CreateClient().GetAsync("/holder/certificates")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var forged = app.HolderClient("srh_" + new string('A', 43));
        await (await forged.GetAsync("/holder/record")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_read_log_names_the_reading_organisation_never_its_key_and_leaves_out_the_holders_own_reads(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var holder = await app.HolderAsync(world);
        await holder.Client.GetAsync("/holder/record");
        await holder.Client.GetAsync("/holder/certificates");
        var before = (await (await holder.Client.GetAsync("/holder/reads")).ReadJsonAsync()).GetProperty("total").GetInt64();
        await app.ClientWithKey(world.CenterKey).GetAsync($"/api/v1/trainees/{holder.PersonId}/transcript");
        var reads = await (await holder.Client.GetAsync("/holder/reads")).ReadJsonAsync();
        Assert.Equal(before + 1, reads.GetProperty("total").GetInt64());
        var latest = reads.GetProperty("items")[0];
        Assert.Equal("center", latest.GetProperty("readerKind").GetString());
        Assert.Equal("Test center", latest.GetProperty("readerNameEn").GetString());
        Assert.Equal("Your certificates (transcript)", latest.GetProperty("whatEn").GetString());
        // When, who (the organisation), what: no key, key name or person.
        Assert.Equal(["readAt", "readerKind", "readerNameEn", "readerNameFa", "whatEn", "whatFa"],
            latest.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
    }
}
