namespace SkillsRegistry.Tests.Support;

/// <summary>A qualification to insert directly: code, kind and its dates.</summary>
public sealed record SeedQualification(string Code, DateOnly From, DateOnly? To = null, DateOnly? WithdrawnFrom = null, string Kind = "assessor");

/// <summary>Practitioners with qualifications and refresher courses, inserted with SQL so the right counts are known by construction.</summary>
public static class PractitionerStatisticsTestData
{
    /// <summary>
    /// A practitioner based at <paramref name="homeCenterId"/> or, when null, at <paramref name="homePartnerId"/>, holding the
    /// qualifications and having completed the courses (day, hours; given by the home organisation). Returns the id.
    /// </summary>
    public static async Task<Guid> InsertPractitionerAsync(this RegistryApp app, Guid? homeCenterId, Guid? homePartnerId,
        IEnumerable<SeedQualification> qualifications, params (DateOnly On, decimal Hours)[] courses)
    {
        var id = Guid.CreateVersion7();
        var now = app.Clock.GetUtcNow();
        await app.Db.WriteAsync(async s =>
        {
            var personId = await s.InsertTraineeAsync();
            await s.ExecuteAsync("""
                INSERT INTO practitioners (id, code, person_id, home_center_id, home_partner_id, created_at, updated_at)
                VALUES (@id, @code, @personId, @homeCenterId, @homePartnerId, @now, @now)
                """, new { id, code = "PS-" + id.ToString("N")[^10..].ToUpperInvariant(), personId, homeCenterId, homePartnerId, now });
            foreach (var q in qualifications)
                await s.ExecuteAsync("""
                    INSERT INTO practitioner_qualifications (id, practitioner_id, standard_code, kind, source, reason, valid_from, valid_to,
                                                             withdrawn_from, created_at)
                    VALUES (@qid, @id, @Code, @Kind, 'admin-decision', 'statistics test', @From, @To, @WithdrawnFrom, @now)
                    """, new { qid = Guid.CreateVersion7(), id, q.Code, q.Kind, q.From, q.To, q.WithdrawnFrom, now });
            foreach (var (on, hours) in courses)
                await s.ExecuteAsync("""
                    INSERT INTO refresher_courses (id, practitioner_id, title, hours, completed_on, provider_center_id, provider_partner_id, created_at)
                    VALUES (@cid, @id, 'Refresher', @hours, @on, @homeCenterId, @homePartnerId, @now)
                    """, new { cid = Guid.CreateVersion7(), id, hours, on, homeCenterId, homePartnerId, now });
        });
        return id;
    }

    /// <summary>Asks the code's versions for <paramref name="hours"/> refresher hours within <paramref name="months"/> months.</summary>
    public static Task RequireRefresherAsync(this RegistryApp app, string code, int hours, int months) =>
        app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE standards SET refresher_hours = @hours, refresher_months = @months WHERE code = @code",
            new { code, hours, months }));
}
