using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Http;
using SkillsRegistry.Api.Infrastructure.Protection;

namespace SkillsRegistry.Tests.Trainees;

public sealed class FieldProtectorTests
{
    private static readonly string Key1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Lookup = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static FieldProtector Protector(params FieldKeyOptions[] keys) =>
        new(new FieldProtectionOptions { Keys = [.. keys], LookupKey = Lookup }, new DatabaseOptions(), NullLogger<FieldProtector>.Instance);

    [Fact]
    public void A_value_round_trips_names_its_key_and_never_shows_the_clear_text()
    {
        var protector = Protector(new FieldKeyOptions { Kid = "k1", Key = Key1, Active = true });
        var first = protector.Encrypt("0012345679", "trainees.national_id");
        var second = protector.Encrypt("0012345679", "trainees.national_id");
        Assert.StartsWith("k1:", first);
        Assert.NotEqual(first, second); // a fresh nonce each time: equal values do not look equal
        Assert.DoesNotContain("0012345679", first);
        Assert.Equal("0012345679", protector.Decrypt(first, "trainees.national_id"));
    }

    [Fact]
    public void A_tampered_value_or_one_moved_to_another_column_does_not_decrypt()
    {
        var protector = Protector(new FieldKeyOptions { Kid = "k1", Key = Key1, Active = true });
        var stored = protector.Encrypt("0012345679", "trainees.national_id");
        Assert.ThrowsAny<CryptographicException>(() => protector.Decrypt(stored, "trainees.passport_number"));
        var bytes = Convert.FromBase64String(stored[3..]);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Decrypt("k1:" + Convert.ToBase64String(bytes), "trainees.national_id"));
    }

    [Fact]
    public void After_rotation_old_values_stay_readable_and_new_ones_use_the_active_key()
    {
        var before = Protector(new FieldKeyOptions { Kid = "k1", Key = Key1, Active = true });
        var old = before.Encrypt("P1234567", "trainees.passport_number");
        var after = Protector(new FieldKeyOptions { Kid = "k1", Key = Key1 }, new FieldKeyOptions { Kid = "k2", Key = Key2, Active = true });
        Assert.Equal("P1234567", after.Decrypt(old, "trainees.passport_number"));
        Assert.False(after.IsUnderActiveKey(old));
        Assert.StartsWith("k2:", after.Encrypt("P1234567", "trainees.passport_number"));
        Assert.Equal(before.LookupHash("P1234567", "passport"), after.LookupHash("P1234567", "passport")); // look-ups survive rotation

        var withoutOldKey = Protector(new FieldKeyOptions { Kid = "k2", Key = Key2, Active = true });
        var error = Assert.ThrowsAny<CryptographicException>(() => withoutOldKey.Decrypt(old, "trainees.passport_number"));
        Assert.Contains("'k1'", error.Message);
    }

    [Fact]
    public void Exactly_one_key_must_be_active()
    {
        Assert.Throws<InvalidOperationException>(() => Protector(new FieldKeyOptions { Kid = "k1", Key = Key1 }));
        Assert.Throws<InvalidOperationException>(() => Protector(
            new FieldKeyOptions { Kid = "k1", Key = Key1, Active = true }, new FieldKeyOptions { Kid = "k2", Key = Key2, Active = true }));
    }

    [Theory]
    [InlineData("کریمی", "Karimi", "1998-04-12", true)]
    [InlineData("كريمي", "Other", "1998-04-12", true)]     // Arabic kaf and yeh are the Persian letters
    [InlineData("نام‌دیگر", "karimi ", "1998-04-12", true)] // the Latin family name alone, any case
    [InlineData("کریمی", "Karimi", "1998-04-13", false)]   // the birth date must match
    [InlineData("رضایی", "Rezaei", "1998-04-12", false)]   // so must one of the family names
    public void A_person_is_matched_by_birth_date_and_family_name(string familyNameFa, string familyNameLatin, string birthDate, bool matches)
    {
        var presented = TraineeValidation.Validate(new TraineeIdentityInput("0012345679", null, null, "مریم", familyNameFa, "Maryam", familyNameLatin,
            DateOnly.Parse(birthDate), "female", null, null, null), new DateOnly(2026, 1, 1), new ValidationErrors());
        Assert.NotNull(presented);
        Assert.Equal(matches, TraineeIdentityMatch.Matches(new DateOnly(1998, 4, 12), "کریمی", "Karimi", presented));
    }
}
