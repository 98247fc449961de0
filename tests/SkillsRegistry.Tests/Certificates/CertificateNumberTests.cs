using SkillsRegistry.Api.Features.Certificates;

namespace SkillsRegistry.Tests.Certificates;

public sealed class CertificateNumberTests
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

    private static IEnumerable<string> ManyNumbers()
    {
        var random = new Random(1405);
        string[] regions = ["10", "04", "07", "32", "IQ", "CN"];
        for (var i = 0; i < 2000; i++)
        {
            yield return CertificateNumber.Format(random.Next(1380, 1500), regions[random.Next(regions.Length)], random.Next(0, 999_999_999));
            yield return CertificateNumber.Format(random.Next(1380, 1500), regions[random.Next(regions.Length)], random.Next(0, 9_999_999), CertificateNumber.LegacySerialDigits);
        }
    }

    [Fact]
    public void A_number_has_year_region_serial_and_check_and_validates()
    {
        var number = CertificateNumber.Format(1405, "10", 123);
        Assert.Matches(@"^1405-10-000000123-[0-9A-Z*]$", number);
        Assert.True(CertificateNumber.TryNormalize(number, out var canonical));
        Assert.Equal(number, canonical);
        // Numbers issued before the random serials (7 sequential digits) stay valid.
        var legacy = CertificateNumber.Format(1404, "10", 123, CertificateNumber.LegacySerialDigits);
        Assert.Matches(@"^1404-10-0000123-[0-9A-Z*]$", legacy);
        Assert.True(CertificateNumber.TryNormalize(legacy, out _));
    }

    [Fact]
    public void New_serials_are_random_nine_digit_numbers()
    {
        var serials = Enumerable.Range(0, 1000).Select(_ => CertificateNumber.NewSerial()).ToList();
        Assert.All(serials, s => Assert.InRange(s, 0, 999_999_999));
        Assert.Equal(serials.Count, serials.Distinct().Count());
    }

    [Fact]
    public void Every_single_character_substitution_is_caught()
    {
        foreach (var number in ManyNumbers())
        {
            var compact = number.Replace("-", "");
            for (var position = 0; position < compact.Length; position++)
            foreach (var replacement in Alphabet)
            {
                if (replacement == compact[position]) continue;
                var typo = compact[..position] + replacement + compact[(position + 1)..];
                Assert.False(CertificateNumber.TryNormalize(typo, out _), $"{number}: '{typo}' was accepted");
            }
        }
    }

    [Fact]
    public void Every_swap_of_neighbouring_characters_is_caught()
    {
        foreach (var number in ManyNumbers())
        {
            var compact = number.Replace("-", "");
            for (var i = 0; i + 1 < compact.Length; i++)
            {
                if (compact[i] == compact[i + 1]) continue;
                var swapped = compact[..i] + compact[i + 1] + compact[i] + compact[(i + 2)..];
                Assert.False(CertificateNumber.TryNormalize(swapped, out _), $"{number}: '{swapped}' was accepted");
            }
        }
    }

    [Theory]
    [InlineData("۱۴۰۵-۱۰-۰۰۰۰۱۲۳")] // Persian digits, check appended below
    [InlineData("1405 10 0000123")]
    [InlineData("1405100000123")]
    public void What_people_type_is_normalised(string typedWithoutCheck)
    {
        var canonical = CertificateNumber.Format(1405, "10", 123, CertificateNumber.LegacySerialDigits);
        Assert.True(CertificateNumber.TryNormalize(typedWithoutCheck + canonical[^1].ToString().ToLowerInvariant(), out var normalized));
        Assert.Equal(canonical, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1405-10-123-A")]
    [InlineData("ABCD-10-0000123-A")]
    [InlineData("1405-10-00001Z3-A")]
    [InlineData("1405-10-0000123-!")]
    public void Malformed_numbers_are_invalid(string input) => Assert.False(CertificateNumber.TryNormalize(input, out _));

    [Fact]
    public void The_region_is_the_province_number_or_the_country_abroad()
    {
        Assert.Equal("10", CertificateNumber.RegionOf("IR-10", "IR"));
        Assert.Equal("32", CertificateNumber.RegionOf("IR-32", "IR"));
        Assert.Equal("IQ", CertificateNumber.RegionOf(null, "iq"));
    }

    [Fact]
    public void Packed_numbers_differ_whenever_the_numbers_differ_and_only_well_formed_numbers_pack()
    {
        var numbers = new List<string>();
        foreach (var year in new[] { 1404, 1405 })
        foreach (var region in new[] { "10", "23", "AF", "TR" })
        foreach (var serial in new long[] { 0, 1, 999_999_999, 1_234_567 })
            numbers.Add(CertificateNumber.Format(year, region, serial));
        numbers.Add(CertificateNumber.Format(1399, "10", 1_234_567, CertificateNumber.LegacySerialDigits));
        numbers.Add(CertificateNumber.Format(1399, "10", 123_456, CertificateNumber.LegacySerialDigits));
        var packed = numbers.Select(n => Assert.IsType<ulong>(CertificateNumber.TryPack(n, out var key) ? key : throw new Xunit.Sdk.XunitException($"{n} did not pack"))).ToList();
        Assert.Equal(packed.Count, packed.Distinct().Count());
        Assert.DoesNotContain(0UL, packed);
        // The cache reads its held numbers back from their packed form to refresh them.
        Assert.Equal(numbers, packed.Select(CertificateNumber.Unpack));

        var valid = numbers[0];
        Assert.True(CertificateNumber.TryPack(valid[..^1] + "*", out var otherCheck));
        Assert.NotEqual(packed[0], otherCheck);
        foreach (var malformed in new[] { "", "1404-10-12345678-X", valid.Replace('-', ' '), valid.ToLowerInvariant().Replace("10", "1a"), valid + "0", "1404-1!-123456789-X" })
            Assert.False(CertificateNumber.TryPack(malformed, out _), malformed);
    }
}
