using System.Net.Http.Json;
using SkillsRegistry.Api.Infrastructure.Auth;

namespace SkillsRegistry.Tests.Support;

/// <summary>A licensed center with a standard in scope and a key, ready to submit results.</summary>
public sealed record RegistryWorld(Guid CenterId, string CenterKey, Guid StandardId, string StandardCode, decimal TheoryPassMark, decimal PracticalPassMark);

public sealed record IssuedTestCertificate(Guid AssessmentId, Guid CertificateId, string Number);

public static class RegistryWorlds
{
    public static readonly DateOnly LicensedFrom = new(2024, 1, 1);

    /// <summary>
    /// Inserts an active standard (effective 2024-01-01), a center licensed from 2024-01-01 with it in scope, its registered
    /// assessor for the code (<see cref="PractitionersTestData.AssessorFor"/>, whom <see cref="Row"/> names) and a center key.
    /// </summary>
    public static async Task<RegistryWorld> CreateWorldAsync(this RegistryApp app, decimal theoryPassMark = 50, decimal practicalPassMark = 60,
        int? validityMonths = 36, string province = "IR-10")
    {
        var code = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var standardId = await app.InsertStandardAsync(code, 1, "active", LicensedFrom, null, theoryPassMark, practicalPassMark, validityMonths);
        var centerId = await app.InsertCenterAsync(province: province);
        await app.LicenseAsync(centerId, LicensedFrom, null);
        await app.AddScopeAsync(centerId, code, LicensedFrom, null);
        var key = await app.CreateKeyAsync(ApiKeyRole.Center, centerId: centerId, name: "center");
        return new RegistryWorld(centerId, key, standardId, code, theoryPassMark, practicalPassMark);
    }

    /// <summary>Activates version 2 of a code from a date; version 1 ends the day before and points to it.</summary>
    public static async Task<Guid> SupersedeAsync(this RegistryApp app, Guid v1, string code, DateOnly from, bool equivalent = true)
    {
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE standards SET status = 'superseded', effective_to = @to WHERE id = @v1",
            new { to = from.AddDays(-1), v1 }));
        var v2 = await app.InsertStandardAsync(code, 2, "active", from, null);
        await app.Db.WriteAsync(s => s.ExecuteAsync("UPDATE standards SET superseded_by_id = @v2, supersession_equivalent = @equivalent WHERE id = @v1",
            new { v2, equivalent, v1 }));
        return v2;
    }

    public static async Task<Guid> LicenseAsync(this RegistryApp app, Guid centerId, DateOnly from, DateOnly? to)
    {
        var id = Guid.CreateVersion7();
        var now = app.Clock.GetUtcNow();
        await app.Db.WriteAsync(async s =>
        {
            await s.ExecuteAsync("INSERT INTO center_licences (id, center_id, number, valid_from, valid_to, created_at) VALUES (@id, @centerId, @number, @from, @to, @now)",
                new { id, centerId, number = "L-" + id.ToString("N")[^10..], from, to, now });
            await s.ExecuteAsync("INSERT INTO licence_status_changes (id, licence_id, status, effective_from, recorded_at) VALUES (@sid, @id, 'active', @from, @now)",
                new { sid = Guid.CreateVersion7(), id, from, now });
        });
        return id;
    }

    /// <summary>Puts a code in a center's scope, and makes the code's test assessor able to assess there (<see cref="PractitionersTestData.EnsureAssessorAsync"/>).</summary>
    public static async Task AddScopeAsync(this RegistryApp app, Guid centerId, string code, DateOnly from, DateOnly? to)
    {
        await app.Db.WriteAsync(s => s.ExecuteAsync("""
            INSERT INTO center_scopes (id, center_id, standard_code, valid_from, valid_to, created_at) VALUES (@id, @centerId, @code, @from, @to, @now)
            """, new { id = Guid.CreateVersion7(), centerId, code, from, to, now = app.Clock.GetUtcNow() }));
        await app.EnsureAssessorAsync(centerId, code);
    }

    /// <summary>Submits one passing result through the API and returns what was issued.</summary>
    public static async Task<IssuedTestCertificate> IssueCertificateAsync(this RegistryApp app, RegistryWorld world, string? externalRef = null, string? nationalId = null)
    {
        externalRef ??= "ext-" + Guid.NewGuid().ToString("N")[..10];
        var response = await (await app.ClientWithKey(world.CenterKey).PostAsJsonAsync("/api/v1/assessment-batches",
            new { rows = new[] { Row(externalRef, world.StandardCode, 90, 90, nationalId) } })).ReadJsonAsync();
        var row = response.GetProperty("rows")[0];
        return new IssuedTestCertificate(row.GetProperty("assessmentId").GetGuid(), row.GetProperty("certificateId").GetGuid(),
            row.GetProperty("certificateNumber").GetString()!);
    }

    /// <summary>A random valid Iranian national ID (10 digits, correct check digit).</summary>
    public static string NewNationalId()
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 9).Select(_ => Random.Shared.Next(10)).ToArray();
            var sum = digits.Select((d, i) => d * (10 - i)).Sum() % 11;
            var check = sum < 2 ? sum : 11 - sum;
            var id = string.Concat(digits) + check;
            if (id.Distinct().Count() > 1) return id;
        }
    }

    public static object Row(string externalRef, string standardCode, decimal theory, decimal practical, string? nationalId = null,
        DateOnly? examDate = null, int? standardVersion = null, (string GivenFa, string FamilyFa, string GivenLatin, string FamilyLatin)? names = null) => new
    {
        externalRef,
        trainee = new
        {
            nationalId = nationalId ?? NewNationalId(),
            givenNameFa = names?.GivenFa ?? "زهرا", familyNameFa = names?.FamilyFa ?? "کریمی",
            givenNameLatin = names?.GivenLatin ?? "Zahra", familyNameLatin = names?.FamilyLatin ?? "Karimi",
            birthDate = "1998-03-21", gender = "female", targetGroups = new[] { "female-heads-of-household" },
        },
        standardCode,
        standardVersion,
        examDate = (examDate ?? new DateOnly(2025, 6, 1)).ToString("yyyy-MM-dd"),
        theoryScore = theory,
        practicalScore = practical,
        assessorName = (string?)null,
        assessorId = PractitionersTestData.AssessorFor(standardCode),
    };
}
