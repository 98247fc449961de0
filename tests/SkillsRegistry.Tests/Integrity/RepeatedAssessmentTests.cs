using SkillsRegistry.Api.Features.Integrity;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Integrity;

public sealed class RepeatedAssessmentTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static RepeatedResult On(DateOnly date) => new() { Id = Guid.CreateVersion7(), ExamDate = date, Outcome = "passed" };

    [Fact]
    public void The_densest_run_within_the_window_counts_and_a_spread_out_history_does_not()
    {
        var o = new IntegrityOptions { RepeatMinAssessments = 3, RepeatWindowDays = 30 };
        var d = new DateOnly(2025, 1, 1);
        Assert.Null(IntegrityDetector.DensestRepeat([On(d), On(d.AddDays(30)), On(d.AddDays(60))], o));
        Assert.Null(IntegrityDetector.DensestRepeat([On(d), On(d.AddDays(29))], o));
        var run = IntegrityDetector.DensestRepeat([On(d), On(d.AddDays(40)), On(d.AddDays(41)), On(d.AddDays(69)), On(d.AddDays(90))], o);
        Assert.Equal([d.AddDays(40), d.AddDays(41), d.AddDays(69)], run!.Select(r => r.ExamDate));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task One_person_assessed_once_each_at_three_centers_within_a_month_is_flagged(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, code) = await app.InsertStatsStandardAsync("handicrafts");
        var person = await app.Db.WriteAsync(s => s.InsertTraineeAsync("female", []));
        var centers = new List<Guid>();
        var rows = new List<SeedResult>();
        for (var i = 0; i < 3; i++)
        {
            centers.Add(await app.InsertCenterAsync(province: "IR-10"));
            rows.Add(Signals.Pass(centers[i], standard, new DateOnly(2025, 9, 1).AddDays(10 * i)) with { TraineeId = person });
        }
        // A second person assessed twice in the month is below the threshold.
        var other = await app.Db.WriteAsync(s => s.InsertTraineeAsync("male", []));
        rows.Add(Signals.Pass(centers[0], standard, new DateOnly(2025, 9, 2)) with { TraineeId = other });
        rows.Add(Signals.Fail(centers[1], standard, new DateOnly(2025, 9, 3)) with { TraineeId = other });
        var ids = await app.InsertResultsAsync(rows);

        var signals = (await Signals.GetAsync(app, "repeated-assessment", "2025-09-01", "2025-09-30"))
            .Where(s => s.GetProperty("standardCode").GetString() == code).ToArray();
        var signal = Assert.Single(signals);
        Assert.Equal("medium", signal.GetProperty("severity").GetString());
        Assert.Equal(person.ToString(), signal.GetProperty("evidence").GetProperty("traineeId").GetString());
        Assert.Equal(ids.Take(3).Order(), signal.EvidenceIds().Order());
        Assert.Equal(centers.Order(), signal.GetProperty("evidence").GetProperty("centers").EnumerateArray()
            .Select(c => Guid.Parse(c.GetProperty("id").GetString()!)).Order());
    }
}
