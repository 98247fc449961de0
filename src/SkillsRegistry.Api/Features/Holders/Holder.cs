using System.ComponentModel.DataAnnotations;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Features.Verification;
using SkillsRegistry.Api.Infrastructure.OpenApi;

namespace SkillsRegistry.Api.Features.Holders;

/// <summary>A new access code: shown once, never again (the registry keeps only its keyed hash).</summary>
public sealed record AccessCodeDto(Guid Id, Guid TraineeId, string Code, DateTimeOffset ExpiresAt, string SignInUrl);

/// <summary>The code a center handed out and the holder's birth date (YYYY-MM-DD).</summary>
public sealed record HolderSignInRequest([property: Required, MaxLength(40)] string? Code, [property: Required] DateOnly? BirthDate);

/// <summary>
/// A holder session: send <c>Authorization: Bearer {token}</c> on /holder routes. It ends after <c>idleTimeoutMinutes</c>
/// without a request, at <c>expiresAt</c> at the latest, or at DELETE /holder/sessions/current.
/// </summary>
public sealed record HolderSessionDto(string Token, DateTimeOffset ExpiresAt, int IdleTimeoutMinutes);

/// <summary>The holder's own record as the registry holds it (identifiers masked: the session is a bearer credential).</summary>
public sealed record HolderRecordDto(
    Guid Id, string GivenNameFa, string FamilyNameFa, string GivenNameLatin, string FamilyNameLatin, DateOnly BirthDate,
    [property: OneOf(typeof(TraineeGender))] string Gender, string? Nationality, string? NationalIdMasked, string? PassportNumberMasked);

public enum ReaderKind { Center, Partner, Registry }

/// <summary>
/// One read of the holder's personal data by someone else: when, by which organisation (a training center, a partner agency,
/// or the registry's own administration — never a key's name or a person), and what was read.
/// </summary>
public sealed record PersonalDataReadDto(DateTimeOffset ReadAt, ReaderKind ReaderKind, string ReaderNameFa, string ReaderNameEn, string WhatEn, string WhatFa);

/// <summary>
/// What to share: <c>certificateIds</c> (your own) or <c>wholeTranscript: true</c> (every certificate, as it stands when
/// viewed), for <c>days</c> (1–90, default 30), with an optional <c>recipientLabel</c> for your own list ("Ahvaz Steel HR").
/// </summary>
public sealed record CreateShareRequest(
    [property: MaxLength(100)] IReadOnlyList<Guid>? CertificateIds, bool? WholeTranscript,
    [property: Range(1, HolderOptions.MostShareDays)] int? Days, [property: MaxLength(100)] string? RecipientLabel);

/// <summary>A share's state: <c>active</c> (viewable), <c>revoked</c> by the holder, <c>expired</c>; <c>not-found</c> for an unknown link.</summary>
public enum ShareState { Active, Revoked, Expired, NotFound }

public sealed record ShareDto(
    Guid Id, ShareState State, bool WholeTranscript, IReadOnlyList<string> CertificateNumbers, string? RecipientLabel,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, long ViewCount, DateTimeOffset? LastViewedAt);

/// <summary>A new share: the link (shown once: the registry keeps only its hash) and its QR code as inline SVG.</summary>
public sealed record CreatedShareDto(ShareDto Share, string Url, string QrSvg);

/// <summary>One view of a share: when, and the viewer's network only (IPv4 /16 or IPv6 /32), never the address.</summary>
public sealed record ShareViewDto(DateTimeOffset ViewedAt, string Origin);

public sealed record SharedHolder(string NameFa, string NameLatin);

/// <summary>
/// What a share link shows. <c>state</c> (+ its messages) comes first: only an <c>active</c> share shows anything else.
/// Then each certificate as verification answers it, its verdict first (genuine, genuine-but-revoked, -superseded, -expired).
/// Never a national ID, passport number, birth date or contact detail. <c>message</c> and each certificate's <c>verdictMessage</c>
/// and <c>message</c> are in <c>language</c> (asked with <c>?lang=fa|en|ar</c> or Accept-Language); English and Persian stay beside them.
/// </summary>
public sealed record ShareAnswer(
    ShareState State, string Message, string MessageEn, string MessageFa, SharedHolder? Holder, string? RecipientLabel, DateTimeOffset? ExpiresAt,
    IReadOnlyList<VerificationAnswer> Certificates, DateTimeOffset CheckedAt, Language Language)
{
    /// <summary>The answer with no holder and no certificate: all a withdrawn, expired or unknown link shows.</summary>
    public static ShareAnswer Plain(ShareState state, DateTimeOffset now, Language language) =>
        new(state, VerificationLanguage.Of(language).ShareStateMessage(state), VerificationLanguage.English.ShareStateMessage(state),
            VerificationLanguage.Persian.ShareStateMessage(state), null, null, null, [], now, language);
}
