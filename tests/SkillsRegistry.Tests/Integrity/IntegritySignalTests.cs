using System.Net;
using System.Text.Json;
using SkillsRegistry.Api.Features.Integrity;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Integrity;

internal static class Signals
{
    /// <summary>The signals of one kind in a period, as an admin sees them.</summary>
    public static async Task<JsonElement[]> GetAsync(RegistryApp app, string kind, string from, string to)
    {
        var admin = await app.AdminClientAsync();
        var body = await (await admin.GetAsync($"/api/v1/integrity/signals?kind={kind}&from={from}&to={to}")).ReadJsonAsync();
        return body.GetProperty("signals").EnumerateArray().ToArray();
    }

    public static Guid CenterId(this JsonElement signal) => Guid.Parse(signal.GetProperty("center").GetProperty("id").GetString()!);

    public static Guid[] EvidenceIds(this JsonElement signal) =>
        signal.GetProperty("evidence").GetProperty("assessmentIds").EnumerateArray().Select(e => Guid.Parse(e.GetString()!)).ToArray();

    public static SeedResult Pass(Guid center, Guid standard, DateOnly date) => new(center, standard, date, Passed: true, Theory: 70, Practical: 80);
    public static SeedResult Fail(Guid center, Guid standard, DateOnly date) => new(center, standard, date, Passed: false, Theory: 30, Practical: 40);

    /// <summary>Four centers with 40 results each for one standard in one month; each passes 24 unless told otherwise.</summary>
    public static async Task<(Guid[] Centers, string Code)> PeersAsync(RegistryApp app, DateOnly date, int lastCenterPasses = 24)
    {
        var (standard, code) = await app.InsertStatsStandardAsync("handicrafts");
        var centers = new Guid[4];
        var rows = new List<SeedResult>();
        for (var i = 0; i < 4; i++)
        {
            centers[i] = await app.InsertCenterAsync(province: "IR-10");
            var passes = i == 3 ? lastCenterPasses : 24;
            rows.AddRange(Pass(centers[i], standard, date).Times(passes));
            rows.AddRange(Fail(centers[i], standard, date).Times(40 - passes));
        }
        await app.InsertResultsAsync(rows);
        return (centers, code);
    }
}

public sealed class PassRateAbovePeersTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Clean_peers_with_similar_pass_rates_raise_no_signal(TestDatabase db)
    {
        var app = await fixture.For(db);
        await Signals.PeersAsync(app, new DateOnly(2030, 1, 15));

        Assert.Empty(await Signals.GetAsync(app, "pass-rate-above-peers", "2030-01-01", "2030-01-31"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_center_passing_39_of_40_against_peers_at_60_percent_is_flagged(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (centers, code) = await Signals.PeersAsync(app, new DateOnly(2030, 3, 15), lastCenterPasses: 39);

        var signal = Assert.Single(await Signals.GetAsync(app, "pass-rate-above-peers", "2030-03-01", "2030-03-31"));

        Assert.Equal(centers[3], signal.CenterId());
        Assert.Equal(code, signal.GetProperty("standardCode").GetString());
        Assert.Equal("2030-03-01", signal.GetProperty("from").GetString());
        Assert.Equal("2030-03-31", signal.GetProperty("to").GetString());
        var evidence = signal.GetProperty("evidence");
        Assert.Equal(40, evidence.GetProperty("results").GetInt32());
        Assert.Equal(0.6, evidence.GetProperty("peerPassRate").GetDouble());
        Assert.Equal(4.84, evidence.GetProperty("z").GetDouble(), 2);
        Assert.Equal(40, evidence.GetProperty("assessmentCount").GetInt32());
        Assert.Equal(40, signal.EvidenceIds().Length);
    }

    [Fact]
    public void The_binomial_z_compares_with_the_pooled_rate_of_the_others() =>
        Assert.Equal((0.975 - 0.6) / Math.Sqrt(0.6 * 0.4 / 40), IntegrityDetector.BinomialZ(39, 40, 72, 120), 10);

    [Theory]
    [InlineData("2025-05", 1, "2025-05-01", "2025-05-31")]
    [InlineData("2025-05", 3, "2025-04-01", "2025-06-30")]
    [InlineData("2024-02", 12, "2024-01-01", "2024-12-31")]
    public void Months_pool_into_calendar_windows(string month, int windowMonths, string from, string to)
    {
        var (start, end) = IntegrityDetector.Window(month, windowMonths);
        Assert.Equal((DateOnly.Parse(from), DateOnly.Parse(to)), (start, end));
    }
}

public sealed class HeapingAtPassMarkTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    /// <summary>30 results with theory scores spread evenly over 40..84.5 (pass mark 50).</summary>
    private static IEnumerable<SeedResult> Spread(Guid center, Guid standard, DateOnly date) =>
        Enumerable.Range(0, 30).Select(i => new SeedResult(center, standard, date, Passed: 40 + i * 1.5m >= 50, Theory: 40 + i * 1.5m, Practical: 75));

    [Theory, OnSqlite, OnPostgres]
    public async Task Scores_spread_around_the_pass_mark_raise_no_signal(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, _) = await app.InsertStatsStandardAsync("handicrafts");
        var center = await app.InsertCenterAsync(province: "IR-10");
        await app.InsertResultsAsync(Spread(center, standard, new DateOnly(2031, 1, 10)));

        Assert.Empty(await Signals.GetAsync(app, "heaping-at-pass-mark", "2031-01-01", "2031-01-31"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Twelve_theory_scores_exactly_at_the_pass_mark_and_one_just_below_are_flagged(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, code) = await app.InsertStatsStandardAsync("handicrafts");
        var theoryHeap = await app.InsertCenterAsync(province: "IR-10");
        var practicalHeap = await app.InsertCenterAsync(province: "IR-10");
        var date = new DateOnly(2031, 3, 10);
        var atMark = await app.InsertResultsAsync(new SeedResult(theoryHeap, standard, date, Theory: 50, Practical: 75).Times(12));
        await app.InsertResultsAsync([
            new SeedResult(theoryHeap, standard, date, Passed: false, Theory: 47, Practical: 75),
            .. new SeedResult(theoryHeap, standard, date, Theory: 80, Practical: 75).Times(17),
            .. new SeedResult(practicalHeap, standard, date, Theory: 75, Practical: 60).Times(15),
            .. new SeedResult(practicalHeap, standard, date, Theory: 75, Practical: 85).Times(15),
        ]);

        var signals = await Signals.GetAsync(app, "heaping-at-pass-mark", "2031-03-01", "2031-03-31");

        Assert.Equal(2, signals.Length);
        var theory = Assert.Single(signals, s => s.CenterId() == theoryHeap);
        Assert.Equal("theory", theory.GetProperty("evidence").GetProperty("component").GetString());
        Assert.Equal(12, theory.GetProperty("evidence").GetProperty("atMark").GetInt32());
        Assert.Equal(1, theory.GetProperty("evidence").GetProperty("justBelow").GetInt32());
        Assert.Equal(code, theory.GetProperty("standardCode").GetString());
        Assert.Equal(atMark.Order(), theory.EvidenceIds().Order());
        var practical = Assert.Single(signals, s => s.CenterId() == practicalHeap);
        Assert.Equal("practical", practical.GetProperty("evidence").GetProperty("component").GetString());
    }
}

public sealed class AssessorPatternTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Assessors_with_ordinary_scores_raise_no_signal(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, _) = await app.InsertStatsStandardAsync("oil-gas");
        var center = await app.InsertCenterAsync(province: "IR-10");
        var date = new DateOnly(2032, 1, 10);
        await app.InsertResultsAsync([
            .. new SeedResult(center, standard, date, Theory: 72, Practical: 81, AssessorName: "Ali Rezaei", AssessorId: "AS-9").Times(25),
            .. new SeedResult(center, standard, date, Theory: 66, Practical: 90, AssessorName: "Mina Saberi", AssessorId: "AS-10").Times(25),
            // Many matching results, but under half of the assessor's work: not flagged.
            .. new SeedResult(center, standard, date, Theory: 52, Practical: 97, AssessorName: "Hadi Nouri", AssessorId: null).Times(25),
            .. new SeedResult(center, standard, date, Theory: 80, Practical: 70, AssessorName: "Hadi Nouri", AssessorId: null).Times(30),
        ]);

        Assert.Empty(await Signals.GetAsync(app, "assessor-pattern", "2032-01-01", "2032-01-31"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_assessor_giving_near_perfect_practicals_to_barely_passing_theory_is_flagged(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, code) = await app.InsertStatsStandardAsync("oil-gas");
        var center = await app.InsertCenterAsync(province: "IR-10");
        var date = new DateOnly(2032, 3, 10);
        var matching = await app.InsertResultsAsync(
            new SeedResult(center, standard, date, Theory: 52, Practical: 97, AssessorName: "Ali Rezaei", AssessorId: "AS-9").Times(25));
        await app.InsertResultsAsync([
            .. new SeedResult(center, standard, date, Theory: 80, Practical: 70, AssessorName: "Ali Rezaei", AssessorId: "AS-9").Times(5),
            .. new SeedResult(center, standard, date, Theory: 66, Practical: 90, AssessorName: "Mina Saberi", AssessorId: "AS-10").Times(30),
        ]);

        var signal = Assert.Single(await Signals.GetAsync(app, "assessor-pattern", "2032-03-01", "2032-03-31"));

        Assert.Equal(center, signal.CenterId());
        Assert.Equal("AS-9", signal.GetProperty("assessor").GetProperty("id").GetString());
        Assert.Equal("Ali Rezaei", signal.GetProperty("assessor").GetProperty("name").GetString());
        Assert.Equal(code, signal.GetProperty("standardCode").GetString());
        Assert.Equal("high", signal.GetProperty("severity").GetString()); // 25 of 30
        Assert.Equal(25, signal.GetProperty("evidence").GetProperty("matching").GetInt32());
        Assert.Equal(matching.Order(), signal.EvidenceIds().Order());
    }
}

public sealed class SamePersonTwoCentersTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_person_on_different_days_or_twice_at_one_center_raises_no_signal(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, _) = await app.InsertStatsStandardAsync("ai");
        var a = await app.InsertCenterAsync(province: "IR-10");
        var b = await app.InsertCenterAsync(province: "IR-10");
        var trainee = await app.Db.WriteAsync(s => s.InsertTraineeAsync());
        var date = new DateOnly(2033, 1, 10);
        await app.InsertResultsAsync([
            new SeedResult(a, standard, date, TraineeId: trainee),
            new SeedResult(a, standard, date, TraineeId: trainee),
            new SeedResult(b, standard, date.AddDays(1), TraineeId: trainee),
            .. new SeedResult(a, standard, date).Times(10),
            .. new SeedResult(b, standard, date).Times(10),
        ]);

        Assert.Empty(await Signals.GetAsync(app, "same-person-two-centers", "2033-01-01", "2033-01-31"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task The_same_person_at_two_centers_on_one_exam_date_is_a_high_signal_with_both_assessments(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, _) = await app.InsertStatsStandardAsync("ai");
        var a = await app.InsertCenterAsync(province: "IR-10");
        var b = await app.InsertCenterAsync(province: "IR-11");
        var trainee = await app.Db.WriteAsync(s => s.InsertTraineeAsync());
        var date = new DateOnly(2033, 3, 10);
        var first = await app.InsertResultsAsync([new SeedResult(a, standard, date, TraineeId: trainee)]);
        var second = await app.InsertResultsAsync([new SeedResult(b, standard, date, TraineeId: trainee)]);
        await app.InsertResultsAsync([.. new SeedResult(a, standard, date).Times(10), .. new SeedResult(b, standard, date).Times(10)]);

        var signal = Assert.Single(await Signals.GetAsync(app, "same-person-two-centers", "2033-03-01", "2033-03-31"));

        Assert.Equal("high", signal.GetProperty("severity").GetString());
        Assert.Equal(a, signal.CenterId());
        Assert.Equal(b.ToString(), signal.GetProperty("evidence").GetProperty("otherCenter").GetProperty("id").GetString());
        Assert.Equal([first[0], second[0]], signal.EvidenceIds());
    }
}

public sealed class LateBurstTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static DateTimeOffset On(int year, int month, int day) => new(year, month, day, 9, 30, 0, TimeSpan.Zero);

    [Theory, OnSqlite, OnPostgres]
    public async Task Timely_results_and_a_small_late_batch_raise_no_signal(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, _) = await app.InsertStatsStandardAsync("cinema");
        var center = await app.InsertCenterAsync(province: "IR-10");
        await app.InsertResultsAsync([
            .. new SeedResult(center, standard, new DateOnly(2034, 3, 1), RecordedAt: On(2034, 4, 2)).Times(20),  // 32 days: not late
            .. new SeedResult(center, standard, new DateOnly(2034, 1, 10), RecordedAt: On(2034, 4, 3)).Times(19), // late, but 19 < 20
        ]);

        Assert.Empty(await Signals.GetAsync(app, "late-burst", "2034-04-01", "2034-04-30"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Twenty_results_recorded_on_one_day_81_days_after_their_exam_are_flagged(TestDatabase db)
    {
        var app = await fixture.For(db);
        var (standard, code) = await app.InsertStatsStandardAsync("cinema");
        var center = await app.InsertCenterAsync(province: "IR-10");
        var other = await app.InsertCenterAsync(province: "IR-10");
        var late = await app.InsertResultsAsync(new SeedResult(center, standard, new DateOnly(2034, 6, 10), RecordedAt: On(2034, 8, 30)).Times(20));
        await app.InsertResultsAsync(new SeedResult(other, standard, new DateOnly(2034, 8, 1), RecordedAt: On(2034, 8, 30)).Times(30));

        var signal = Assert.Single(await Signals.GetAsync(app, "late-burst", "2034-08-01", "2034-08-31"));

        Assert.Equal(center, signal.CenterId());
        Assert.Equal(code, signal.GetProperty("standardCode").GetString());
        Assert.Equal("2034-08-30", signal.GetProperty("evidence").GetProperty("recordedOn").GetString());
        Assert.Equal(81, signal.GetProperty("evidence").GetProperty("maxDaysLate").GetInt32());
        Assert.Equal(late.Order(), signal.EvidenceIds().Order());
    }
}

public sealed class IntegrityAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Only_admins_see_signals_and_an_unknown_kind_is_a_field_error(TestDatabase db)
    {
        var app = await fixture.For(db);
        var centerId = await app.InsertCenterAsync(province: "IR-10");
        var center = app.ClientWithKey(await app.CreateKeyAsync(ApiKeyRole.Center, centerId: centerId));
        await (await center.GetAsync("/api/v1/integrity/signals")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var admin = await app.AdminClientAsync();
        var problem = await (await admin.GetAsync("/api/v1/integrity/signals?kind=bribery")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("kind"));
        var all = await (await admin.GetAsync("/api/v1/integrity/signals")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Array, all.GetProperty("signals").ValueKind);
    }
}
