using System.Globalization;
using System.Text;

namespace SkillsRegistry.Api.Infrastructure.Text;

/// <summary>
/// Normalisation so that the keyboard a user types on does not decide whether a name is found:
/// Arabic letter variants become Persian, ZWNJ/tatweel/diacritics are dropped, digits become ASCII, Latin is lower-cased.
/// </summary>
public static class PersianText
{
    public static string NormalizeDigits(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            sb.Append(ch switch
            {
                >= '\u06F0' and <= '\u06F9' => (char)('0' + ch - '\u06F0'), // Persian ۰–۹
                >= '\u0660' and <= '\u0669' => (char)('0' + ch - '\u0660'), // Arabic-Indic ٠–٩
                _ => ch,
            });
        }
        return sb.ToString();
    }

    public static string NormalizeForSearch(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var sb = new StringBuilder(text.Length);
        var lastWasSpace = true;
        foreach (var raw in NormalizeDigits(WellFormed(text).Normalize(NormalizationForm.FormKC)))
        {
            var ch = raw switch
            {
                'ي' or 'ى' or 'ئ' => 'ی',
                'ك' => 'ک',
                'ة' or 'ۀ' => 'ه',
                'أ' or 'إ' or 'آ' or 'ٱ' => 'ا',
                'ؤ' => 'و',
                _ => char.ToLowerInvariant(raw),
            };
            if (ch is '\u200C' or '\u200D' or '\u0640' or '\u200E' or '\u200F') continue; // ZWNJ, ZWJ, tatweel, direction marks
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) continue;
            if (char.IsWhiteSpace(ch))
            {
                if (!lastWasSpace) sb.Append(' ');
                lastWasSpace = true;
                continue;
            }
            sb.Append(ch);
            lastWasSpace = false;
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// Drops what Unicode normalisation refuses (it throws on them): unpaired surrogates, which a query string or a JSON
    /// \ud800 escape can carry, and noncharacters such as U+FFFE/U+FFFF. None of them can be part of a name.
    /// </summary>
    private static string WellFormed(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            var keep = status == System.Buffers.OperationStatus.Done && !IsNoncharacter(rune.Value);
            if (!keep && sb is null) sb = new StringBuilder(text, 0, i, text.Length);
            if (keep) sb?.Append(text, i, consumed);
            i += consumed;
        }
        return sb?.ToString() ?? text;
    }

    private static bool IsNoncharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>Builds the stored search column from every name a record can be found by.</summary>
    public static string SearchText(params string?[] parts) =>
        NormalizeForSearch(string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p))));

    /// <summary>A LIKE pattern (with ESCAPE '\') matching a normalised query anywhere in a search column.</summary>
    public static string ContainsPattern(string query) =>
        "%" + NormalizeForSearch(query).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
