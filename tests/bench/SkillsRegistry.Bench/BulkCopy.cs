using Npgsql;
using NpgsqlTypes;
using Row = SkillsRegistry.Bench.DirectRows.Row;

namespace SkillsRegistry.Bench;

/// <summary>PostgreSQL binary COPY of generated rows into trainees, center links, target groups, assessments and certificates, in one transaction.</summary>
internal static class BulkCopy
{
    private static readonly string[] HolderNames = ["زهرا", "کریمی", "Zahra", "Karimi"];

    public static async Task WriteAsync(NpgsqlConnection connection, IReadOnlyList<Row> rows, IReadOnlyList<Row> withTargetGroup, IReadOnlyList<Row> passing)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await CopyAsync(connection, """
            COPY trainees (id, national_id_hash, national_id_enc, given_name_fa, family_name_fa, given_name_latin, family_name_latin, birth_date, gender,
                           created_by_center_id, search_text, row_version, created_at, updated_at) FROM STDIN (FORMAT BINARY)
            """, rows, async (w, r) =>
        {
            await w.WriteAsync(r.Id, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.NationalIdHash, NpgsqlDbType.Text);
            await w.WriteAsync(r.NationalIdEnc, NpgsqlDbType.Text);
            foreach (var name in HolderNames) await w.WriteAsync(name, NpgsqlDbType.Text);
            await w.WriteAsync(r.BirthDate, NpgsqlDbType.Date);
            await w.WriteAsync(r.Gender, NpgsqlDbType.Text);
            await w.WriteAsync(r.CenterId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.SearchText, NpgsqlDbType.Text);
            await w.WriteAsync(1, NpgsqlDbType.Integer);
            await w.WriteAsync(r.Now, NpgsqlDbType.TimestampTz);
            await w.WriteAsync(r.Now, NpgsqlDbType.TimestampTz);
        });
        await CopyAsync(connection, "COPY center_trainees (center_id, trainee_id) FROM STDIN (FORMAT BINARY)", rows, async (w, r) =>
        {
            await w.WriteAsync(r.CenterId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.Id, NpgsqlDbType.Uuid);
        });
        await CopyAsync(connection, "COPY trainee_target_groups (trainee_id, target_group_code) FROM STDIN (FORMAT BINARY)", withTargetGroup, async (w, r) =>
        {
            await w.WriteAsync(r.Id, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.TargetGroup, NpgsqlDbType.Text);
        });
        await CopyAsync(connection, """
            COPY assessments (id, center_id, external_ref, trainee_id, standard_id, exam_date, theory_score, practical_score,
                              outcome, assessor_name, assessor_id, status, batch_id, submitted_on_behalf, recorded_at) FROM STDIN (FORMAT BINARY)
            """, rows, async (w, r) =>
        {
            await w.WriteAsync(r.AssessmentId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.CenterId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.ExternalRef, NpgsqlDbType.Text);
            await w.WriteAsync(r.Id, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.StandardId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.ExamDate, NpgsqlDbType.Date);
            await w.WriteAsync(r.TheoryScore, NpgsqlDbType.Numeric);
            await w.WriteAsync(r.PracticalScore, NpgsqlDbType.Numeric);
            await w.WriteAsync(r.Outcome, NpgsqlDbType.Text);
            await w.WriteAsync("Reza Ahmadi", NpgsqlDbType.Text);
            await w.WriteAsync("AS-17", NpgsqlDbType.Text);
            await w.WriteAsync("recorded", NpgsqlDbType.Text);
            await w.WriteAsync(r.BatchId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.OnBehalf, NpgsqlDbType.Boolean);
            await w.WriteAsync(r.Now, NpgsqlDbType.TimestampTz);
        });
        await CopyAsync(connection, """
            COPY certificates (id, number, assessment_id, trainee_id, standard_id, center_id, holder_given_name_fa, holder_family_name_fa,
                               holder_given_name_latin, holder_family_name_latin, theory_score, practical_score, exam_date, issued_on,
                               issued_at, expires_on, status) FROM STDIN (FORMAT BINARY)
            """, passing, async (w, r) =>
        {
            await w.WriteAsync(r.CertificateId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.Number, NpgsqlDbType.Text);
            await w.WriteAsync(r.AssessmentId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.Id, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.StandardId, NpgsqlDbType.Uuid);
            await w.WriteAsync(r.CenterId, NpgsqlDbType.Uuid);
            foreach (var name in HolderNames) await w.WriteAsync(name, NpgsqlDbType.Text);
            await w.WriteAsync(r.TheoryScore, NpgsqlDbType.Numeric);
            await w.WriteAsync(r.PracticalScore, NpgsqlDbType.Numeric);
            await w.WriteAsync(r.ExamDate, NpgsqlDbType.Date);
            await w.WriteAsync(r.IssuedOn, NpgsqlDbType.Date);
            await w.WriteAsync(r.Now, NpgsqlDbType.TimestampTz);
            await w.WriteAsync(r.ExpiresOn, NpgsqlDbType.Date);
            await w.WriteAsync("valid", NpgsqlDbType.Text);
        });
        await transaction.CommitAsync();
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string copy, IReadOnlyList<Row> rows, Func<NpgsqlBinaryImporter, Row, Task> write)
    {
        if (rows.Count == 0) return;
        await using var importer = await connection.BeginBinaryImportAsync(copy);
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            await write(importer, row);
        }
        await importer.CompleteAsync();
    }
}
