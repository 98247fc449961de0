using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Dapper;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Data;

namespace SkillsRegistry.Bench;

/// <summary>One result row as the benchmark generates it: the same person, scores and outcome for the API and the direct path.</summary>
public sealed record GeneratedResult(long Sequence, string ExternalRef, string NationalId, decimal TheoryScore, decimal PracticalScore)
{
    public bool Passes => TheoryScore >= 50 && PracticalScore >= 60;

    /// <summary>About 70% pass: every row whose sequence ends in 0, 3 or 7 fails the practical part.</summary>
    public static GeneratedResult For(long sequence, string prefix) => new(sequence, $"{prefix}-{sequence:D8}", BenchDatabase.NationalIdFor(sequence),
        70 + sequence % 30, sequence % 10 is 0 or 3 or 7 ? 40 : 75);

    public object ToApiRow() => new
    {
        externalRef = ExternalRef,
        trainee = new
        {
            nationalId = NationalId, givenNameFa = "زهرا", familyNameFa = "کریمی", givenNameLatin = "Zahra", familyNameLatin = "Karimi",
            birthDate = "1998-03-21", gender = "female",
        },
        standardCode = BenchDatabase.StandardCode,
        examDate = BenchDatabase.ExamDate.ToString("yyyy-MM-dd"),
        theoryScore = TheoryScore,
        practicalScore = PracticalScore,
        assessorId = BenchDatabase.AssessorCode,
    };
}

/// <summary>
/// Writes trainees, their center link, assessments and certificates straight into the tables (no API, no audit, no
/// signing): the baseline for ingest and the bulk generator for verification. Parameterized statements only. Rows are
/// written in the form the service stores them: the national ID as the service's keyed hash and ciphertext (made by the
/// service's own <see cref="TraineeRepository"/> code, under the keys the service will read), search text of names
/// only. So a service started over a generated database has nothing to rewrite (no startup encryption pass, no VACUUM).
/// </summary>
public static class DirectRows
{
    private static readonly ConditionalWeakTable<Db, TraineeRepository> Protection = new();

    /// <summary>Called by <see cref="BenchDatabase"/>: rows written through <paramref name="db"/> are protected by <paramref name="trainees"/>.</summary>
    public static void ProtectIdentifiersWith(Db db, TraineeRepository trainees) => Protection.AddOrUpdate(db, trainees);

    internal const string InsertTrainee = """
        INSERT INTO trainees (id, national_id_hash, national_id_enc, given_name_fa, family_name_fa, given_name_latin, family_name_latin,
                              birth_date, gender, created_by_center_id, search_text, row_version, created_at, updated_at)
        VALUES (@Id, @NationalIdHash, @NationalIdEnc, 'زهرا', 'کریمی', 'Zahra', 'Karimi', @BirthDate, @Gender, @CenterId, @SearchText, 1, @Now, @Now)
        """;
    internal const string InsertTraineeTargetGroup = "INSERT INTO trainee_target_groups (trainee_id, target_group_code) VALUES (@Id, @TargetGroup)";
    internal const string InsertCenterTrainee = "INSERT INTO center_trainees (center_id, trainee_id) VALUES (@CenterId, @Id)";
    internal const string InsertAssessment = """
        INSERT INTO assessments (id, center_id, external_ref, trainee_id, standard_id, exam_date, theory_score, practical_score,
                                 outcome, assessor_name, assessor_id, status, batch_id, submitted_by_key_id, submitted_on_behalf, recorded_at)
        VALUES (@AssessmentId, @CenterId, @ExternalRef, @Id, @StandardId, @ExamDate, @TheoryScore, @PracticalScore,
                @Outcome, 'Hamid Yazdani', 'PR-BENCH', 'recorded', @BatchId, NULL, @OnBehalf, @Now)
        """;
    internal const string InsertCertificate = """
        INSERT INTO certificates (id, number, assessment_id, trainee_id, standard_id, center_id,
            holder_given_name_fa, holder_family_name_fa, holder_given_name_latin, holder_family_name_latin,
            theory_score, practical_score, exam_date, issued_on, issued_at, expires_on, status)
        VALUES (@CertificateId, @Number, @AssessmentId, @Id, @StandardId, @CenterId, 'زهرا', 'کریمی', 'Zahra', 'Karimi',
            @TheoryScore, @PracticalScore, @ExamDate, @IssuedOn, @Now, @ExpiresOn, 'valid')
        """;
    // Small enough that binding stays cheap: Dapper looks every parameter name up in the command, so cost grows with its square.
    private const int RowsPerStatement = 25;
    private static readonly PropertyInfo[] RowProperties = typeof(Row).GetProperties();

    /// <summary>
    /// One INSERT with many VALUES tuples: the statement's tuple is repeated with numbered parameter names
    /// (@Id_0, @Id_1, ...) and every value is still a parameter. A round trip per 200 rows instead of per row.
    /// </summary>
    private static async Task InsertManyAsync(DbSession s, string insert, IReadOnlyList<Row> rows)
    {
        var valuesAt = insert.LastIndexOf("VALUES", StringComparison.Ordinal);
        var head = insert[..valuesAt];
        var tuple = insert[(valuesAt + "VALUES".Length)..].Trim();
        var used = RowProperties.Where(p => Regex.IsMatch(tuple, $@"@{p.Name}\b")).ToArray();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var parameters = new DynamicParameters();
            var tuples = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                var index = i;
                tuples.Add(Regex.Replace(tuple, @"@(\w+)", m => $"@{m.Groups[1].Value}_{index}"));
                foreach (var property in used) parameters.Add($"{property.Name}_{i}", property.GetValue(chunk[i]));
            }
            await s.ExecuteAsync(head + "VALUES " + string.Join(",\n", tuples), parameters);
        }
    }

    internal sealed record Row(
        Guid Id, string? NationalIdHash, string? NationalIdEnc, DateOnly BirthDate, Guid CenterId, string SearchText, DateTimeOffset Now,
        Guid AssessmentId, string ExternalRef, Guid StandardId, DateOnly ExamDate, decimal TheoryScore, decimal PracticalScore,
        string Outcome, Guid BatchId, bool OnBehalf, Guid CertificateId, string Number, DateOnly IssuedOn, DateOnly ExpiresOn,
        string Gender, string? TargetGroup);

    /// <summary>Inserts one batch in one transaction; certificate numbers continue from <paramref name="firstNumber"/>. Returns certificates written.</summary>
    public static Task<int> InsertBatchAsync(Db db, Guid centerId, Guid standardId, IReadOnlyList<GeneratedResult> results, long firstNumber) =>
        InsertBatchAsync(db, results, firstNumber, _ => new Spread(centerId, standardId, BenchDatabase.ExamDate, null, "female", null));

    /// <summary>Where one generated row goes: center, standard, exam date, issue date (null = today), gender and target group (null = none).</summary>
    public sealed record Spread(Guid CenterId, Guid StandardId, DateOnly ExamDate, DateOnly? IssuedOn, string Gender, string? TargetGroup);

    /// <summary>Like the overload above, with each row's center, standard, dates, gender and target group chosen by <paramref name="spread"/>.</summary>
    public static Task<int> InsertBatchAsync(Db db, IReadOnlyList<GeneratedResult> results, long firstNumber, Func<GeneratedResult, Spread> spread) =>
        db.WriteAsync(s => InsertBatchAsync(s, ProtectionFor(db), results, firstNumber, spread));

    internal static TraineeRepository ProtectionFor(Db db) => Protection.TryGetValue(db, out var trainees) ? trainees
        : throw new InvalidOperationException("No identifier protection for this database: create it with BenchDatabase.CreateAsync.");

    /// <summary>
    /// <paramref name="parallel"/>: protect the national IDs (keyed hash + AES-GCM, the costly part of a row) on every core;
    /// the ingest baseline stays on one, like the service's own batch path, so its ratios remain comparable.
    /// </summary>
    internal static List<Row> BuildRows(TraineeRepository trainees, IReadOnlyList<GeneratedResult> results, long firstNumber, Func<GeneratedResult, Spread> spread,
        bool parallel = false)
    {
        var now = DateTimeOffset.UtcNow;
        var today = RegistryCalendar.DayOf(now);
        var batchId = Guid.CreateVersion7();
        var number = firstNumber;
        var searchText = PersianText.SearchText("زهرا", "کریمی", "Zahra", "Karimi"); // as the service writes it: names only
        var stored = parallel
            ? results.AsParallel().AsOrdered().Select(r => trainees.Protect(new TraineeIdentity(r.NationalId, null, null))).ToArray()
            : results.Select(r => trainees.Protect(new TraineeIdentity(r.NationalId, null, null))).ToArray();
        return results.Select((r, i) => (Result: r, Where: spread(r), Stored: stored[i]))
            .Select(x => new Row(Guid.CreateVersion7(), x.Stored.NationalIdHash, x.Stored.NationalIdEnc, new DateOnly(1998, 3, 21),
            x.Where.CenterId, searchText, now, Guid.CreateVersion7(), x.Result.ExternalRef,
            x.Where.StandardId, x.Where.ExamDate, x.Result.TheoryScore, x.Result.PracticalScore, x.Result.Passes ? "passed" : "failed", batchId, false,
            Guid.CreateVersion7(), x.Result.Passes ? BenchDatabase.CertificateNumberFor(number++) : "", x.Where.IssuedOn ?? today,
            (x.Where.IssuedOn ?? today).AddMonths(36), x.Where.Gender, x.Where.TargetGroup)).ToList();
    }

    private static async Task<int> InsertBatchAsync(DbSession s, TraineeRepository trainees, IReadOnlyList<GeneratedResult> results, long firstNumber,
        Func<GeneratedResult, Spread> spread)
    {
        var rows = BuildRows(trainees, results, firstNumber, spread);
        await InsertManyAsync(s, InsertTrainee, rows);
        await InsertManyAsync(s, InsertCenterTrainee, rows);
        await InsertManyAsync(s, InsertTraineeTargetGroup, rows.Where(r => r.TargetGroup is not null).ToList());
        await InsertManyAsync(s, InsertAssessment, rows);
        var passing = rows.Where(r => r.Outcome == "passed").ToList();
        await InsertManyAsync(s, InsertCertificate, passing);
        return passing.Count;
    }
}
