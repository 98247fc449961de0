using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Features.Standards;

namespace SkillsRegistry.Api.Features.Demo;

/// <summary>
/// The demo's facts: the real partner agencies and their MoUs (from the public TVTO reports), and illustrative standards,
/// centers and people. Only seeded into a fresh SQLite database (or when Database:SeedDemoData is true).
/// </summary>
internal static class DemoCatalog
{
    public static readonly DateOnly LicensedFrom = new(2024, 3, 20); // 1403/01/01

    /// <summary>The film editor's assessors take 16 refresher hours in every 24 months: one of them lets it lapse.</summary>
    public static readonly AssessorRequirements FilmEditorAssessors = new(16, 24, false);

    public static readonly NewPartner[] Partners =
    [
        new("cinema-org", "Cinema Organization", "سازمان سینمایی", "IR", ["cinema"], new DateOnly(2025, 8, 25), null, PartnerStatus.Active,
            "MoU: cinema training quality, professional competency assessment system, joint working group, trainee insurance and bank facilities"),
        new("handicrafts-deputy", "Deputy of Handicrafts and Traditional Arts, Ministry of Cultural Heritage, Tourism and Handicrafts",
            "معاونت صنایع دستی و هنرهای سنتی", "IR", ["handicrafts"], new DateOnly(2025, 4, 22), new DateOnly(2028, 4, 21), PartnerStatus.Active,
            "MoU valid three years, extendable by mutual agreement: joint standards and exams, licensing private centers for artists, shared database, Isfahan handicraft skills hub"),
        new("maysan-iraq", "Maysan Province (Iraq)", "استان میسان عراق", "IQ", ["agri-industries"], new DateOnly(2025, 11, 26), null, PartnerStatus.Active,
            "Skills cooperation with Khuzestan: joint courses, exchange of instructors and training materials, skills competitions"),
        new("china-mohrss", "Ministry of Human Resources and Social Security, China", "وزارت منابع انسانی و تامین اجتماعی چین", "CN", ["oil-gas", "ai"],
            new DateOnly(2012, 3, 20), null, PartnerStatus.Active,
            "MoU of 1391 SH (the exact day is not public; recorded as 1391/01/01): working group on TVET, standards development, skills competitions"),
        new("kazakhstan-cinema", "State Center for Support of National Cinema (Kazakhstan)", "مرکز دولتی حمایت از سینمای ملی قزاقستان", "KZ", ["cinema"],
            null, null, PartnerStatus.Active, "Talks on co-productions, film weeks and training workshops; MoU planned (no agreement in force)"),
    ];

    public sealed record DemoStandard(string Code, StandardFields Fields, string? CoAuthor);

    public static readonly DemoStandard[] Standards =
    [
        new("3521-20-001", new("3521", "cinema", "دستیار فیلمبردار سینما", "Cinematography camera assistant", 80, 220, 50, 60, 60, []), "cinema-org"),
        new("2654-20-002", new("2654", "cinema", "تدوینگر فیلم", "Film editor", 90, 270, 50, 60, 60, []) { Assessors = FilmEditorAssessors }, "cinema-org"),
        new("7318-12-001", new("7318", "handicrafts", "بافنده فرش دستباف", "Hand-woven carpet weaver", 60, 340, 50, 60, null, []), "handicrafts-deputy"),
        new("7316-12-004", new("7316", "handicrafts", "هنرمند میناکاری", "Minakari (enamel) artisan", 50, 250, 50, 60, null, []), "handicrafts-deputy"),
        new("7514-31-003", new("7514", "agri-industries", "اپراتور فرآوری و بسته‌بندی خرما", "Date processing and packaging operator", 40, 120, 50, 55, 36, []), "maysan-iraq"),
    ];

    public sealed record DemoCenter(string Code, CenterFields Fields, string? Partner, string[] Scope);

    public static readonly DemoCenter[] Centers =
    [
        new("KHZ-AHV-001", new(CenterKind.Public, "مرکز آموزش فنی و حرفه‌ای شماره ۱ اهواز", "Ahvaz Technical and Vocational Training Center No. 1",
            "IR-10", "IR", null, "Ahvaz", "Kianpars, Ahvaz", "+98 61 3333 0000", "ahvaz1@tvto.example", null), null, ["7514-31-003", "7318-12-001"]),
        new("KHZ-AHV-P17", new(CenterKind.PrivateInstitute, "آموزشگاه آزاد فنی و حرفه‌ای نخل", "Nakhl Private Vocational Institute",
            "IR-10", "IR", null, "Ahvaz", null, "+98 61 3344 1717", null, null), null, ["7514-31-003"]),
        new("ISF-ISF-HC1", new(CenterKind.PartnerRun, "مرکز مهارت‌آموزی صنایع دستی اصفهان", "Isfahan Handicrafts Skills Hub",
            "IR-04", "IR", null, "Isfahan", "Naqsh-e Jahan Square", "+98 31 3222 0000", null, null), "handicrafts-deputy", ["7318-12-001", "7316-12-004"]),
        new("ISF-KSH-P04", new(CenterKind.PrivateInstitute, "آموزشگاه آزاد فرش نقش جهان", "Naqsh-e Jahan Carpet Institute",
            "IR-04", "IR", null, "Kashan", null, null, null, null), null, ["7318-12-001"]),
        new("THR-THR-CIN", new(CenterKind.PartnerRun, "مرکز آموزش سینما و تلویزیون تهران", "Tehran Cinema and Television Training Center",
            "IR-07", "IR", null, "Tehran", "Vali-e Asr Ave.", "+98 21 8800 0000", null, null), "cinema-org", ["3521-20-001", "2654-20-002"]),
        new("THR-THR-P52", new(CenterKind.PrivateInstitute, "آموزشگاه آزاد سینمایی پرده", "Pardeh Private Film School",
            "IR-07", "IR", null, "Tehran", null, null, null, null), null, ["2654-20-002"]),
        new("IQ-MYS-001", new(CenterKind.Foreign, "مرکز مهارت میسان", "Maysan Skills Center",
            null, "IQ", "Maysan", "Amarah", null, null, null, null), "maysan-iraq", ["7514-31-003"]),
        new("AZE-TBZ-001", new(CenterKind.Public, "مرکز آموزش فنی و حرفه‌ای فرش تبریز", "Tabriz Carpet Technical and Vocational Training Center",
            "IR-01", "IR", null, "Tabriz", null, "+98 41 3555 0000", null, null), null, ["7318-12-001"]),
        new("FRS-SHZ-P09", new(CenterKind.PrivateInstitute, "آموزشگاه آزاد گبه و فرش شیراز", "Shiraz Gabbeh and Carpet Institute",
            "IR-14", "IR", null, "Shiraz", null, null, null, null), null, ["7318-12-001"]),
        new("KRM-BAM-001", new(CenterKind.Public, "مرکز آموزش فنی و حرفه‌ای بم", "Bam Technical and Vocational Training Center",
            "IR-15", "IR", null, "Bam", null, "+98 34 4433 0000", null, null), null, ["7514-31-003"]),
    ];

    public sealed record Person(string GivenFa, string FamilyFa, string GivenLatin, string FamilyLatin, string Gender, string[] Groups);

    public static readonly Person[] People =
    [
        new("زهرا", "کریمی‌نژاد", "Zahra", "Karimi-Nezhad", "female", ["female-heads-of-household"]),
        new("محمد", "رضایی", "Mohammad", "Rezaei", "male", ["urban-job-seekers"]),
        new("فاطمه", "موسوی", "Fatemeh", "Mousavi", "female", ["university-graduates"]),
        new("علی", "حسینی", "Ali", "Hosseini", "male", ["rural-job-seekers"]),
        new("مریم", "جعفری", "Maryam", "Jafari", "female", ["school-students"]),
        new("حسین", "احمدی", "Hossein", "Ahmadi", "male", ["employed-workers"]),
        new("نرگس", "صالحی", "Narges", "Salehi", "female", ["female-heads-of-household"]),
        new("رضا", "کاظمی", "Reza", "Kazemi", "male", ["recovered-from-addiction"]),
        new("سارا", "نوری", "Sara", "Nouri", "female", ["university-students"]),
        new("امیر", "قاسمی", "Amir", "Ghasemi", "male", ["urban-job-seekers"]),
        new("لیلا", "باقری", "Leila", "Bagheri", "female", ["rural-job-seekers"]),
        new("مهدی", "رحیمی", "Mehdi", "Rahimi", "male", ["university-graduates"]),
    ];

    /// <summary>The Maysan partner's assessor, identified by passport as foreign nationals are, who visits Ahvaz for the date exams.</summary>
    public static readonly Person MaysanAssessor = new("حیدر", "الساعدی", "Haider", "Al-Saadi", "male", []);

    /// <summary>Trainees' names are drawn from these (Persian script, Latin transliteration, gender).</summary>
    public static readonly (string Fa, string Latin, string Gender)[] GivenNames =
    [
        ("زهرا", "Zahra", "female"), ("فاطمه", "Fatemeh", "female"), ("مریم", "Maryam", "female"), ("نرگس", "Narges", "female"),
        ("سارا", "Sara", "female"), ("لیلا", "Leila", "female"), ("معصومه", "Masoumeh", "female"), ("الهام", "Elham", "female"),
        ("سمیه", "Somayeh", "female"), ("نازنین", "Nazanin", "female"), ("پریسا", "Parisa", "female"), ("زینب", "Zeinab", "female"),
        ("محمد", "Mohammad", "male"), ("علی", "Ali", "male"), ("حسین", "Hossein", "male"), ("رضا", "Reza", "male"),
        ("امیر", "Amir", "male"), ("مهدی", "Mehdi", "male"), ("حمید", "Hamid", "male"), ("سعید", "Saeed", "male"),
        ("جواد", "Javad", "male"), ("مجید", "Majid", "male"), ("یوسف", "Yousef", "male"), ("ابوالفضل", "Abolfazl", "male"),
    ];

    public static readonly (string Fa, string Latin)[] FamilyNames =
    [
        ("کریمی‌نژاد", "Karimi-Nezhad"), ("رضایی", "Rezaei"), ("موسوی", "Mousavi"), ("حسینی", "Hosseini"), ("جعفری", "Jafari"),
        ("احمدی", "Ahmadi"), ("صالحی", "Salehi"), ("کاظمی", "Kazemi"), ("نوری", "Nouri"), ("قاسمی", "Ghasemi"), ("باقری", "Bagheri"),
        ("رحیمی", "Rahimi"), ("محمدی", "Mohammadi"), ("اکبری", "Akbari"), ("عباسی", "Abbasi"), ("زارعی", "Zarei"), ("شریفی", "Sharifi"),
        ("طاهری", "Taheri"), ("نجفی", "Najafi"), ("سلطانی", "Soltani"), ("امیری", "Amiri"), ("کرمانی", "Kermani"), ("تبریزی", "Tabrizi"),
    ];

    /// <summary>The Maysan center's trainees, identified by passport.</summary>
    public static readonly (string Fa, string Latin, string Gender)[] IraqiGivenNames =
    [
        ("حیدر", "Haider", "male"), ("مصطفی", "Mustafa", "male"), ("حسن", "Hassan", "male"), ("عباس", "Abbas", "male"),
        ("زینب", "Zainab", "female"), ("فاطمه", "Fatima", "female"), ("نور", "Noor", "female"),
    ];

    public static readonly (string Fa, string Latin)[] IraqiFamilyNames =
        [("الساعدی", "Al-Saadi"), ("المالکی", "Al-Maliki"), ("الموسوی", "Al-Musawi"), ("الکعبی", "Al-Kaabi"), ("العبودی", "Al-Aboudi")];

    /// <summary>The target groups a demo trainee may belong to (one each, or none).</summary>
    public static readonly string[] TargetGroups =
        ["urban-job-seekers", "rural-job-seekers", "university-graduates", "university-students", "employed-workers", "school-students"];
}
