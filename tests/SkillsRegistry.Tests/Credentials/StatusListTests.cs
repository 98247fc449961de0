using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Certificates.Status;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Credentials;

public sealed class StatusListTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static (string ListUrl, int Index) StatusClaimOf(string token)
    {
        var payload = CredentialsTestData.DecodeJws(token).Payload;
        // Compact tokens carry the list id and the index; the list's URL is the issuer's /status/revocation/{id}.
        if (payload.TryGetProperty("sl", out var list))
            return ($"http://localhost:5080/status/revocation/{list.GetInt64()}", payload.GetProperty("si").GetInt32());
        var status = payload.GetProperty("status");
        return (status.GetProperty("list").GetString()!, status.GetProperty("index").GetInt32());
    }

    private static async Task<string> TokenOfAsync(RegistryApp app, Guid certificateId) =>
        await app.Db.ReadAsync(s => s.ExecuteScalarAsync<string>("SELECT token FROM certificates WHERE id = @certificateId", new { certificateId }))
        ?? throw new InvalidOperationException("no token");

    /// <summary>Fetches the list as an outside verifier: anonymous, VC-JWT, decoded base64url → gunzip → bit.</summary>
    private static async Task<bool> RevokedBitAsync(RegistryApp app, string listUrl, int index)
    {
        var jwt = await app.CreateClient().GetJwtAsync(new Uri(listUrl).PathAndQuery);
        var encoded = CredentialsTestData.DecodeJws(jwt).Payload.GetProperty("credentialSubject").GetProperty("encodedList").GetString()!;
        Assert.StartsWith("u", encoded);
        var compressed = CredentialsTestData.FromBase64Url(encoded[1..]);
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var bits = new MemoryStream();
        await gzip.CopyToAsync(bits);
        Assert.Equal(StatusIndexPermutation.Size / 8, bits.Length);
        return (bits.ToArray()[index / 8] & (0x80 >> (index % 8))) != 0;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Revoking_a_certificate_sets_its_bit_in_the_public_status_list(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var revokedId = (await app.IssueCertificateAsync(world)).CertificateId;
        var keptId = (await app.IssueCertificateAsync(world)).CertificateId;
        var (listUrl, index) = StatusClaimOf(await TokenOfAsync(app, revokedId));
        var (keptListUrl, keptIndex) = StatusClaimOf(await TokenOfAsync(app, keptId));
        Assert.StartsWith("http://localhost:5080/status/revocation/", listUrl);
        Assert.False(await RevokedBitAsync(app, listUrl, index));

        var admin = await app.AdminClientAsync();
        await (await admin.PostAsJsonAsync($"/api/v1/certificates/{revokedId}/revoke", new { reasonCode = "fraud", reason = "Forged papers" })).ReadJsonAsync();

        Assert.True(await RevokedBitAsync(app, listUrl, index));
        Assert.False(await RevokedBitAsync(app, keptListUrl, keptIndex));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_superseded_certificate_is_flagged_and_its_replacement_has_its_own_clear_entry(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var oldId = (await app.IssueCertificateAsync(world)).CertificateId;
        var (oldList, oldIndex) = StatusClaimOf(await TokenOfAsync(app, oldId));

        var admin = await app.AdminClientAsync();
        var replacement = await (await admin.PostAsJsonAsync($"/api/v1/certificates/{oldId}/corrections", new { reason = "typo", theoryScore = 91 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var (newList, newIndex) = StatusClaimOf(await TokenOfAsync(app, replacement.GetProperty("id").GetGuid()));

        Assert.True(await RevokedBitAsync(app, oldList, oldIndex), "the superseded certificate's bit stays 0: an offline verifier would accept it");
        Assert.NotEqual((oldList, oldIndex), (newList, newIndex));
        Assert.False(await RevokedBitAsync(app, newList, newIndex));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_status_list_is_a_signed_cacheable_credential_that_verifies_with_the_published_keys(TestDatabase db)
    {
        var app = await fixture.For(db);
        var certificateId = (await app.IssueCertificateAsync(await app.CreateWorldAsync())).CertificateId;
        var (listUrl, _) = StatusClaimOf(await TokenOfAsync(app, certificateId));

        var response = await app.CreateClient().GetAsync(new Uri(listUrl).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        var jwt = await response.Content.ReadAsStringAsync();
        Assert.True(await app.VerifiesWithPublishedKeysAsync(jwt));

        var (header, credential) = CredentialsTestData.DecodeJws(jwt);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("vc+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("https://www.w3.org/ns/credentials/v2", credential.GetProperty("@context")[0].GetString());
        Assert.Equal(["VerifiableCredential", "BitstringStatusListCredential"], credential.GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(listUrl, credential.GetProperty("id").GetString());
        Assert.Equal("http://localhost:5080", credential.GetProperty("issuer").GetString());
        Assert.True(DateTimeOffset.TryParse(credential.GetProperty("validFrom").GetString(), out _));
        var subject = credential.GetProperty("credentialSubject");
        Assert.Equal("BitstringStatusList", subject.GetProperty("type").GetString());
        Assert.Equal("revocation", subject.GetProperty("statusPurpose").GetString());

        await (await app.CreateClient().GetAsync("/status/revocation/999999")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Consecutive_certificates_get_distinct_indexes_that_do_not_follow_issue_order(TestDatabase db)
    {
        var app = await fixture.For(db);
        var world = await app.CreateWorldAsync();
        var indexes = new List<int>();
        for (var i = 0; i < 5; i++)
            indexes.Add(StatusClaimOf(await TokenOfAsync(app, (await app.IssueCertificateAsync(world)).CertificateId)).Index);
        Assert.Equal(indexes.Count, indexes.Distinct().Count());
        Assert.Contains(indexes.Zip(indexes.Skip(1)), pair => Math.Abs(pair.First - pair.Second) > 1);
    }
}

public sealed class StatusIndexPermutationTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(123456789L)]
    [InlineData(2147483646L)]
    public void The_permutation_maps_every_position_to_a_distinct_index(long key)
    {
        var seen = new bool[StatusIndexPermutation.Size];
        for (var p = 0; p < StatusIndexPermutation.Size; p++)
        {
            var index = StatusIndexPermutation.Apply(p, key);
            Assert.InRange(index, 0, StatusIndexPermutation.Size - 1);
            Assert.False(seen[index], $"index {index} taken twice");
            seen[index] = true;
        }
    }

    [Fact]
    public void The_encoded_list_puts_bit_zero_in_the_most_significant_bit_and_round_trips()
    {
        var bits = BitstringStatusList.Decode(BitstringStatusList.Encode(16, [0, 9]))!;
        Assert.Equal(new byte[] { 0x80, 0x40 }, bits);
        Assert.True(BitstringStatusList.IsSet(bits, 9));
        Assert.False(BitstringStatusList.IsSet(bits, 8));
        Assert.Null(BitstringStatusList.Decode("zabc"));
    }
}
