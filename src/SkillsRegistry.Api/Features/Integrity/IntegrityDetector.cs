using System.Globalization;
using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Telemetry;

namespace SkillsRegistry.Api.Features.Integrity;

/// <summary>
/// Integrity signals for reviewers: patterns in assessment results worth a look. Each detector reads aggregates from
/// <see cref="IntegrityRepository"/> (grouped in the database), decides in C# over those few rows, then fetches the
/// ids of the assessments behind each signal (capped at MaxEvidenceIds).
/// </summary>
public sealed class IntegrityDetector(Db db, IOptions<IntegrityOptions> options, RegistryMetrics metrics)
{
    private IntegrityOptions O => options.Value;

    public async Task<IReadOnlyList<IntegritySignal>> DetectAsync(DateOnly? from, DateOnly? to, IntegritySignalKind? kind, CancellationToken ct)
    {
        var found = await db.ReadAsync<IReadOnlyList<IntegritySignal>>(async s =>
        {
            var signals = new List<IntegritySignal>();
            if (kind is null or IntegritySignalKind.PassRateAbovePeers) signals.AddRange(await PassRateAbovePeersAsync(s, from, to));
            if (kind is null or IntegritySignalKind.HeapingAtPassMark) signals.AddRange(await HeapingAsync(s, from, to));
            if (kind is null or IntegritySignalKind.AssessorPattern) signals.AddRange(await AssessorPatternAsync(s, from, to));
            if (kind is null or IntegritySignalKind.SamePersonTwoCenters) signals.AddRange(await SamePersonAsync(s, from, to));
            if (kind is null or IntegritySignalKind.LateBurst) signals.AddRange(await LateBurstAsync(s, from, to));
            if (kind is null or IntegritySignalKind.RepeatedAssessment) signals.AddRange(await RepeatedAssessmentAsync(s, from, to));
            if (kind is null or IntegritySignalKind.AssessorPassRateAbovePeers) signals.AddRange(await AssessorPassRateAsync(s, from, to));
            if (kind is null or IntegritySignalKind.AssessorDailyLoad) signals.AddRange(await AssessorDailyLoadAsync(s, from, to));
            if (kind is null or IntegritySignalKind.PartnerAssessorMissing) signals.AddRange(await PartnerAssessorMissingAsync(s, from, to));
            return signals.OrderByDescending(x => x.Severity).ThenBy(x => x.Kind).ThenBy(x => x.Center.Code, StringComparer.Ordinal)
                .ThenBy(x => x.From).ToList();
        }, ct);
        foreach (var signal in found) metrics.IntegritySignalRaised(signal.Kind); // outside the read: a retried read counts once
        return found;
    }

    // ---- 1. Pass rate far above the other centers (same standard code, same period) ----

    /// <summary>A center's results in one window, against all other centers' results for the same standard and window.</summary>
    public sealed record PassRateComparison(PassRateCell Center, string Window, int Results, int Passed, int PeerResults, int PeerPassed, double Z);

    /// <summary>The months of a window: with PassRateWindowMonths = 3, 2025-01..2025-03 is one window.</summary>
    public static (DateOnly From, DateOnly To) Window(string month, int windowMonths)
    {
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var index = (first.Year * 12 + first.Month - 1) / windowMonths * windowMonths;
        var start = new DateOnly(index / 12, index % 12 + 1, 1);
        return (start, start.AddMonths(windowMonths).AddDays(-1));
    }

    /// <summary>Binomial z of p_c against the pooled rate p_0 of the others: (p_c − p_0) / sqrt(p_0(1 − p_0)/n_c).</summary>
    public static double BinomialZ(int passed, int results, int peerPassed, int peerResults)
    {
        var pc = (double)passed / results;
        // A pooled rate of exactly 0 or 1 has no spread; keep it half a result away from the edge.
        var p0 = Math.Clamp((double)peerPassed / peerResults, 0.5 / peerResults, 1 - 0.5 / peerResults);
        return (pc - p0) / Math.Sqrt(p0 * (1 - p0) / results);
    }

    /// <summary>
    /// Pools the aggregated month rows into windows and compares each center (or, for assessor cells, each registered
    /// assessor) with the rest. An assessor's cell is the one of the center where they assessed most. Pure: over aggregates only.
    /// </summary>
    public static IReadOnlyList<PassRateComparison> ComparePassRates(IEnumerable<PassRateCell> cells, IntegrityOptions o)
    {
        var windows = cells.GroupBy(c => (c.StandardCode, Window: Window(c.Month, Math.Max(1, o.PassRateWindowMonths)).From));
        var flagged = new List<PassRateComparison>();
        foreach (var window in windows)
        {
            var byCenter = window.GroupBy(c => c.AssessorId ?? c.CenterId)
                .Select(g => (Cell: g.GroupBy(c => c.CenterId).OrderByDescending(c => c.Sum(x => x.Results)).ThenBy(c => c.First().CenterCode, StringComparer.Ordinal).First().First(),
                    Results: (int)g.Sum(c => c.Results), Passed: (int)g.Sum(c => c.Passed))).ToList();
            var total = byCenter.Sum(c => c.Results);
            var totalPassed = byCenter.Sum(c => c.Passed);
            foreach (var center in byCenter)
            {
                var peers = total - center.Results;
                if (center.Results < o.MinResults || peers < o.MinResults) continue;
                var z = BinomialZ(center.Passed, center.Results, totalPassed - center.Passed, peers);
                if (z >= o.ZThreshold)
                    flagged.Add(new PassRateComparison(center.Cell, window.Key.Window.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                        center.Results, center.Passed, peers, totalPassed - center.Passed, z));
            }
        }
        return flagged;
    }

    private Task<IEnumerable<IntegritySignal>> PassRateAbovePeersAsync(DbSession s, DateOnly? from, DateOnly? to) =>
        PassRateSignalsAsync(s, IntegritySignalKind.PassRateAbovePeers, IntegrityRepository.PassRateCellsAsync(s, from, to));

    // ---- 7. A registered assessor's pass rate far above the other registered assessors' (same standard code, same period) ----

    private Task<IEnumerable<IntegritySignal>> AssessorPassRateAsync(DbSession s, DateOnly? from, DateOnly? to) =>
        PassRateSignalsAsync(s, IntegritySignalKind.AssessorPassRateAbovePeers, IntegrityRepository.AssessorPassRateCellsAsync(s, from, to));

    private async Task<IEnumerable<IntegritySignal>> PassRateSignalsAsync(DbSession s, IntegritySignalKind kind, Task<IReadOnlyList<PassRateCell>> cells)
    {
        var comparisons = ComparePassRates(await cells, O);
        var signals = new List<IntegritySignal>();
        foreach (var c in comparisons)
        {
            var (start, end) = Window(c.Window, Math.Max(1, O.PassRateWindowMonths));
            var ids = await IntegrityRepository.PassRateIdsAsync(s, c.Center, start, end, O.MaxEvidenceIds);
            var rate = (double)c.Passed / c.Results;
            var peerRate = (double)c.PeerPassed / c.PeerResults;
            var assessor = c.Center.AssessorId is null ? null : new SignalAssessor(c.Center.AssessorName ?? "", c.Center.AssessorCode);
            signals.Add(new IntegritySignal(kind,
                c.Z >= 2 * O.ZThreshold ? IntegritySeverity.High : IntegritySeverity.Medium,
                Center(c.Center.CenterId, c.Center.CenterCode, c.Center.CenterNameFa, c.Center.CenterNameEn), assessor, c.Center.StandardCode, start, end,
                assessor is null
                    ? string.Create(CultureInfo.InvariantCulture, $"Pass rate {rate:P0} of {c.Results} results against {peerRate:P0} at the other centers (z = {c.Z:0.0}).")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"Assessor {assessor.Id} passed {rate:P0} of {c.Results} results against {peerRate:P0} of the other registered assessors of standard {c.Center.StandardCode} (z = {c.Z:0.0})."),
                new SignalEvidence
                {
                    Results = c.Results, Passed = c.Passed, PassRate = Math.Round(rate, 4), PeerResults = c.PeerResults,
                    PeerPassRate = Math.Round(peerRate, 4), Z = Math.Round(c.Z, 2), AssessmentIds = ids.Ids, AssessmentCount = ids.Total,
                }));
        }
        return signals;
    }

    // ---- 2. Heaping at the pass mark ----

    public static bool IsHeaping(long atMark, long justBelow, IntegrityOptions o) =>
        atMark >= o.MinAtMark && atMark >= o.HeapingRatio * (justBelow + 1);

    private async Task<IEnumerable<IntegritySignal>> HeapingAsync(DbSession s, DateOnly? from, DateOnly? to)
    {
        var signals = new List<IntegritySignal>();
        foreach (var cell in await IntegrityRepository.HeapingCellsAsync(s, from, to, O))
        {
            foreach (var (component, atMark, below, mark) in new[]
            {
                ("theory", cell.TheoryAtMark, cell.TheoryJustBelow, cell.TheoryPassMark),
                ("practical", cell.PracticalAtMark, cell.PracticalJustBelow, cell.PracticalPassMark),
            })
            {
                if (!IsHeaping(atMark, below, O)) continue;
                var ids = await IntegrityRepository.AtMarkIdsAsync(s, cell, component == "theory", from, to, O.MaxEvidenceIds);
                signals.Add(new IntegritySignal(IntegritySignalKind.HeapingAtPassMark,
                    atMark >= 2 * O.HeapingRatio * (below + 1) ? IntegritySeverity.High : IntegritySeverity.Medium,
                    Center(cell.CenterId, cell.CenterCode, cell.CenterNameFa, cell.CenterNameEn), null, cell.StandardCode, cell.FirstExam, cell.LastExam,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{atMark} {component} scores exactly at the pass mark {mark} against {below} just below it (from {mark - O.JustBelowWidth})."),
                    new SignalEvidence
                    {
                        Component = component, PassMark = mark, AtMark = (int)atMark, JustBelow = (int)below,
                        AssessmentIds = ids.Ids, AssessmentCount = ids.Total,
                    }));
            }
        }
        return signals;
    }

    // ---- 3. Assessor: near-perfect practical with a theory score that only just passed ----

    public static bool IsAssessorPattern(long matching, long results, IntegrityOptions o) =>
        matching >= o.AssessorMinCount && results > 0 && (double)matching / results >= o.AssessorMinFraction;

    private async Task<IEnumerable<IntegritySignal>> AssessorPatternAsync(DbSession s, DateOnly? from, DateOnly? to)
    {
        var signals = new List<IntegritySignal>();
        foreach (var cell in await IntegrityRepository.AssessorCellsAsync(s, from, to, O))
        {
            if (!IsAssessorPattern(cell.Matching, cell.Results, O)) continue;
            var fraction = (double)cell.Matching / cell.Results;
            var ids = await IntegrityRepository.AssessorIdsAsync(s, cell, from, to, O);
            signals.Add(new IntegritySignal(IntegritySignalKind.AssessorPattern,
                fraction >= 0.8 ? IntegritySeverity.High : IntegritySeverity.Medium,
                Center(cell.CenterId, cell.CenterCode, cell.CenterNameFa, cell.CenterNameEn),
                new SignalAssessor(cell.AssessorName, cell.AssessorId is { Length: > 0 } id ? id : null),
                cell.FirstCode == cell.LastCode ? cell.FirstCode : null, cell.FirstExam, cell.LastExam,
                string.Create(CultureInfo.InvariantCulture,
                    $"{cell.Matching} of {cell.Results} results ({fraction:P0}) have practical ≥ {O.AssessorHighPractical} while theory is within {O.AssessorTheoryMargin} points above its pass mark."),
                new SignalEvidence
                {
                    Results = (int)cell.Results, Matching = (int)cell.Matching, Fraction = Math.Round(fraction, 4),
                    AssessmentIds = ids.Ids, AssessmentCount = ids.Total,
                }));
        }
        return signals;
    }

    // ---- 4. Same person at two centers on the same exam date (always high) ----

    private static async Task<IEnumerable<IntegritySignal>> SamePersonAsync(DbSession s, DateOnly? from, DateOnly? to) =>
        (await IntegrityRepository.SamePersonPairsAsync(s, from, to)).Select(p => new IntegritySignal(
            IntegritySignalKind.SamePersonTwoCenters, IntegritySeverity.High,
            Center(p.CenterId, p.CenterCode, p.CenterNameFa, p.CenterNameEn), new SignalAssessor(p.AssessorName, p.AssessorId),
            p.StandardCode, p.ExamDate, p.ExamDate,
            $"The same trainee was assessed at {p.CenterCode} and {p.OtherCenterCode} on {p.ExamDate:yyyy-MM-dd}.",
            new SignalEvidence
            {
                OtherCenter = Center(p.OtherCenterId, p.OtherCenterCode, p.OtherCenterNameFa, p.OtherCenterNameEn), TraineeId = p.TraineeId,
                AssessmentIds = [p.FirstId, p.SecondId], AssessmentCount = 2,
            }));

    // ---- 5. Late burst: many results recorded on one day, long after their exams ----

    private async Task<IEnumerable<IntegritySignal>> LateBurstAsync(DbSession s, DateOnly? from, DateOnly? to)
    {
        var signals = new List<IntegritySignal>();
        foreach (var cell in await IntegrityRepository.LateBurstsAsync(s, from, to, O))
        {
            var ids = await IntegrityRepository.LateBurstIdsAsync(s, cell, O);
            signals.Add(new IntegritySignal(IntegritySignalKind.LateBurst,
                cell.Results >= 2 * O.BurstSize ? IntegritySeverity.Medium : IntegritySeverity.Low,
                Center(cell.CenterId, cell.CenterCode, cell.CenterNameFa, cell.CenterNameEn), null,
                cell.FirstCode == cell.LastCode ? cell.FirstCode : null, cell.FirstExam, cell.LastExam,
                string.Create(CultureInfo.InvariantCulture,
                    $"{cell.Results} results recorded on {cell.RecordedOn:yyyy-MM-dd}, more than {O.LateDays} days after their exams (up to {cell.MaxDaysLate})."),
                new SignalEvidence
                {
                    Results = (int)cell.Results, RecordedOn = cell.RecordedOn, MaxDaysLate = (int)cell.MaxDaysLate,
                    AssessmentIds = ids.Ids, AssessmentCount = ids.Total,
                }));
        }
        return signals;
    }

    // ---- 6. Repeated assessment: one person assessed for one standard again and again within a short window ----

    /// <summary>
    /// The densest run of one person's results for one code (sorted by exam date) whose exam dates lie within
    /// <c>RepeatWindowDays</c> of each other, when it holds at least <c>RepeatMinAssessments</c> results; else null. Pure.
    /// </summary>
    public static IReadOnlyList<RepeatedResult>? DensestRepeat(IReadOnlyList<RepeatedResult> results, IntegrityOptions o)
    {
        var (bestStart, bestCount, start) = (0, 0, 0);
        for (var end = 0; end < results.Count; end++)
        {
            while (results[end].ExamDate.DayNumber - results[start].ExamDate.DayNumber >= o.RepeatWindowDays) start++;
            if (end - start + 1 > bestCount) (bestStart, bestCount) = (start, end - start + 1);
        }
        return bestCount >= Math.Max(2, o.RepeatMinAssessments) ? results.Skip(bestStart).Take(bestCount).ToList() : null;
    }

    private async Task<IEnumerable<IntegritySignal>> RepeatedAssessmentAsync(DbSession s, DateOnly? from, DateOnly? to)
    {
        var signals = new List<IntegritySignal>();
        foreach (var group in (await IntegrityRepository.RepeatedResultsAsync(s, from, to, O)).GroupBy(r => (r.TraineeId, r.StandardCode)))
        {
            if (DensestRepeat(group.ToList(), O) is not { } run) continue;
            var centers = run.GroupBy(r => r.CenterId).OrderByDescending(g => g.Count()).ThenBy(g => g.First().CenterCode, StringComparer.Ordinal)
                .Select(g => Center(g.Key, g.First().CenterCode, g.First().CenterNameFa, g.First().CenterNameEn)).ToList();
            var (first, last) = (run[0].ExamDate, run[^1].ExamDate);
            signals.Add(new IntegritySignal(IntegritySignalKind.RepeatedAssessment,
                run.Count >= 2 * O.RepeatMinAssessments ? IntegritySeverity.High : IntegritySeverity.Medium,
                centers[0], null, group.Key.StandardCode, first, last,
                string.Create(CultureInfo.InvariantCulture,
                    $"The same trainee was assessed {run.Count} times for standard {group.Key.StandardCode} between {first:yyyy-MM-dd} and {last:yyyy-MM-dd} " +
                    $"({run.Count(r => r.Outcome == "passed")} passed) at {centers.Count} center(s)."),
                new SignalEvidence
                {
                    Results = run.Count, Passed = run.Count(r => r.Outcome == "passed"), TraineeId = group.Key.TraineeId, Centers = centers,
                    AssessmentIds = run.Take(O.MaxEvidenceIds).Select(r => r.Id).ToList(), AssessmentCount = run.Count,
                }));
        }
        return signals;
    }

    // ---- 8. One registered assessor, too many results on one exam date (as assessor or second assessor, at any centers) ----

    private async Task<IEnumerable<IntegritySignal>> AssessorDailyLoadAsync(DbSession s, DateOnly? from, DateOnly? to)
    {
        var signals = new List<IntegritySignal>();
        foreach (var day in (await IntegrityRepository.AssessorDaysAsync(s, from, to, O)).GroupBy(d => (d.AssessorId, d.ExamDate)))
        {
            var centers = day.OrderByDescending(d => d.Results).ThenBy(d => d.CenterCode, StringComparer.Ordinal).ToList();
            var first = centers[0];
            var ids = await IntegrityRepository.AssessorDayIdsAsync(s, day.Key.AssessorId, day.Key.ExamDate, O.MaxEvidenceIds);
            signals.Add(new IntegritySignal(IntegritySignalKind.AssessorDailyLoad,
                first.DayResults > 2 * O.AssessorDailyLimit ? IntegritySeverity.High : IntegritySeverity.Medium,
                Center(first.CenterId, first.CenterCode, first.CenterNameFa, first.CenterNameEn), new SignalAssessor(first.AssessorName, first.AssessorCode),
                null, day.Key.ExamDate, day.Key.ExamDate,
                string.Create(CultureInfo.InvariantCulture,
                    $"Assessor {first.AssessorCode} assessed {first.DayResults} results on {day.Key.ExamDate:yyyy-MM-dd} at {centers.Count} center(s); the limit is {O.AssessorDailyLimit}."),
                new SignalEvidence
                {
                    Results = (int)first.DayResults, ExamDate = day.Key.ExamDate, Limit = O.AssessorDailyLimit,
                    Centers = centers.Select(c => Center(c.CenterId, c.CenterCode, c.CenterNameFa, c.CenterNameEn)).ToList(),
                    AssessmentIds = ids.Ids, AssessmentCount = ids.Total,
                }));
        }
        return signals;
    }

    // ---- 9. A standard version asks for a second assessor from a partner agency, and no assessor on record is from one (always high) ----

    private async Task<IEnumerable<IntegritySignal>> PartnerAssessorMissingAsync(DbSession s, DateOnly? from, DateOnly? to)
    {
        var signals = new List<IntegritySignal>();
        foreach (var group in (await IntegrityRepository.PartnerMissingAsync(s, from, to))
                     .GroupBy(r => (r.CenterId, r.StandardCode, r.AssessorId, Name: r.AssessorId is null ? r.AssessorName : "")))
        {
            var results = group.ToList();
            var (r, count) = (results[0], results.Count);
            var atHome = r.AssessorHomeCenterId == r.CenterId;
            var who = r.AssessorCode ?? r.AssessorName;
            signals.Add(new IntegritySignal(IntegritySignalKind.PartnerAssessorMissing, IntegritySeverity.High,
                Center(r.CenterId, r.CenterCode, r.CenterNameFa, r.CenterNameEn), new SignalAssessor(r.AssessorName, r.AssessorCode),
                r.StandardCode, results.Min(x => x.ExamDate), results.Max(x => x.ExamDate),
                $"{count} result(s) of standard {r.StandardCode}, whose version asks for a second assessor from a partner agency, were assessed by " +
                $"{who}{(atHome ? ", the center's own staff," : "")} with no partner-agency assessor on record.",
                new SignalEvidence
                {
                    Results = count, StandardVersions = results.Select(x => x.StandardVersion).Distinct().Order().ToList(), AssessorAtHomeCenter = atHome,
                    AssessmentIds = results.Take(O.MaxEvidenceIds).Select(x => x.Id).ToList(), AssessmentCount = count,
                }));
        }
        return signals;
    }

    private static SignalCenter Center(Guid id, string code, string nameFa, string nameEn) => new(id, code, nameFa, nameEn);
}
