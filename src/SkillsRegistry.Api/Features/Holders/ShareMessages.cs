namespace SkillsRegistry.Api.Features.Holders;

/// <summary>The words for a share's state, in both languages; a certificate's verdict comes from <c>VerificationMessages</c>.</summary>
public static class ShareMessages
{
    public static (string En, string Fa) Of(ShareState state) => state switch
    {
        ShareState.Active => (
            "Shared by the holder through the registry: each certificate below is checked against the registry now, its verdict first.",
            "دارنده این گواهینامه‌ها را از طریق سامانه ثبت به اشتراک گذاشته است: هر گواهینامه هم‌اکنون با سامانه بررسی شده و نتیجه آن در ابتدا آمده است."),
        ShareState.Revoked => (
            "The holder has withdrawn this share. It shows nothing any more.",
            "دارنده این اشتراک را لغو کرده است و دیگر چیزی نمایش داده نمی‌شود."),
        ShareState.Expired => (
            "This share has expired. It shows nothing any more; ask the holder for a new link.",
            "مهلت این اشتراک به پایان رسیده است و دیگر چیزی نمایش داده نمی‌شود؛ پیوند جدیدی از دارنده بخواهید."),
        _ => (
            "No share has this link. Check that it was copied whole.",
            "اشتراکی با این پیوند وجود ندارد. بررسی کنید که پیوند کامل کپی شده باشد."),
    };
}
