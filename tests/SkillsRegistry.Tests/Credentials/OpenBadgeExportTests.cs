using System.Net;
using System.Text.Json;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Credentials;

/// <summary>
/// GET /api/v1/certificates/{id}/ob3. The decoded credential is validated against the OB 3.0 AchievementCredential JSON schema
/// (Credentials/Schemas); the values the registry puts in it are checked field by field.
/// </summary>
public sealed class OpenBadgeExportTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static string Text(JsonElement e, string property)
    {
        Assert.True(e.TryGetProperty(property, out var value), $"missing required '{property}' in {e}");
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(value.GetString()), property);
        return value.GetString()!;
    }

    private static string[] Types(JsonElement e) => e.GetProperty("type").EnumerateArray().Select(t => t.GetString()!).ToArray();

    [Theory, OnSqlite, OnPostgres]
    public async Task A_certificate_exports_as_a_signed_open_badge_with_every_required_field(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync(theoryPassMark: 55, practicalPassMark: 65);
        var nationalId = RegistryWorlds.NewNationalId();
        var (_, certificateId, number) = await app.IssueCertificateAsync(world, nationalId: nationalId);
        var admin = await app.AdminClientAsync();
        var certificate = await (await admin.GetAsync($"/api/v1/certificates/{certificateId}")).ReadJsonAsync();

        var jwt = await admin.GetJwtAsync($"/api/v1/certificates/{certificateId}/ob3");
        Assert.True(await app.VerifiesWithPublishedKeysAsync(jwt));
        Assert.DoesNotContain(nationalId, System.Text.Encoding.UTF8.GetString(CredentialsTestData.FromBase64Url(jwt.Split('.')[1])));
        var (header, vc) = CredentialsTestData.DecodeJws(jwt);
        Assert.Equal("vc+jwt", header.GetProperty("typ").GetString());
        Assert.Empty(OpenBadgeSchema.Violations(vc));

        // Registered JWT claims (RFC 7519) that OB 3.0 verifiers read, each matching the credential's own field.
        Assert.Equal(vc.GetProperty("issuer").GetProperty("id").GetString(), vc.GetProperty("iss").GetString());
        Assert.Equal(vc.GetProperty("id").GetString(), vc.GetProperty("jti").GetString());
        Assert.Equal(vc.GetProperty("credentialSubject").GetProperty("id").GetString(), vc.GetProperty("sub").GetString());
        Assert.EndsWith($"/verify/{number}", vc.GetProperty("sub").GetString());
        Assert.Equal(DateTimeOffset.Parse(vc.GetProperty("validFrom").GetString()!).ToUnixTimeSeconds(), vc.GetProperty("nbf").GetInt64());
        Assert.Equal(DateTimeOffset.Parse(vc.GetProperty("validUntil").GetString()!).ToUnixTimeSeconds(), vc.GetProperty("exp").GetInt64());

        // AchievementCredential
        Assert.Equal(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            vc.GetProperty("@context").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["VerifiableCredential", "OpenBadgeCredential"], Types(vc));
        Assert.StartsWith("urn:uuid:", Text(vc, "id"));
        Assert.Contains(number, Text(vc, "name"));
        Assert.StartsWith(certificate.GetProperty("issuedOn").GetString()!, Text(vc, "validFrom"));
        Assert.StartsWith(certificate.GetProperty("expiresOn").GetString()!, Text(vc, "validUntil"));

        // issuer: Profile
        var issuer = vc.GetProperty("issuer");
        Assert.Equal("http://localhost:5080", Text(issuer, "id"));
        Assert.Equal(["Profile"], Types(issuer));
        Text(issuer, "name");

        // credentialSubject: AchievementSubject with an Achievement
        var subject = vc.GetProperty("credentialSubject");
        Assert.Contains("AchievementSubject", Types(subject));
        foreach (var identifier in subject.GetProperty("identifier").EnumerateArray())
        {
            Assert.Equal("IdentityObject", Text(identifier, "type"));
            Text(identifier, "identityType");
            var hash = Text(identifier, "identityHash");
            if (identifier.GetProperty("hashed").GetBoolean()) Assert.StartsWith("sha256$", hash);
            else Assert.Equal(number, hash);
        }
        var achievement = subject.GetProperty("achievement");
        Assert.Contains("Achievement", Types(achievement));
        Assert.StartsWith("urn:uuid:", Text(achievement, "id"));
        Assert.Equal("Hand-woven carpet weaver", Text(achievement, "name"));
        Assert.Contains("بافنده فرش دستباف", Text(achievement, "description"));
        Assert.Equal("Certificate", Text(achievement, "achievementType"));
        var narrative = Text(achievement.GetProperty("criteria"), "narrative");
        Assert.Contains("60 h theory", narrative);
        Assert.Contains("140 h practical", narrative);
        Assert.Contains("55/100", narrative);
        Assert.Contains("65/100", narrative);
        var alignment = Assert.Single(achievement.GetProperty("alignment").EnumerateArray());
        Assert.Equal(["Alignment"], Types(alignment));
        Assert.Equal("7318", Text(alignment, "targetCode"));
        Assert.True(Uri.IsWellFormedUriString(Text(alignment, "targetUrl"), UriKind.Absolute));
        Text(alignment, "targetName");

        // credentialStatus: the certificate's entry in the revocation status list, the same one its QR token names
        var status = vc.GetProperty("credentialStatus");
        Assert.Equal("BitstringStatusListEntry", Text(status, "type"));
        Assert.Equal("revocation", Text(status, "statusPurpose"));
        var listUrl = Text(status, "statusListCredential");
        var index = Text(status, "statusListIndex");
        Assert.Equal($"{listUrl}#{index}", Text(status, "id"));
        var token = await app.Db.ReadAsync(s => s.ExecuteScalarAsync<string>("SELECT token FROM certificates WHERE id = @certificateId", new { certificateId }));
        var claims = CredentialsTestData.DecodeJws(token!).Payload; // compact token: list id "sl", index "si"
        Assert.Equal(listUrl, $"http://localhost:5080/status/revocation/{claims.GetProperty("sl").GetInt64()}");
        Assert.Equal(int.Parse(index), claims.GetProperty("si").GetInt32());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_schema_check_rejects_an_export_missing_what_ob3_requires(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var certificateId = (await app.IssueCertificateAsync(world)).CertificateId;
        var (_, vc) = CredentialsTestData.DecodeJws(await (await app.AdminClientAsync()).GetJwtAsync($"/api/v1/certificates/{certificateId}/ob3"));

        var broken = System.Text.Json.Nodes.JsonNode.Parse(vc.GetRawText())!.AsObject();
        broken.Remove("validFrom");
        broken["credentialSubject"]!["identifier"]![0]!["identityType"] = "certificate number";
        broken["credentialSubject"]!["achievement"]!.AsObject().Remove("criteria");
        var violations = string.Join("\n", OpenBadgeSchema.Violations(JsonSerializer.SerializeToElement(broken)));

        Assert.Contains("validFrom", violations);
        Assert.Contains("/credentialSubject/identifier/0/identityType", violations);
        Assert.Contains("criteria", violations);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_export_is_visible_to_the_keys_that_see_the_certificate(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var certificateId = (await app.IssueCertificateAsync(world)).CertificateId;
        var url = $"/api/v1/certificates/{certificateId}/ob3";

        await app.ClientWithKey(world.CenterKey).GetJwtAsync(url);
        var otherCenter = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: await app.InsertCenterAsync()));
        await (await otherCenter.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.CreateClient().GetAsync(url)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await (await app.AdminClientAsync()).GetAsync($"/api/v1/certificates/{Guid.NewGuid()}/ob3")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
