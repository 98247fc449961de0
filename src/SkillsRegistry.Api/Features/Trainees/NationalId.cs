using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Trainees;

/// <summary>
/// The Iranian national ID (کد ملی): ten digits, the last a check digit over the first nine.
/// Pure: no I/O, so the same rule serves endpoints, batch rows and look-ups.
/// </summary>
public static class NationalId
{
    public const int Length = 10;

    /// <summary>
    /// Accepts Persian (۰–۹) and Arabic-Indic (٠–٩) digits, spaces and dashes; on success <paramref name="normalized"/>
    /// is ten ASCII digits. On failure <paramref name="error"/> says what is wrong without echoing the input.
    /// </summary>
    public static bool TryNormalize(string? input, out string normalized, out string error)
    {
        normalized = "";
        error = "";
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "Required.";
            return false;
        }
        var digits = new char[Length];
        var count = 0;
        foreach (var ch in PersianText.NormalizeDigits(input))
        {
            if (ch is ' ' or '-' or '\u00A0' or '\u200C') continue;
            if (ch is < '0' or > '9')
            {
                error = "A national ID has only digits (Persian, Arabic-Indic or ASCII), optionally separated by spaces or dashes.";
                return false;
            }
            if (count == Length)
            {
                error = $"A national ID has exactly {Length} digits (got more).";
                return false;
            }
            digits[count++] = ch;
        }
        if (count != Length)
        {
            error = $"A national ID has exactly {Length} digits (got {count}).";
            return false;
        }
        if (Array.TrueForAll(digits, d => d == digits[0]))
        {
            error = "A national ID cannot be one digit repeated.";
            return false;
        }
        if (CheckDigit(digits) != digits[9] - '0')
        {
            error = "This is not a valid national ID: its check digit does not match (check for a typing error).";
            return false;
        }
        normalized = new string(digits);
        return true;
    }

    /// <summary>The check digit for the first nine digits: s = Σ d[i]·(10−i), r = s mod 11, r &lt; 2 ? r : 11 − r.</summary>
    public static int CheckDigit(ReadOnlySpan<char> firstNine)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (firstNine[i] - '0') * (10 - i);
        var r = sum % 11;
        return r < 2 ? r : 11 - r;
    }
}
