using SkillsRegistry.Api.Features.Trainees;

namespace SkillsRegistry.Tests.Trainees;

public sealed class NationalIdTests
{
    // 1234567891: s = 1·10 + 2·9 + 3·8 + 4·7 + 5·6 + 6·5 + 7·4 + 8·3 + 9·2 = 210, r = 210 mod 11 = 1 → check digit 1.
    // 0084575948: s = 8·8 + 4·7 + 5·6 + 7·5 + 5·4 + 9·3 + 4·2 = 212, r = 3 → check digit 11 − 3 = 8.
    [Theory]
    [InlineData("1234567891", "1234567891")]
    [InlineData("0084575948", "0084575948")]
    [InlineData(" 008-457594-8 ", "0084575948")]
    [InlineData("008 457 594 8", "0084575948")]
    public void A_valid_national_id_is_accepted_and_normalised(string input, string expected)
    {
        Assert.True(NationalId.TryNormalize(input, out var normalized, out var error), error);
        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void Persian_digits_are_normalised_to_ascii()
    {
        Assert.True(NationalId.TryNormalize("۰۰۸۴۵۷۵۹۴۸", out var normalized, out _));
        Assert.Equal("0084575948", normalized);
    }

    [Fact]
    public void Arabic_indic_digits_are_normalised_to_ascii()
    {
        Assert.True(NationalId.TryNormalize("٠٠٨٤٥٧٥٩٤٨", out var normalized, out _));
        Assert.Equal("0084575948", normalized);
    }

    [Theory]
    [InlineData("1234567890")]
    [InlineData("0084575949")]
    [InlineData("۰۰۸۴۵۷۵۹۴۷")]
    public void A_wrong_check_digit_is_refused(string input)
    {
        Assert.False(NationalId.TryNormalize(input, out var normalized, out var error));
        Assert.Equal("", normalized);
        Assert.Contains("check digit", error);
    }

    [Theory]
    [InlineData("1111111111")]
    [InlineData("0000000000")]
    [InlineData("۷۷۷۷۷۷۷۷۷۷")]
    public void One_digit_repeated_is_refused_even_though_its_check_digit_fits(string input)
    {
        Assert.False(NationalId.TryNormalize(input, out _, out var error));
        Assert.Contains("repeated", error);
    }

    [Theory]
    [InlineData("123456789", "got 9")]
    [InlineData("12345678912", "got more")]
    [InlineData("", "Required")]
    [InlineData("   ", "Required")]
    public void Anything_but_ten_digits_is_refused_with_the_count(string input, string expected)
    {
        Assert.False(NationalId.TryNormalize(input, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("12345678a1")]
    [InlineData("IR12345678")]
    [InlineData("1234.567891")]
    public void Letters_and_other_characters_are_refused(string input)
    {
        Assert.False(NationalId.TryNormalize(input, out _, out var error));
        Assert.Contains("only digits", error);
    }

    [Fact]
    public void The_error_never_echoes_the_input()
    {
        NationalId.TryNormalize("1234567890", out _, out var error);
        Assert.DoesNotContain("123456789", error);
    }
}
