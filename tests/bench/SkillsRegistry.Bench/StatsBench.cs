using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;
using Dapper;
using SkillsRegistry.Api.Features.Statistics;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Reliability.Processes;

namespace SkillsRegistry.Bench;

/// <summary>
/// Statistics: N certificates (with their assessments and trainees) spread over 6 provinces, 6 sectors (one standard
/// each), both genders, 4 target groups (a quarter of trainees in none) and 3 Solar Hijri years (1401–1403), generated
/// straight into the tables; the service as a child process; five statistics requests timed one after another, with
/// GET /health/live as the baseline. Then the database's plan for one aggregate.
/// </summary>
public static class StatsBench
{
    private static readonly string[] Provinces = ["IR-01", "IR-04", "IR-07", "IR-10", "IR-23", "IR-30"];
    private static readonly string[] Sectors = ["cinema", "handicrafts", "agri-industries", "oil-gas", "ai", "home-based"];
    private static readonly string[] TargetGroups = ["school-students", "university-graduates", "female-heads-of-household", "rural-job-seekers"];
    private static readonly DateOnly FirstDay = new(2022, 3, 21); // 1401-01-01
    private const int Days = 1095; // to 1403-12-30 (2025-03-20)

    private const string InsertStandard = """
        INSERT INTO standards (id, code, version, status, isco_code, sector_code, title_fa, title_en, theory_hours, practical_hours,
                               theory_pass_mark, practical_pass_mark, validity_months, effective_from, effective_to, search_text, created_at, updated_at)
        VALUES (@id, @code, 1, 'active', '7318', @sector, 'استاندارد آزمایشی', @title, 60, 140, 50, 60, 36, @from, NULL, @search, @now, @now)
        """;
    private const string InsertCenter = """
        INSERT INTO training_centers (id, code, kind, name_fa, name_en, province_code, country, city, search_text, created_at, updated_at)
        VALUES (@id, @code, 'public', 'مرکز آزمایشی', @name, @province, 'IR', 'City', @search, @now, @now)
        """;

    private static readonly (string Name, string Path)[] Requests =
    [
        ("baseline: GET /health/live", "/health/live"),
        ("certificates by province", "/api/v1/statistics/certificates?groupBy=province"),
        ("certificates by sector, solar-year", "/api/v1/statistics/certificates?groupBy=sector,solar-year"),
        ("assessments by standard", "/api/v1/statistics/assessments?groupBy=standard"),
        ("assessments by target-group", "/api/v1/statistics/assessments?groupBy=target-group"),
        ("assessments by month, 1402 only", "/api/v1/statistics/assessments?groupBy=month&from=2023-03-21&to=2024-03-19"),
        ("certificates by province, 1402 only", "/api/v1/statistics/certificates?groupBy=province&from=2023-03-21&to=2024-03-19"),
        ("certificates by sector, solar-year, from 1402", "/api/v1/statistics/certificates?groupBy=sector,solar-year&from=2023-03-21"),
        ("assessments by target-group, gender, to 1402", "/api/v1/statistics/assessments?groupBy=target-group,gender&to=2024-03-19"),
    ];

    public static async Task RunAsync(string provider, int certificates, int repetitions)
    {
        await using var database = await BenchDatabase.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var centers = Provinces.Select((p, i) => (Id: Guid.CreateVersion7(), Code: $"TC-ST{i}", Province: p)).ToArray();
        var standards = Sectors.Select((sector, i) => (Id: Guid.CreateVersion7(), Code: $"STAT{i:D2}", Sector: sector)).ToArray();
        await database.Db.WriteAsync(async s =>
        {
            foreach (var c in centers)
                await s.ExecuteAsync(InsertCenter, new { id = c.Id, code = c.Code, name = "Center " + c.Province, province = c.Province, now,
                    search = PersianText.SearchText(c.Code, "مرکز آزمایشی", "Center " + c.Province) });
            foreach (var st in standards)
                await s.ExecuteAsync(InsertStandard, new { id = st.Id, code = st.Code, sector = st.Sector, title = "Standard " + st.Sector,
                    from = new DateOnly(2020, 1, 1), now, search = PersianText.SearchText(st.Code, "استاندارد آزمایشی", "Standard " + st.Sector) });
        });

        // About 70% of results pass (GeneratedResult.For), so this many results give the requested number of certificates.
        var results = (int)Math.Ceiling(certificates / 0.7);
        var generated = await BulkWriter.GenerateAsync(database, results, i => GeneratedResult.For(i, "STAT"), r =>
        {
            var q = r.Sequence;
            var exam = FirstDay.AddDays((int)(q * 7919 % Days));
            return new DirectRows.Spread(centers[q % centers.Length].Id, standards[q / 7 % standards.Length].Id, exam,
                exam.AddDays((int)(q % 20)), q % 2 == 0 ? "female" : "male", q % 4 == 3 ? null : TargetGroups[q / 3 % TargetGroups.Length]);
        });
        var written = generated.Certificates;
        var onDisk = Report.OnDisk(await database.SizeOnDiskAsync(), written);
        Console.WriteLine($"Generated {Report.N(written)} certificates in {generated.Elapsed.TotalSeconds:0} s; {onDisk}");
        var version = await database.ServerVersionAsync();
        var adminKey = await database.CreateAdminKeyAsync();
        var plan = await PlanAsync(database.Db, provider, [StatisticsGroup.Month], new DateOnly(2023, 3, 21), new DateOnly(2024, 3, 19));
        var unfilteredPlan = await PlanAsync(database.Db, provider, [StatisticsGroup.TargetGroup], null, null);
        var rollupRows = await database.Db.ReadAsync(async s => (
            await s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM statistics_daily"),
            await s.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM statistics_daily_target_groups")));
        await database.ReleaseConnectionsAsync();

        // A generous wait: on a shared, loaded machine the service can take over a minute to start.
        await using var service = await ServiceProcess.StartAsync(database.ServiceSettings(), readyWithin: TimeSpan.FromMinutes(5));
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, adminKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (_, path) in Requests) await TimeAsync(client, path); // warm-up, and proves each answers 200
        var timings = new List<(string Name, double Median, double P95, long Bytes)>();
        foreach (var (name, path) in Requests)
        {
            var samples = new List<double>();
            long bytes = 0;
            for (var i = 0; i < repetitions; i++)
            {
                var (ms, length) = await TimeAsync(client, path);
                samples.Add(ms);
                bytes = length;
            }
            samples.Sort();
            timings.Add((name, Percentile(samples, 0.5), Percentile(samples, 0.95), bytes));
        }
        var baseline = timings[0].Median;
        Report.Table($"stats — {Report.N(written)} certificates, {Report.N(results)} assessments ({repetitions} sequential requests each)", version,
            ["request", "median", "p95", "bytes/response", "median ratio to baseline"],
            timings.Select(t => (IReadOnlyList<string>)[t.Name, Report.Ms(t.Median), Report.Ms(t.P95), Report.N(t.Bytes), Report.Ratio(t.Median, baseline)]),
            $"{generated.Describe(results)}: {Report.N(rollupRows.Item1)} rows in statistics_daily, {Report.N(rollupRows.Item2)} in " +
            $"statistics_daily_target_groups; {onDisk}; PostgreSQL analysed after the load, as autovacuum would shortly after it, SQLite not (the service does not run ANALYZE); " +
            $"service RSS after: {Report.Mib(service.ResidentBytes())}.\n\n" +
            $"Plan of the aggregate behind \"assessments by month, 1402 only\" ({(provider == "Postgres" ? "EXPLAIN" : "EXPLAIN QUERY PLAN")}, same SQL and parameters):\n\n```\n{plan}\n```\n\n" +
            $"Plan of the aggregate behind \"assessments by target-group\" (no date filter):\n\n```\n{unfilteredPlan}\n```");
    }

    private static async Task<(double Ms, long Bytes)> TimeAsync(HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        return (watch.Elapsed.TotalMilliseconds, body.LongLength);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>
    /// The database's plan for the statement the API runs for an admin's assessments report: the SQL text comes from
    /// StatisticsRepository.SelectCounts (internal, so by reflection — no copy of the SQL here), run with the same
    /// parameters an admin request binds.
    /// </summary>
    private static async Task<string> PlanAsync(Db db, string provider, StatisticsGroup[] groups, DateOnly? from, DateOnly? to)
    {
        var selectCounts = typeof(StatisticsRepository).GetMethod("SelectCounts", BindingFlags.Static | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("StatisticsRepository.SelectCounts not found.");
        var sql = (string)selectCounts.Invoke(null, [StatisticsMeasure.Assessments, groups, from is not null, to is not null, db.Dialect])!;
        var parameters = new
        {
            From = from, To = to, Sector = (string?)null, Province = (string?)null,
            CenterKind = (string?)null, CenterId = (Guid?)null, ProvinceOfCenterId = (Guid?)null, PartnerId = (Guid?)null,
        };
        return await db.ReadAsync(async s =>
        {
            if (provider == "Postgres")
                return string.Join("\n", await s.QueryAsync<string>("EXPLAIN " + sql, parameters));
            var rows = await s.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters);
            return string.Join("\n", rows.Select(r => $"{r.Id,3} {r.Parent,3} {r.Detail}"));
        });
    }
}
