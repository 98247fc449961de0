using System.Globalization;
using Microsoft.Net.Http.Headers;
using SkillsRegistry.Api.Features.Holders;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Verification;

/// <summary>The languages a verification answer (its page and its JSON messages) speaks.</summary>
public enum Language { Fa, En, Ar }

/// <summary>How a language writes a calendar day.</summary>
public enum DateStyle
{
    /// <summary>Solar Hijri in Persian digits beside ISO Gregorian (Persian readers).</summary>
    Both,
    /// <summary>Gregorian with the month's name as read in Iraq and the Levant, in Arabic-Indic digits.</summary>
    ArabicGregorian,
    /// <summary>ISO Gregorian, YYYY-MM-DD.</summary>
    Iso,
}

/// <summary>
/// Every word of a verification answer in one language: verdicts, statuses, explanations, field labels and the page's own
/// texts. The one table of them, for the verification page, its JSON messages and the pages that show a verdict the same way
/// (a holder's share). Only a verdict on a token signed for this very number may call the certificate genuine; the registry's
/// status alone never does (a forger can point a QR code at a real number). Names of standards, centers and holders are
/// never translated: they are shown as registered.
/// </summary>
public sealed partial class VerificationLanguage
{
    public required Language Code { get; init; }
    public string Tag => EnumText.ToText(Code);
    public required bool RightToLeft { get; init; }
    public string Dir => RightToLeft ? "rtl" : "ltr";
    /// <summary>The language's name in itself, for the language switch.</summary>
    public required string Name { get; init; }
    public required DateStyle Dates { get; init; }

    public required string PageTitle { get; init; }
    public required string NumberLabel { get; init; }
    public required string HolderLabel { get; init; }
    public required string StandardLabel { get; init; }
    public required string CurrentStandardLabel { get; init; }
    public required string EquivalentText { get; init; }
    public required string NotEquivalentText { get; init; }
    public required string IssuedByLabel { get; init; }
    public required string IssuedLabel { get; init; }
    public required string ExpiresLabel { get; init; }
    public required string DoesNotExpire { get; init; }
    public required string RevokedLabel { get; init; }
    public required string ReplacedByLabel { get; init; }
    public required string RegistryAnswerLabel { get; init; }
    public required string FullNameNote { get; init; }
    public required string FamilyNamePrompt { get; init; }
    public required string ShowDetails { get; init; }
    public required string AnswerAsOf { get; init; }
    public required string LanguageLabel { get; init; }
    /// <summary>The box before the browser has checked the QR code's signature (or when it cannot).</summary>
    public required string UncheckedTitle { get; init; }
    public required string UncheckedText { get; init; }
    public required string CheckingTitle { get; init; }
    public required string CheckingText { get; init; }
    public required string NoCryptoText { get; init; }
    public required string UnavailableText { get; init; }

    public required Func<VerificationStatus, string> StatusName { private get; init; }
    public required Func<VerificationStatus, string> StatusText { private get; init; }
    public required Func<VerificationVerdict, string> VerdictName { private get; init; }
    public required Func<VerificationVerdict, VerificationStatus, string, string, string> VerdictText { private get; init; }
    public required Func<string, string> ReasonText { private get; init; }
    public required string AssessorLabel { get; init; }
    /// <summary>How the result was assessed: standing and role only; the home organisation's registered name is shown beside it.</summary>
    public required Func<AssessorStanding, AssessorRole?, string> AssessorText { private get; init; }
    /// <summary>Month names for <see cref="DateStyle.ArabicGregorian"/>.</summary>
    public IReadOnlyList<string> Months { get; init; } = [];

    // A holder's share page (/shares/{token}): its own labels, and the share's state before anything else.
    public required string ShareTitle { get; init; }
    public required string SharedWithLabel { get; init; }
    public required string ShareOpenUntilLabel { get; init; }
    public required string NoCertificatesYet { get; init; }
    public required Func<ShareState, string> ShareStateName { private get; init; }
    public required Func<ShareState, string> ShareStateText { private get; init; }

    public static readonly Language Default = Language.Fa;

    /// <summary>The secondary line a page prints under each text: English beside Persian and Arabic; none on the English page.</summary>
    public VerificationLanguage? Secondary => Code == Language.En ? null : English;

    public static VerificationLanguage Of(Language language) => language switch
    {
        Language.En => English,
        Language.Ar => Arabic,
        _ => Persian,
    };

    /// <summary>
    /// <paramref name="lang"/> (the query's <c>lang</c>) wins over <paramref name="acceptLanguage"/>; a value the registry does not
    /// speak is passed over, and with nothing it speaks the answer is in <see cref="Default"/>.
    /// </summary>
    public static Language Negotiate(string? lang, string? acceptLanguage)
    {
        if (Known(lang) is { } asked) return asked;
        if (!StringWithQualityHeaderValue.TryParseList(acceptLanguage?.Split(','), out var ranges)) return Default;
        foreach (var range in ranges.OrderByDescending(r => r.Quality ?? 1))
            if ((range.Quality ?? 1) > 0 && Known(range.Value.Value) is { } accepted) return accepted;
        return Default;
    }

    /// <summary>"ar", "ar-IQ", "FA" → the language; anything else → null.</summary>
    private static Language? Known(string? tag)
    {
        var primary = tag?.Trim().Split('-', '_')[0];
        return primary is { Length: 2 } && EnumText.TryParse<Language>(primary, out var language) ? language : null;
    }

    public string Status(VerificationStatus status) => StatusName(status);
    public string StatusMessage(VerificationStatus status) => StatusText(status);
    public string VerdictTitle(VerificationVerdict verdict) => VerdictName(verdict);
    public string Reason(string reasonCode) => ReasonText(reasonCode);
    public string Assessor(AssessorStanding standing, AssessorRole? role) => AssessorText(standing, role);
    public string ShareStateTitle(ShareState state) => ShareStateName(state);
    public string ShareStateMessage(ShareState state) => ShareStateText(state);

    /// <summary>The verdict explained; <paramref name="tokenNumber"/>: the number a genuine token of another certificate names.</summary>
    public string VerdictMessage(VerificationVerdict verdict, VerificationStatus status, string number, string? tokenNumber) =>
        VerdictText(verdict, status, number, tokenNumber ?? "");

    /// <summary>A calendar day as this language writes it.</summary>
    public string Date(DateOnly date) => Dates switch
    {
        DateStyle.Both => PersianDigits(RegistryCalendar.SolarHijri(date)) + " · " + Iso(date),
        DateStyle.ArabicGregorian => ArabicDigits($"{date.Day} {Months[date.Month - 1]} {date.Year}"),
        _ => Iso(date),
    };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string PersianDigits(string text) => Digits(text, '۰');
    public static string ArabicDigits(string text) => Digits(text, '٠');
    private static string Digits(string text, char zero) => string.Concat(text.Select(c => c is >= '0' and <= '9' ? (char)(zero + (c - '0')) : c));

    /// <summary>A Latin number inside right-to-left text, isolated (U+2066…U+2069) so that the text's direction does not scramble it.</summary>
    private static string Ltr(string? text) => "\u2066" + text + "\u2069";
}
