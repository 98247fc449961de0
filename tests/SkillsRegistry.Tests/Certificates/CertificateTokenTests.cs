using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SkillsRegistry.Api.Features.Certificates.Signing;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Tests.Certificates;

public sealed class CertificateTokenTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "sr-keys-" + Guid.NewGuid().ToString("N"));

    private static readonly CertificateClaims Claims = CertificateClaims.For("1405-10-123456789-K", "زهرا کریمی", "Zahra Karimi", "7318-12-001",
        20261122, 20291122, 1, 4711);

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }

    private SigningKeyRing Ring(params SigningKeyOptions[] keys) =>
        new(new SigningOptions { Keys = keys.ToList() }, new DatabaseOptions { DataDirectory = directory }, new Environment(directory), NullLogger<SigningKeyRing>.Instance);

    private SigningKeyOptions WriteKey(string kid, bool active)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(directory, kid + ".pem");
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return new SigningKeyOptions { Kid = kid, PemPath = path, Active = active };
    }

    [Fact]
    public void A_token_round_trips_and_carries_no_identity_numbers()
    {
        var tokens = new CertificateToken(Ring());
        var token = tokens.Sign(Claims);
        var check = tokens.Verify(token);
        Assert.True(check.IsValid);
        Assert.Equal(Claims, check.Claims);
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]));
        Assert.DoesNotContain("national", payload, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("birth", payload, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("passport", payload, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_token_is_compact_carries_no_names_and_its_qr_url_fits_in_400_characters()
    {
        var ring = Ring(WriteKey("registry-20261130141258", true));
        var token = new CertificateToken(ring).Sign(Claims);
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]));
        var url = new RegistryIdentity { PublicBaseUrl = "https://verify.skills.example" }.VerificationUrl(Claims.Number, token);

        Assert.DoesNotContain("زهرا", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("Zahra", payload, StringComparison.Ordinal);
        Assert.Contains($"\"nh\":\"{CertificateClaims.Digest("زهرا کریمی", "Zahra Karimi")}\"", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("بافنده", payload, StringComparison.Ordinal); // titles come from the registry
        Assert.True(url.Length <= 400, $"the QR URL is {url.Length} characters: {url}");
    }

    [Fact]
    public void The_qr_url_of_a_holder_with_60_character_names_is_as_long_as_one_with_3_character_names()
    {
        var tokens = new CertificateToken(Ring(WriteKey("registry-20261130141258", true)));
        var registry = new RegistryIdentity { PublicBaseUrl = "https://verify.skills.example" };
        string Url(string nameFa, string nameLatin) => registry.VerificationUrl(Claims.Number, tokens.Sign(CertificateClaims.For(
            Claims.Number, nameFa, nameLatin, Claims.StandardCode, Claims.IssuedOn, Claims.ExpiresOn, 131, 131071)));
        var (givenFa, familyFa, givenLatin, familyLatin) = Rendering.CertificateSamples.LongNames;
        var (longFa, longLatin) = ($"{givenFa} {familyFa}", $"{givenLatin} {familyLatin}");

        var longUrl = Url(longFa, longLatin);
        var shortUrl = Url("علی", "Ali");

        Assert.Equal((60, 60), (longFa.Length, longLatin.Length));
        Assert.True(longUrl.Length <= 400, $"the QR URL is {longUrl.Length} characters: {longUrl}");
        Assert.Equal(shortUrl.Length, longUrl.Length);
    }

    [Fact]
    public void The_names_digest_ignores_how_a_name_was_typed_but_not_a_different_name()
    {
        var digest = CertificateClaims.Digest("زهرا کریمی\u200Cنژاد", "Zahra Karimi-Nezhad");

        Assert.Equal(22, digest.Length);
        // The README's worked example, which an offline verifier reproduces.
        Assert.Equal("5sihci3jrY995QOB5VKSUA", CertificateClaims.Digest("زهرا کریمی", "Zahra Karimi"));
        Assert.Equal(digest, CertificateClaims.Digest(" زهرا  كريمی\u200Cنژاد", "ZAHRA KARIMI-NEZHAD "));
        Assert.NotEqual(digest, CertificateClaims.Digest("زهرا کریمی\u200Cنژاد", "Zahra Karimi-Nejad"));
        Assert.NotEqual(digest, CertificateClaims.Digest("زهرا کریمی\u200Cنژاد Zahra", "Karimi-Nezhad"));
    }

    [Fact]
    public void A_compact_token_with_the_names_issued_before_the_digest_still_verifies_as_the_same_claims()
    {
        var ring = Ring();
        var old = Jws.Sign(ring, null, Encoding.UTF8.GetBytes(
            """{"n":"1405-10-123456789-K","fa":"زهرا کریمی","la":"Zahra Karimi","sc":"7318-12-001","is":20261122,"ex":20291122,"sl":1,"si":4711}"""));

        var check = new CertificateToken(ring).Verify(old);

        Assert.True(check.IsValid);
        Assert.Equal(Claims, check.Claims);
        var nameless = Jws.Sign(ring, null, Encoding.UTF8.GetBytes("""{"n":"1405-10-123456789-K","fa":"زهرا کریمی","sc":"7318-12-001","is":20261122}"""));
        Assert.Equal(TokenFailure.Malformed, new CertificateToken(ring).Verify(nameless).Failure);
    }

    [Fact]
    public void A_token_in_the_verbose_form_issued_before_the_compact_one_still_verifies()
    {
        var ring = Ring();
        var legacy = Jws.Sign(ring, CertificateToken.LegacyType, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new LegacyCertificateClaims(
            "https://registry.example", "1404-10-0000042-X", new LegacyHolderClaim("زهرا کریمی", "Zahra Karimi"),
            new LegacyStandardClaim("7318", "بافنده فرش دستباف", "Hand-woven carpet weaver"), "2025-06-02", null,
            new LegacyStatusClaim("https://registry.example/status/revocation/3", 99))));

        var check = new CertificateToken(ring).Verify(legacy);

        Assert.True(check.IsValid);
        Assert.Equal(CertificateClaims.For("1404-10-0000042-X", "زهرا کریمی", "Zahra Karimi", "7318", 20250602, null, 3, 99), check.Claims);
    }

    [Fact]
    public void Every_flipped_byte_of_payload_or_signature_is_rejected()
    {
        var tokens = new CertificateToken(Ring());
        var parts = tokens.Sign(Claims).Split('.');
        foreach (var part in new[] { 1, 2 })
        {
            var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(parts[part]);
            for (var i = 0; i < bytes.Length; i++)
            {
                var tampered = (byte[])bytes.Clone();
                tampered[i] ^= 0x01;
                var copy = (string[])parts.Clone();
                copy[part] = Base64Url.Encode(tampered);
                Assert.False(tokens.Verify(string.Join('.', copy)).IsValid, $"part {part}, byte {i}");
            }
        }
    }

    [Fact]
    public void A_token_signed_with_a_foreign_key_or_an_unknown_kid_is_rejected()
    {
        var ours = new CertificateToken(Ring(WriteKey("ours", true)));
        var foreignRing = Ring(WriteKey("ours-but-not", true));
        var foreign = new CertificateToken(foreignRing).Sign(Claims);
        Assert.Equal(TokenFailure.UnknownKey, ours.Verify(foreign).Failure);

        // Same kid, different key material: the signature cannot verify.
        var impostor = Ring(new SigningKeyOptions { Kid = "ours", PemPath = WriteKey("impostor", true).PemPath, Active = true });
        Assert.Equal(TokenFailure.BadSignature, ours.Verify(new CertificateToken(impostor).Sign(Claims)).Failure);
        Assert.Equal(TokenFailure.Malformed, ours.Verify("not.a.token").Failure);
        Assert.Equal(TokenFailure.Malformed, ours.Verify(null).Failure);
    }

    [Fact]
    public void After_rotation_old_certificates_still_verify_and_new_ones_use_the_new_key()
    {
        var old = WriteKey("2025-a", true);
        var oldToken = new CertificateToken(Ring(old)).Sign(Claims);
        old.Active = false;
        var rotated = new CertificateToken(Ring(old, WriteKey("2026-b", true)));
        Assert.True(rotated.Verify(oldToken).IsValid);
        Assert.Equal("2026-b", rotated.Verify(rotated.Sign(Claims)).Kid);
    }

    [Fact]
    public void With_no_configured_key_one_is_generated_once_and_reused()
    {
        var first = Ring();
        var second = Ring();
        Assert.Equal(first.Active.Kid, second.Active.Kid);
        Assert.Single(Directory.GetFiles(Path.Combine(directory, "signing"), "*.pem"));
        Assert.True(new CertificateToken(second).Verify(new CertificateToken(first).Sign(Claims)).IsValid);
    }

    public void Dispose()
    {
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }
}
