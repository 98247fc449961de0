using System.Globalization;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Certificates;

/// <summary>
/// Certificate numbers: <c>YYYY-RR-NNNNNNNNN-C</c>.
/// YYYY = Solar Hijri year of issue; RR = the issuing center's province number (IR-10 → "10") or, for a center
/// abroad, its ISO 3166-1 country code; NNNNNNNNN = a random serial (so that numbers cannot be guessed: with 100,000
/// certificates in a year and region, a random well-formed number hits one 1 time in 10,000); C = ISO 7064 MOD 37,36
/// check character over the characters before it, which catches every single mistyped character and every swap of
/// neighbours. Numbers issued before issue 13 have a 7-digit sequential serial and stay valid.
/// </summary>
public static class CertificateNumber
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string CheckAlphabet = Alphabet + "*";
    private const int Modulus = 37;
    public const int SerialDigits = 9;
    public const int LegacySerialDigits = 7;
    private const int SerialLimit = 1_000_000_000;

    /// <summary>A new random serial (cryptographic randomness: the next number must not follow from earlier ones).</summary>
    public static long NewSerial() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(SerialLimit);

    public static string Format(int solarHijriYear, string region, long serial, int digits = SerialDigits)
    {
        if (region.Length != 2) throw new ArgumentException("Region is two characters", nameof(region));
        var body = string.Create(CultureInfo.InvariantCulture, $"{solarHijriYear:0000}{region.ToUpperInvariant()}{serial.ToString(new string('0', digits), CultureInfo.InvariantCulture)}");
        if (body.Length != 4 + 2 + digits) throw new ArgumentOutOfRangeException(nameof(serial), "Serial exceeds its digits");
        return Display(body + CheckCharacter(body));
    }

    /// <summary>The two-character region of a center: its province number, or its country abroad.</summary>
    public static string RegionOf(string? provinceCode, string country) =>
        provinceCode is { Length: 5 } p && p.StartsWith("IR-", StringComparison.Ordinal) ? p[3..] : country.ToUpperInvariant();

    /// <summary>
    /// Accepts what a person types (lower case, Persian digits, spaces or missing hyphens); returns the canonical
    /// number when its shape and check character are right.
    /// </summary>
    public static bool TryNormalize(string? input, out string number)
    {
        number = "";
        if (string.IsNullOrWhiteSpace(input)) return false;
        var compact = new string(PersianText.NormalizeDigits(input).ToUpperInvariant().Where(c => c is not ('-' or ' ' or '\u200C')).ToArray());
        if (compact.Length != 4 + 2 + SerialDigits + 1 && compact.Length != 4 + 2 + LegacySerialDigits + 1) return false;
        if (!compact[..^1].All(c => Alphabet.Contains(c)) || !CheckAlphabet.Contains(compact[^1])) return false;
        if (!compact[..4].All(char.IsAsciiDigit) || !compact[6..^1].All(char.IsAsciiDigit)) return false;
        if (CheckCharacter(compact[..^1]) != compact[^1]) return false;
        number = Display(compact);
        return true;
    }

    /// <summary>
    /// A well-formed displayed number (<c>YYYY-RR-NNNNNNNNN-C</c>, or the legacy 7-digit serial) as one 64-bit value, different
    /// for every different number: year, region, serial, its length and the check character. False for anything else.
    /// </summary>
    public static bool TryPack(string number, out ulong packed)
    {
        packed = 0;
        var digits = number.Length - 10; // 4 + "-" + 2 + "-" + serial + "-" + check
        if (digits is not (SerialDigits or LegacySerialDigits) || number[4] != '-' || number[7] != '-' || number[^2] != '-') return false;
        ulong value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (!char.IsAsciiDigit(number[i])) return false;
            value = value * 10 + (ulong)(number[i] - '0');
        }
        foreach (var c in number.AsSpan(5, 2))
        {
            var index = Alphabet.IndexOf(c);
            if (index < 0) return false;
            value = value * 36 + (ulong)index;
        }
        var check = CheckAlphabet.IndexOf(number[^1]);
        if (check < 0) return false;
        value = (value * 37 + (ulong)check) * 2 + (digits == SerialDigits ? 1UL : 0UL);
        ulong serial = 0;
        foreach (var c in number.AsSpan(8, digits))
        {
            if (!char.IsAsciiDigit(c)) return false;
            serial = serial * 10 + (ulong)(c - '0');
        }
        packed = value * SerialLimit + serial + 1; // never 0, which a table may use for "empty"
        return true;
    }

    /// <summary>The displayed number <see cref="TryPack"/> packed into <paramref name="packed"/>.</summary>
    public static string Unpack(ulong packed)
    {
        var (value, serial) = Math.DivRem(packed - 1, (ulong)SerialLimit);
        (value, var full) = Math.DivRem(value, 2UL);
        (value, var check) = Math.DivRem(value, (ulong)Modulus);
        (value, var second) = Math.DivRem(value, 36UL);
        var (year, first) = Math.DivRem(value, 36UL);
        var digits = full == 1 ? SerialDigits : LegacySerialDigits;
        return string.Create(CultureInfo.InvariantCulture,
            $"{year:0000}-{Alphabet[(int)first]}{Alphabet[(int)second]}-{serial.ToString(new string('0', digits), CultureInfo.InvariantCulture)}-{CheckAlphabet[(int)check]}");
    }

    /// <summary>ISO/IEC 7064 pure system MOD 37-2 (radix 2).</summary>
    public static char CheckCharacter(string body)
    {
        var p = 0;
        foreach (var c in body)
        {
            var value = Alphabet.IndexOf(c);
            if (value < 0) throw new ArgumentException($"'{c}' is not in the certificate number alphabet", nameof(body));
            p = (p + value) * 2 % Modulus;
        }
        return CheckAlphabet[(Modulus + 1 - p) % Modulus];
    }

    private static string Display(string compact) =>
        $"{compact[..4]}-{compact[4..6]}-{compact[6..^1]}-{compact[^1]}";
}
