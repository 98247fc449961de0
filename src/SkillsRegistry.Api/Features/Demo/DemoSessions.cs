using SkillsRegistry.Api.Features.Assessments;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Infrastructure.Text;

namespace SkillsRegistry.Api.Features.Demo;

/// <summary>
/// The demo's exam sessions, drawn from a fixed seed so every fresh demo is the same: each center examines each standard of
/// its scope twice a year or so, from the first Solar Hijri year two years before today's to a week ago, a cohort of
/// seven to fourteen, about seven in ten passing on the scores; some who failed sit the next session again. Each session is
/// one batch, submitted a few days after the exam. Who assesses is the center's own assessor, except where the demo shows
/// the register's rules: the Maysan partner's visitor assesses Ahvaz's date exams once its agreement is in force, and the
/// Pardeh school's assessor, whose refresher hours lapse, is replaced by the Tehran cinema center's on a visit.
/// </summary>
internal static class DemoSessions
{
    public sealed record Session(string CenterCode, string StandardCode, DateOnly ExamDate, DateOnly SubmittedOn, string AssessorCode,
        bool Visiting, IReadOnlyList<AssessmentRowInput> Rows);

    /// <summary>The demo's assessors: each center's own (PR-{center}), and the Maysan partner's visitor.</summary>
    public static string OwnAssessor(string centerCode) => "PR-" + centerCode;

    public const string MaysanVisitor = "PR-MAYSAN-01";
    public const string LapsingCenter = "THR-THR-P52";
    public const string StandInCenter = "THR-THR-CIN";
    public const string VisitedCenter = "KHZ-AHV-001";

    /// <summary>The first exam day: after the Nowruz holidays of the Solar Hijri year two years before today's, not before the licences.</summary>
    public static DateOnly FirstDay(DateOnly today)
    {
        var persian = new System.Globalization.PersianCalendar();
        var nowruz = DateOnly.FromDateTime(persian.ToDateTime(RegistryCalendar.SolarHijriYear(today) - 2, 1, 1, 0, 0, 0, 0));
        return (nowruz < DemoCatalog.LicensedFrom ? DemoCatalog.LicensedFrom : nowruz).AddDays(14);
    }

    /// <summary>The lapsing assessor's only refresher course, two months before the first exams: it stops counting before the last ones.</summary>
    public static DateOnly LapsingCourse(DateOnly today) => FirstDay(today).AddDays(-60);

    public static DateOnly LapsesOn(DateOnly today) => LapsingCourse(today).AddMonths(DemoCatalog.FilmEditorAssessors.RefresherMonths!.Value);

    private const int Seed = 1403;

    public static IReadOnlyList<Session> Plan(DateOnly today, DateOnly maysanAgreementFrom)
    {
        var random = new Random(Seed);
        var (first, last) = (FirstDay(today), today.AddDays(-7));
        var sessions = new List<Session>();
        var person = 0;
        foreach (var center in DemoCatalog.Centers)
        foreach (var standard in center.Scope)
        {
            var retakes = new List<TraineeReference>();
            var serial = 0;
            foreach (var day in ExamDays(random, first, last))
            {
                var cohort = new List<TraineeReference>(retakes);
                retakes.Clear();
                for (var n = random.Next(7, 15); n > 0; n--) cohort.Add(NewTrainee(random, center, standard, day, person++));
                var (assessor, visiting) = AssessorFor(center.Code, standard, day, maysanAgreementFrom, today);
                var rows = new List<AssessmentRowInput>();
                foreach (var trainee in cohort)
                {
                    var (theory, practical, passes) = Scores(random, standard);
                    rows.Add(new AssessmentRowInput($"DEMO-{center.Code}-{standard[..4]}-{++serial:000}", trainee, standard, null, day,
                        theory, practical, null, assessor));
                    if (!passes && random.Next(0, 10) < 4) retakes.Add(trainee);
                }
                var submitted = day.AddDays(random.Next(1, 7));
                sessions.Add(new Session(center.Code, standard, day, submitted > today ? today : submitted, assessor, visiting, rows));
            }
        }
        return [.. sessions.OrderBy(s => s.SubmittedOn).ThenBy(s => s.ExamDate)];
    }

    private static (string Code, bool Visiting) AssessorFor(string center, string standard, DateOnly day, DateOnly maysanFrom, DateOnly today)
    {
        if (center == VisitedCenter && standard == "7514-31-003" && day >= maysanFrom) return (MaysanVisitor, true);
        if (center == LapsingCenter && day >= LapsesOn(today)) return (OwnAssessor(StandInCenter), true);
        return (OwnAssessor(center), false);
    }

    /// <summary>Every seven months or so, the last in the final three weeks (so each center shows recent results, whatever today is).</summary>
    private static IEnumerable<DateOnly> ExamDays(Random random, DateOnly first, DateOnly last)
    {
        for (var day = first.AddDays(random.Next(0, 45)); day < last.AddDays(-90); day = day.AddDays(random.Next(200, 250)))
            yield return ExamDay(day);
        yield return ExamDay(last.AddDays(-random.Next(0, 21)));
    }

    /// <summary>No exams on Fridays.</summary>
    private static DateOnly ExamDay(DateOnly day) => day.DayOfWeek == DayOfWeek.Friday ? day.AddDays(1) : day;

    /// <summary>About seven in ten pass both parts; a failure misses one part's pass mark or both.</summary>
    private static (decimal Theory, decimal Practical, bool Passes) Scores(Random random, string standardCode)
    {
        var fields = DemoCatalog.Standards.Single(s => s.Code == standardCode).Fields;
        decimal Above(decimal mark) => mark + Half(random.Next(0, (int)(2 * (98 - mark))));
        decimal Below(decimal mark) => mark - 1 - Half(random.Next(0, 40));
        if (random.Next(0, 100) < 72) return (Above(fields.TheoryPassMark), Above(fields.PracticalPassMark), true);
        return random.Next(0, 3) switch
        {
            0 => (Below(fields.TheoryPassMark), Above(fields.PracticalPassMark), false),
            1 => (Above(fields.TheoryPassMark), Below(fields.PracticalPassMark), false),
            _ => (Below(fields.TheoryPassMark), Below(fields.PracticalPassMark), false),
        };
    }

    private static decimal Half(int halves) => halves / 2m;

    /// <summary>Deterministic, valid national IDs (correct check digit) for the demo people.</summary>
    public static string NationalId(int n)
    {
        var body = (1_736_452_01 + n * 7919).ToString("000000000", System.Globalization.CultureInfo.InvariantCulture)[..9];
        var sum = body.Select((c, i) => (c - '0') * (10 - i)).Sum() % 11;
        return body + (sum < 2 ? sum : 11 - sum);
    }

    private static TraineeReference NewTrainee(Random random, DemoCatalog.DemoCenter center, string standardCode, DateOnly examDay, int n)
    {
        var birthDate = examDay.AddYears(-random.Next(18, 46)).AddDays(-random.Next(0, 365));
        if (center.Fields.Kind == CenterKind.Foreign)
        {
            var (givenFa, givenLatin, gender) = DemoCatalog.IraqiGivenNames[random.Next(DemoCatalog.IraqiGivenNames.Length)];
            var (familyFa, familyLatin) = DemoCatalog.IraqiFamilyNames[random.Next(DemoCatalog.IraqiFamilyNames.Length)];
            return new(null, null, $"A{1_234_567 + n}", "IQ", givenFa, familyFa, givenLatin, familyLatin, birthDate, gender, ["foreign-nationals"]);
        }
        // Carpet weaving and enamel work are mostly women's trades; the other sectors about even.
        var female = random.Next(0, 100) < (DemoCatalog.Standards.Single(s => s.Code == standardCode).Fields.Sector == "handicrafts" ? 75 : 45);
        var names = DemoCatalog.GivenNames.Where(g => g.Gender == (female ? "female" : "male")).ToList();
        var given = names[random.Next(names.Count)];
        var (fa, latin) = DemoCatalog.FamilyNames[random.Next(DemoCatalog.FamilyNames.Length)];
        var group = random.Next(0, 10) switch
        {
            < 3 => null,
            < 4 when female => "female-heads-of-household",
            _ => DemoCatalog.TargetGroups[random.Next(DemoCatalog.TargetGroups.Length)],
        };
        return new(null, NationalId(n), null, null, given.Fa, fa, given.Latin, latin, birthDate, given.Gender,
            group is null ? [] : [group]);
    }
}
