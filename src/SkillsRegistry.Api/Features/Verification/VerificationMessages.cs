namespace SkillsRegistry.Api.Features.Verification;

/// <summary>
/// The words of an answer, in both languages. Only a verdict on a token signed for this very number may call the certificate
/// genuine; the registry's status alone never does (a forger can point a QR code at a real number).
/// </summary>
public static class VerificationMessages
{
    public static (string En, string Fa) Status(VerificationStatus status) => status switch
    {
        VerificationStatus.Valid => ("The registry lists this certificate number as valid.", "این شماره گواهینامه در سامانه معتبر ثبت شده است."),
        VerificationStatus.Revoked => ("This certificate has been revoked and is no longer valid.", "این گواهینامه باطل شده و دیگر اعتبار ندارد."),
        VerificationStatus.Expired => ("This certificate has expired.", "اعتبار این گواهینامه به پایان رسیده است."),
        VerificationStatus.Superseded => ("This certificate was replaced by a corrected one; check the replacement.", "این گواهینامه با گواهینامه اصلاح‌شده‌ای جایگزین شده است؛ گواهینامه جدید را بررسی کنید."),
        VerificationStatus.NotFound => ("No certificate with this number exists in the registry.", "گواهینامه‌ای با این شماره در سامانه ثبت نشده است."),
        _ => ("This is not a valid certificate number: check for a typing mistake.", "این شماره گواهینامه معتبر نیست؛ آن را دوباره و با دقت وارد کنید."),
    };

    /// <summary>A Latin number inside Persian text, isolated (U+2066…U+2069) so that right-to-left order does not scramble it.</summary>
    private static string Ltr(string? text) => "\u2066" + text + "\u2069";

    public static (string En, string Fa) Verdict(VerificationVerdict verdict, VerificationStatus status, string number, string? tokenNumber) => verdict switch
    {
        VerificationVerdict.Genuine => (
            "Genuine: this QR code was issued by the registry for this certificate, and the registry lists it as valid.",
            "اصیل: این کد QR را سامانه ثبت برای همین گواهینامه صادر کرده و این گواهینامه معتبر است."),
        VerificationVerdict.GenuineButRevoked => (
            "The QR code is genuine, but the registry has revoked this certificate: it is no longer valid.",
            "کد QR اصیل است، اما سامانه ثبت این گواهینامه را باطل کرده و دیگر اعتبار ندارد."),
        VerificationVerdict.GenuineButSuperseded => (
            "The QR code is genuine, but this certificate was replaced by a corrected one: check the replacement.",
            "کد QR اصیل است، اما این گواهینامه با گواهینامه اصلاح‌شده‌ای جایگزین شده است؛ گواهینامه جدید را بررسی کنید."),
        VerificationVerdict.GenuineButExpired => (
            "The QR code is genuine, but this certificate has expired.",
            "کد QR اصیل است، اما اعتبار این گواهینامه به پایان رسیده است."),
        VerificationVerdict.QrNotGenuine => (
            $"Warning: this QR code was not issued by the registry for certificate {number}: its signature is invalid or it was altered. Do not rely on this paper.",
            $"هشدار: این کد QR را سامانه ثبت برای گواهینامه {Ltr(number)} صادر نکرده است؛ امضای آن نامعتبر است یا دستکاری شده است. به این برگه اعتماد نکنید."),
        VerificationVerdict.QrOfAnotherCertificate => (
            $"Warning: this QR code is genuine but was issued by the registry for another certificate ({tokenNumber}), not for {number}. The paper does not match its QR code.",
            $"هشدار: این کد QR اصیل است اما سامانه ثبت آن را برای گواهینامه دیگری ({Ltr(tokenNumber)}) صادر کرده است، نه برای {Ltr(number)}. این برگه با کد QR خود مطابقت ندارد."),
        VerificationVerdict.StatusOnly => (
            Status(status).En + " No QR code was checked: only the registry's record of the number is shown.",
            Status(status).Fa + " کد QR بررسی نشد: فقط اطلاعات ثبت‌شده این شماره در سامانه نمایش داده شده است."),
        _ => Status(status),
    };
}
