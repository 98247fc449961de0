namespace SkillsRegistry.Api.Features.Verification;

/// <summary>The three tables of <see cref="VerificationLanguage"/>. Arabic is Modern Standard Arabic, dates as read in Iraq.</summary>
public sealed partial class VerificationLanguage
{
    public static readonly VerificationLanguage English = new()
    {
        Code = Language.En, RightToLeft = false, Name = "English", Dates = DateStyle.Iso,
        PageTitle = "Certificate verification", NumberLabel = "Number", HolderLabel = "Holder", StandardLabel = "Standard",
        CurrentStandardLabel = "Current standard", EquivalentText = "equivalent", NotEquivalentText = "not equivalent",
        IssuedByLabel = "Issued by", IssuedLabel = "Issued", ExpiresLabel = "Expires", DoesNotExpire = "does not expire",
        RevokedLabel = "Revoked", ReplacedByLabel = "Replaced by", RegistryAnswerLabel = "Registry:",
        FullNameNote = "Full name shown only with the certificate's QR code",
        FamilyNamePrompt = "For the details, type the holder's family name as printed on the certificate.",
        ShowDetails = "Show details", AnswerAsOf = "Registry answer as of", LanguageLabel = "Language",
        UncheckedTitle = "Signature not checked",
        UncheckedText = "The QR code's signature was not checked (this needs JavaScript). Below is only the registry's answer for this number, not proof that the paper is genuine.",
        CheckingTitle = "Checking…", CheckingText = "Checking the QR code's signature…",
        NoCryptoText = "This browser cannot check the signature here (it needs https); below is only the registry's answer.",
        UnavailableText = "The signature cannot be checked right now (the registry did not answer); reopen the page shortly. Below is only the registry's answer.",
        StatusName = status => status switch
        {
            VerificationStatus.Valid => "Valid", VerificationStatus.Revoked => "Revoked", VerificationStatus.Expired => "Expired",
            VerificationStatus.Superseded => "Replaced", VerificationStatus.NotFound => "Not found", _ => "Invalid number",
        },
        StatusText = status => status switch
        {
            VerificationStatus.Valid => "The registry lists this certificate number as valid.",
            VerificationStatus.Revoked => "This certificate has been revoked and is no longer valid.",
            VerificationStatus.Expired => "This certificate has expired.",
            VerificationStatus.Superseded => "This certificate was replaced by a corrected one; check the replacement.",
            VerificationStatus.NotFound => "No certificate with this number exists in the registry.",
            _ => "This is not a valid certificate number: check for a typing mistake.",
        },
        VerdictName = verdict => verdict switch
        {
            VerificationVerdict.Genuine => "Genuine",
            VerificationVerdict.GenuineButRevoked => "Revoked",
            VerificationVerdict.GenuineButSuperseded => "Replaced",
            VerificationVerdict.GenuineButExpired => "Expired",
            VerificationVerdict.QrNotGenuine => "QR code not genuine",
            VerificationVerdict.QrOfAnotherCertificate => "QR code of another certificate",
            VerificationVerdict.StatusOnly => "No QR code checked",
            VerificationVerdict.NotFound => "Not found",
            _ => "Invalid number",
        },
        VerdictText = (verdict, status, number, other) => verdict switch
        {
            VerificationVerdict.Genuine => "Genuine: this QR code was issued by the registry for this certificate, and the registry lists it as valid.",
            VerificationVerdict.GenuineButRevoked => "The QR code is genuine, but the registry has revoked this certificate: it is no longer valid.",
            VerificationVerdict.GenuineButSuperseded => "The QR code is genuine, but this certificate was replaced by a corrected one: check the replacement.",
            VerificationVerdict.GenuineButExpired => "The QR code is genuine, but this certificate has expired.",
            VerificationVerdict.QrNotGenuine =>
                $"Warning: this QR code was not issued by the registry for certificate {number}: its signature is invalid or it was altered. Do not rely on this paper.",
            VerificationVerdict.QrOfAnotherCertificate =>
                $"Warning: this QR code is genuine but was issued by the registry for another certificate ({other}), not for {number}. The paper does not match its QR code.",
            VerificationVerdict.StatusOnly => English!.StatusMessage(status) + " No QR code was checked: only the registry's record of the number is shown.",
            _ => English!.StatusMessage(status),
        },
        AssessorLabel = "Assessed by",
        AssessorText = (standing, role) => standing switch
        {
            AssessorStanding.Current => role == AssessorRole.LeadAssessor
                ? "A registered lead assessor, qualified and current for this standard on the exam date."
                : "A registered assessor, qualified and current for this standard on the exam date.",
            AssessorStanding.NotCurrent => "A registered practitioner whose qualification for this standard no longer counts for the exam date (withdrawn since).",
            AssessorStanding.Unregistered => "An assessor recorded by name only, not checked against the register of assessors.",
            _ => "The assessor was recorded before the register of assessors existed, by name only, and not checked against it.",
        },
        ReasonText = code => code switch
        {
            "issued-in-error" => "Issued in error", "fraud" => "Fraud", "assessment-annulled" => "Assessment annulled",
            "holder-request" => "At the holder's request", _ => "Other reason",
        },
        ShareTitle = "Shared certificates", SharedWithLabel = "Shared with", ShareOpenUntilLabel = "Link open until",
        NoCertificatesYet = "No certificate has been issued yet.",
        ShareStateName = state => state switch
        {
            Holders.ShareState.Active => "Shared by the holder", Holders.ShareState.Revoked => "Withdrawn by the holder",
            Holders.ShareState.Expired => "Expired", _ => "Not found",
        },
        ShareStateText = state => state switch
        {
            Holders.ShareState.Active =>
                "Shared by the holder through the registry: each certificate below is checked against the registry now, its verdict first.",
            Holders.ShareState.Revoked => "The holder has withdrawn this share. It shows nothing any more.",
            Holders.ShareState.Expired => "This share has expired. It shows nothing any more; ask the holder for a new link.",
            _ => "No share has this link. Check that it was copied whole.",
        },
    };

    public static readonly VerificationLanguage Persian = new()
    {
        Code = Language.Fa, RightToLeft = true, Name = "فارسی", Dates = DateStyle.Both,
        PageTitle = "استعلام گواهینامه", NumberLabel = "شماره", HolderLabel = "دارنده", StandardLabel = "استاندارد",
        CurrentStandardLabel = "استاندارد جاری", EquivalentText = "هم‌ارز", NotEquivalentText = "غیر هم‌ارز",
        IssuedByLabel = "مرکز صادرکننده", IssuedLabel = "تاریخ صدور", ExpiresLabel = "پایان اعتبار", DoesNotExpire = "بدون انقضا",
        RevokedLabel = "ابطال", ReplacedByLabel = "جایگزین", RegistryAnswerLabel = "پاسخ سامانه:",
        FullNameNote = "نام کامل فقط با کد QR روی گواهینامه نمایش داده می‌شود",
        FamilyNamePrompt = "برای دیدن جزئیات، نام خانوادگی دارنده را همان‌طور که روی گواهینامه چاپ شده وارد کنید.",
        ShowDetails = "نمایش جزئیات", AnswerAsOf = "پاسخ سامانه در", LanguageLabel = "زبان",
        UncheckedTitle = "امضا بررسی نشد",
        UncheckedText = "امضای کد QR بررسی نشد (برای این کار جاوااسکریپت لازم است). آنچه در زیر می‌آید فقط پاسخ سامانه درباره این شماره است، نه اصالت برگه.",
        CheckingTitle = "در حال بررسی…", CheckingText = "در حال بررسی امضای کد QR…",
        NoCryptoText = "این مرورگر امکان بررسی امضا را ندارد (نیاز به https)؛ فقط پاسخ سامانه در زیر آمده است.",
        UnavailableText = "امضا اکنون قابل بررسی نیست (سامانه پاسخ نداد)؛ کمی بعد صفحه را دوباره باز کنید. فقط پاسخ سامانه در زیر آمده است.",
        StatusName = status => status switch
        {
            VerificationStatus.Valid => "معتبر", VerificationStatus.Revoked => "باطل‌شده", VerificationStatus.Expired => "منقضی",
            VerificationStatus.Superseded => "جایگزین‌شده", VerificationStatus.NotFound => "یافت نشد", _ => "شماره نامعتبر",
        },
        StatusText = status => status switch
        {
            VerificationStatus.Valid => "این شماره گواهینامه در سامانه معتبر ثبت شده است.",
            VerificationStatus.Revoked => "این گواهینامه باطل شده و دیگر اعتبار ندارد.",
            VerificationStatus.Expired => "اعتبار این گواهینامه به پایان رسیده است.",
            VerificationStatus.Superseded => "این گواهینامه با گواهینامه اصلاح‌شده‌ای جایگزین شده است؛ گواهینامه جدید را بررسی کنید.",
            VerificationStatus.NotFound => "گواهینامه‌ای با این شماره در سامانه ثبت نشده است.",
            _ => "این شماره گواهینامه معتبر نیست؛ آن را دوباره و با دقت وارد کنید.",
        },
        VerdictName = verdict => verdict switch
        {
            VerificationVerdict.Genuine => "اصیل",
            VerificationVerdict.GenuineButRevoked => "باطل‌شده",
            VerificationVerdict.GenuineButSuperseded => "جایگزین‌شده",
            VerificationVerdict.GenuineButExpired => "منقضی",
            VerificationVerdict.QrNotGenuine => "کد QR جعلی است",
            VerificationVerdict.QrOfAnotherCertificate => "کد QR مال گواهینامه دیگری است",
            VerificationVerdict.StatusOnly => "کد QR بررسی نشد",
            VerificationVerdict.NotFound => "یافت نشد",
            _ => "شماره نامعتبر",
        },
        VerdictText = (verdict, status, number, other) => verdict switch
        {
            VerificationVerdict.Genuine => "اصیل: این کد QR را سامانه ثبت برای همین گواهینامه صادر کرده و این گواهینامه معتبر است.",
            VerificationVerdict.GenuineButRevoked => "کد QR اصیل است، اما سامانه ثبت این گواهینامه را باطل کرده و دیگر اعتبار ندارد.",
            VerificationVerdict.GenuineButSuperseded => "کد QR اصیل است، اما این گواهینامه با گواهینامه اصلاح‌شده‌ای جایگزین شده است؛ گواهینامه جدید را بررسی کنید.",
            VerificationVerdict.GenuineButExpired => "کد QR اصیل است، اما اعتبار این گواهینامه به پایان رسیده است.",
            VerificationVerdict.QrNotGenuine =>
                $"هشدار: این کد QR را سامانه ثبت برای گواهینامه {Ltr(number)} صادر نکرده است؛ امضای آن نامعتبر است یا دستکاری شده است. به این برگه اعتماد نکنید.",
            VerificationVerdict.QrOfAnotherCertificate =>
                $"هشدار: این کد QR اصیل است اما سامانه ثبت آن را برای گواهینامه دیگری ({Ltr(other)}) صادر کرده است، نه برای {Ltr(number)}. این برگه با کد QR خود مطابقت ندارد.",
            VerificationVerdict.StatusOnly => Persian!.StatusMessage(status) + " کد QR بررسی نشد: فقط اطلاعات ثبت‌شده این شماره در سامانه نمایش داده شده است.",
            _ => Persian!.StatusMessage(status),
        },
        AssessorLabel = "ارزیاب",
        AssessorText = (standing, role) => standing switch
        {
            AssessorStanding.Current => role == AssessorRole.LeadAssessor
                ? "سرارزیاب ثبت‌شده در سامانه، دارای صلاحیت معتبر برای این استاندارد در روز آزمون."
                : "ارزیاب ثبت‌شده در سامانه، دارای صلاحیت معتبر برای این استاندارد در روز آزمون.",
            AssessorStanding.NotCurrent => "فردی ثبت‌شده در سامانه که صلاحیت او برای این استاندارد در روز آزمون دیگر پذیرفته نیست (بعداً سلب شده است).",
            AssessorStanding.Unregistered => "ارزیابی که تنها با نام ثبت شده و با فهرست ارزیابان سامانه تطبیق داده نشده است.",
            _ => "ارزیاب پیش از راه‌اندازی فهرست ارزیابان، تنها با نام ثبت شده و با آن تطبیق داده نشده است.",
        },
        ReasonText = code => code switch
        {
            "issued-in-error" => "صدور اشتباه", "fraud" => "تقلب", "assessment-annulled" => "ابطال آزمون",
            "holder-request" => "به درخواست دارنده", _ => "سایر دلایل",
        },
        ShareTitle = "گواهینامه‌های به اشتراک گذاشته", SharedWithLabel = "برای", ShareOpenUntilLabel = "اعتبار پیوند تا",
        NoCertificatesYet = "هنوز گواهینامه‌ای صادر نشده است.",
        ShareStateName = state => state switch
        {
            Holders.ShareState.Active => "به اشتراک گذاشته‌شده توسط دارنده", Holders.ShareState.Revoked => "لغوشده توسط دارنده",
            Holders.ShareState.Expired => "منقضی", _ => "یافت نشد",
        },
        ShareStateText = state => state switch
        {
            Holders.ShareState.Active =>
                "دارنده این گواهینامه‌ها را از طریق سامانه ثبت به اشتراک گذاشته است: هر گواهینامه هم‌اکنون با سامانه بررسی شده و نتیجه آن در ابتدا آمده است.",
            Holders.ShareState.Revoked => "دارنده این اشتراک را لغو کرده است و دیگر چیزی نمایش داده نمی‌شود.",
            Holders.ShareState.Expired => "مهلت این اشتراک به پایان رسیده است و دیگر چیزی نمایش داده نمی‌شود؛ پیوند جدیدی از دارنده بخواهید.",
            _ => "اشتراکی با این پیوند وجود ندارد. بررسی کنید که پیوند کامل کپی شده باشد.",
        },
    };

    public static readonly VerificationLanguage Arabic = new()
    {
        Code = Language.Ar, RightToLeft = true, Name = "العربية", Dates = DateStyle.ArabicGregorian,
        Months = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"],
        PageTitle = "التحقق من الشهادة", NumberLabel = "الرقم", HolderLabel = "حامل الشهادة", StandardLabel = "المعيار المهني",
        CurrentStandardLabel = "المعيار المعمول به حاليًا", EquivalentText = "معادِل", NotEquivalentText = "غير معادِل",
        IssuedByLabel = "جهة الإصدار", IssuedLabel = "تاريخ الإصدار", ExpiresLabel = "تاريخ انتهاء الصلاحية", DoesNotExpire = "لا تنتهي صلاحيتها",
        RevokedLabel = "الإلغاء", ReplacedByLabel = "الشهادة البديلة", RegistryAnswerLabel = "ردّ السجل:",
        FullNameNote = "لا يظهر الاسم الكامل إلا عبر رمز QR المطبوع على الشهادة",
        FamilyNamePrompt = "لعرض التفاصيل، اكتب اسم عائلة حامل الشهادة كما هو مطبوع على الشهادة.",
        ShowDetails = "عرض التفاصيل", AnswerAsOf = "ردّ السجل بتاريخ", LanguageLabel = "اللغة",
        UncheckedTitle = "لم يُفحص التوقيع",
        UncheckedText = "لم يُفحص توقيع رمز QR (يتطلب ذلك تفعيل JavaScript). ما يلي هو ردّ السجل على هذا الرقم فحسب، وليس دليلًا على أصالة الورقة.",
        CheckingTitle = "جارٍ الفحص…", CheckingText = "جارٍ فحص توقيع رمز QR…",
        NoCryptoText = "لا يستطيع هذا المتصفح فحص التوقيع هنا (يلزم اتصال https)؛ ما يلي هو ردّ السجل فحسب.",
        UnavailableText = "تعذّر فحص التوقيع الآن (لم يستجب السجل)؛ أعد فتح الصفحة بعد قليل. ما يلي هو ردّ السجل فحسب.",
        StatusName = status => status switch
        {
            VerificationStatus.Valid => "صالحة", VerificationStatus.Revoked => "ملغاة", VerificationStatus.Expired => "منتهية الصلاحية",
            VerificationStatus.Superseded => "مستبدَلة", VerificationStatus.NotFound => "غير موجودة", _ => "رقم غير صحيح",
        },
        StatusText = status => status switch
        {
            VerificationStatus.Valid => "رقم هذه الشهادة مسجَّل في السجل على أنه صالح.",
            VerificationStatus.Revoked => "أُلغيت هذه الشهادة ولم تعد صالحة.",
            VerificationStatus.Expired => "انتهت صلاحية هذه الشهادة.",
            VerificationStatus.Superseded => "استُبدلت هذه الشهادة بشهادة مصحَّحة؛ تحقَّق من الشهادة البديلة.",
            VerificationStatus.NotFound => "لا توجد في السجل شهادة بهذا الرقم.",
            _ => "هذا ليس رقم شهادة صحيحًا: تحقَّق من عدم وجود خطأ في الكتابة.",
        },
        VerdictName = verdict => verdict switch
        {
            VerificationVerdict.Genuine => "أصلية",
            VerificationVerdict.GenuineButRevoked => "ملغاة",
            VerificationVerdict.GenuineButSuperseded => "مستبدَلة",
            VerificationVerdict.GenuineButExpired => "منتهية الصلاحية",
            VerificationVerdict.QrNotGenuine => "رمز QR غير أصلي",
            VerificationVerdict.QrOfAnotherCertificate => "رمز QR يعود إلى شهادة أخرى",
            VerificationVerdict.StatusOnly => "لم يُفحص رمز QR",
            VerificationVerdict.NotFound => "غير موجودة",
            _ => "رقم غير صحيح",
        },
        VerdictText = (verdict, status, number, other) => verdict switch
        {
            VerificationVerdict.Genuine => "أصلية: أصدر السجل رمز QR هذا لهذه الشهادة بعينها، وهي مسجَّلة فيه على أنها صالحة.",
            VerificationVerdict.GenuineButRevoked => "رمز QR أصلي، لكن السجل ألغى هذه الشهادة: لم تعد صالحة.",
            VerificationVerdict.GenuineButSuperseded => "رمز QR أصلي، لكن هذه الشهادة استُبدلت بشهادة مصحَّحة: تحقَّق من الشهادة البديلة.",
            VerificationVerdict.GenuineButExpired => "رمز QR أصلي، لكن صلاحية هذه الشهادة انتهت.",
            VerificationVerdict.QrNotGenuine =>
                $"تحذير: لم يُصدر السجل رمز QR هذا للشهادة {Ltr(number)}؛ فتوقيعه غير صالح أو جرى التلاعب به. لا تعتمد على هذه الورقة.",
            VerificationVerdict.QrOfAnotherCertificate =>
                $"تحذير: رمز QR هذا أصلي، لكن السجل أصدره لشهادة أخرى ({Ltr(other)})، لا للشهادة {Ltr(number)}. هذه الورقة لا تطابق رمز QR المطبوع عليها.",
            VerificationVerdict.StatusOnly => Arabic!.StatusMessage(status) + " لم يُفحص أي رمز QR: يُعرض فقط ما سجّله السجل لهذا الرقم.",
            _ => Arabic!.StatusMessage(status),
        },
        AssessorLabel = "المُقيِّم",
        AssessorText = (standing, role) => standing switch
        {
            AssessorStanding.Current => role == AssessorRole.LeadAssessor
                ? "كبير مقيّمين مسجّل في السجل، مؤهَّل ومعتمد لهذا المعيار في يوم الامتحان."
                : "مقيّم مسجّل في السجل، مؤهَّل ومعتمد لهذا المعيار في يوم الامتحان.",
            AssessorStanding.NotCurrent => "شخص مسجّل في السجل لم يعد تأهيله لهذا المعيار معتدًّا به في يوم الامتحان (سُحب لاحقًا).",
            AssessorStanding.Unregistered => "مقيّم سُجّل باسمه فقط، ولم يُطابَق مع سجل المقيّمين.",
            _ => "سُجّل المقيّم قبل إنشاء سجل المقيّمين، باسمه فقط، ولم يُطابَق معه.",
        },
        ReasonText = code => code switch
        {
            "issued-in-error" => "صدرت عن طريق الخطأ", "fraud" => "احتيال", "assessment-annulled" => "إبطال التقييم",
            "holder-request" => "بناءً على طلب حاملها", _ => "أسباب أخرى",
        },
        ShareTitle = "الشهادات المُشارَكة", SharedWithLabel = "مُشارَكة مع", ShareOpenUntilLabel = "الرابط صالح حتى",
        NoCertificatesYet = "لم تصدر أي شهادة بعد.",
        ShareStateName = state => state switch
        {
            Holders.ShareState.Active => "شاركها حاملها", Holders.ShareState.Revoked => "سحبها حاملها",
            Holders.ShareState.Expired => "انتهت صلاحية المشاركة", _ => "غير موجودة",
        },
        ShareStateText = state => state switch
        {
            Holders.ShareState.Active =>
                "شاركها حاملُها عبر السجل: تُفحص كل شهادة أدناه الآن في السجل، ويظهر الحكم عليها أولًا.",
            Holders.ShareState.Revoked => "سحب حاملُ الشهادات هذه المشاركة، فلم تعد تعرض شيئًا.",
            Holders.ShareState.Expired => "انتهت صلاحية هذه المشاركة، فلم تعد تعرض شيئًا؛ اطلب من حامل الشهادات رابطًا جديدًا.",
            _ => "لا توجد مشاركة بهذا الرابط. تحقَّق من أنه نُسخ كاملًا.",
        },
    };
}
