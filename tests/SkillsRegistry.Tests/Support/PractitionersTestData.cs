namespace SkillsRegistry.Tests.Support;

/// <summary>Practitioners inserted directly, for tests that submit results and test something else.</summary>
public static class PractitionersTestData
{
    /// <summary>The code of the assessor a test world registers for a standard code (what <see cref="RegistryWorlds.Row"/> names).</summary>
    public static string AssessorFor(string standardCode) => "AS-" + standardCode;

    /// <summary>
    /// Registers a practitioner of <paramref name="homeCenterId"/> with an open-ended assessor qualification for
    /// <paramref name="standardCode"/> from 2000-01-01 (an admin decision), under the code <see cref="AssessorFor"/>.
    /// </summary>
    /// <summary>
    /// Makes the assessor of <paramref name="standardCode"/> (<see cref="AssessorFor"/>) able to assess at <paramref name="centerId"/>:
    /// registers them there when they do not exist yet, otherwise records an open visit. Called whenever a center gets a code in scope.
    /// </summary>
    public static async Task EnsureAssessorAsync(this RegistryApp app, Guid centerId, string standardCode)
    {
        var existing = await app.Db.ReadAsync(s => s.QuerySingleOrDefaultAsync<Guid?>(
            "SELECT id FROM practitioners WHERE code = @code", new { code = AssessorFor(standardCode) }));
        if (existing is not { } id) { await app.InsertAssessorAsync(centerId, standardCode); return; }
        await app.Db.WriteAsync(s => s.ExecuteAsync("""
            INSERT INTO practitioner_visits (id, practitioner_id, center_id, first_day, last_day, recorded_by_role, created_at)
            VALUES (@vid, @id, @centerId, @first, @last, 'admin', @now)
            """, new { vid = Guid.CreateVersion7(), id, centerId, first = new DateOnly(2000, 1, 1), last = new DateOnly(2100, 12, 31), now = app.Clock.GetUtcNow() }));
    }

    public static async Task<Guid> InsertAssessorAsync(this RegistryApp app, Guid homeCenterId, string standardCode, string? code = null)
    {
        var id = Guid.CreateVersion7();
        var now = app.Clock.GetUtcNow();
        await app.Db.WriteAsync(async s =>
        {
            var personId = await s.InsertTraineeAsync();
            await s.ExecuteAsync("""
                INSERT INTO practitioners (id, code, person_id, home_center_id, created_at, updated_at)
                VALUES (@id, @code, @personId, @homeCenterId, @now, @now)
                """, new { id, code = code ?? AssessorFor(standardCode), personId, homeCenterId, now });
            await s.ExecuteAsync("""
                INSERT INTO practitioner_qualifications (id, practitioner_id, standard_code, kind, source, reason, valid_from, created_at)
                VALUES (@qid, @id, @standardCode, 'assessor', 'admin-decision', 'test world', @from, @now)
                """, new { qid = Guid.CreateVersion7(), id, standardCode, from = new DateOnly(2000, 1, 1), now });
        });
        return id;
    }
}
