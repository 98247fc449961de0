using System.Globalization;
using System.Text;
using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Features.Assessments;
using SkillsRegistry.Api.Features.Centers;
using SkillsRegistry.Api.Features.Holders;
using SkillsRegistry.Api.Features.Certificates;
using SkillsRegistry.Api.Features.Partners;
using SkillsRegistry.Api.Features.Practitioners;
using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Api.Infrastructure.Data;
using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Api.Features.Demo;

/// <summary>
/// Seeds a realistic demo on first start of an empty database, through the same repositories the API uses (so it is
/// validated and audited like real data). Only in Development are demo API keys made and written to
/// {DataDirectory}/demo-keys.txt (never to the log); elsewhere no key exists until an operator creates one.
/// </summary>
public sealed class DemoDataSeeder(
    PartnerRepository partners, StandardDrafting drafting, StandardRepository standards, CenterRepository centers, ApiKeyRepository keys,
    AssessmentBatchProcessor results, CertificateRepository certificates, HolderAccess holderAccess, HolderRecords holderRecords, PractitionerRegistry practitioners, TimeProvider clock, IHostEnvironment environment,
    ILogger<DemoDataSeeder> logger) : IDataSeeder
{
    public async Task SeedAsync(Db db, DatabaseOptions options, CancellationToken ct)
    {
        if (!options.ShouldSeedDemoData(environment)) return;
        if (!await DemoSql.RegistryIsEmptyAsync(db, ct)) return;
        var actor = Caller.System;

        var partnerIds = new Dictionary<string, Guid>();
        foreach (var partner in DemoCatalog.Partners)
            partnerIds[partner.Code] = (await partners.CreateAsync(partner, actor, ct)).Value.Partner.Id;

        foreach (var standard in DemoCatalog.Standards)
        {
            var fields = standard.Fields with { PartnerIds = standard.CoAuthor is { } p ? [partnerIds[p]] : [] };
            var draft = (await drafting.CreateAsync(standard.Code, fields, actor, ct)).Value;
            _ = (await standards.ActivateAsync(draft.Standard.Id, DemoCatalog.LicensedFrom, draft.RowVersion, actor, ct)).Value;
        }

        var centerIds = new Dictionary<string, Guid>();
        foreach (var center in DemoCatalog.Centers)
        {
            var fields = center.Fields with { PartnerId = center.Partner is { } p ? partnerIds[p] : null };
            var id = (await centers.CreateAsync(center.Code, fields, actor, ct)).Value.Value.Id;
            centerIds[center.Code] = id;
            _ = (await centers.CreateLicenceAsync(id, new NewLicence($"LIC-{center.Code}-1403", DemoCatalog.LicensedFrom, null), actor, ct)).Value;
            foreach (var code in center.Scope)
                _ = (await centers.AddScopeAsync(id, new NewScopeEntry(code, DemoCatalog.LicensedFrom, null, "Initial licence scope"), actor, ct)).Value;
        }

        var issued = await SeedResultsAsync(db, centerIds, ct);
        var sample = issued[0];
        await db.WriteAsync(s => certificates.RevokeAsync(s, issued[^1].Id, RevocationReason.IssuedInError, "Demo: issued to the wrong trainee", actor, clock.GetUtcNow()), ct);

        if (!environment.IsDevelopment())
        {
            logger.LogWarning("Seeded demo data into the {Environment} environment: {Partners} partner agencies, {Centers} centers, {Certificates} certificates. " +
                "No demo keys were made; create keys with `keys create`.", environment.EnvironmentName, DemoCatalog.Partners.Length,
                DemoCatalog.Centers.Length, issued.Count);
            return;
        }
        var admin = (await keys.CreateAsync(new NewApiKey("demo-admin", ApiKeyRole.Admin, null, null, null), actor, ct)).Value;
        var center1 = (await keys.CreateAsync(new NewApiKey("demo-center-ahvaz-1", ApiKeyRole.Center, centerIds["KHZ-AHV-001"], null, null), actor, ct)).Value;
        var cinema = (await keys.CreateAsync(new NewApiKey("demo-partner-cinema", ApiKeyRole.Partner, null, partnerIds["cinema-org"], null), actor, ct)).Value;
        // The holder of the valid sample certificate, to try the holder routes with (see the README's "Holders").
        var holderId = (await certificates.GetAsync(sample.Id, ct))!.TraineeId;
        var holderCode = (await holderAccess.IssueAsync(holderId, actor, ct)).Value;
        var holderBirthDate = (await holderRecords.GetAsync(holderId, ct))!.BirthDate;
        var path = Path.Combine(options.DataDirectory, "demo-keys.txt");
        await File.WriteAllTextAsync(path, new StringBuilder()
            .AppendLine("# SkillsRegistry demo keys (this demo database only). Send one as the X-Api-Key header, e.g. in Swagger UI's Authorize.")
            .AppendLine($"admin                      {admin.Key}")
            .AppendLine($"center KHZ-AHV-001 (Ahvaz) {center1.Key}")
            .AppendLine($"partner cinema-org         {cinema.Key}")
            .AppendLine()
            .AppendLine("# Certificates to verify (GET /verify/{number} or /api/v1/verify/{number}):")
            .AppendLine($"valid    {sample.Number}")
            .AppendLine($"revoked  {issued[^1].Number}")
            .AppendLine()
            .AppendLine($"# A holder access code for the valid certificate's holder (POST /holder/sessions; single use, until {holderCode.ExpiresAt:yyyy-MM-dd HH:mm} UTC;")
            .AppendLine("# a new one: POST /api/v1/trainees/{holder-trainee}/access-codes with the center key):")
            .AppendLine($"holder-code        {holderCode.Code}")
            .AppendLine($"holder-birth-date  {holderBirthDate:yyyy-MM-dd}")
            .AppendLine($"holder-trainee     {holderId}")
            .ToString(), ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        logger.LogInformation("Seeded demo data: {Partners} partner agencies, {Standards} standards, {Centers} centers, {Certificates} certificates. Demo API keys are in {Path}.",
            DemoCatalog.Partners.Length, DemoCatalog.Standards.Length, DemoCatalog.Centers.Length, issued.Count, path);
    }

    /// <summary>Each center submits one batch for its scope; about seven in ten pass.</summary>
    private async Task<List<IssuedCertificate>> SeedResultsAsync(Db db, Dictionary<string, Guid> centerIds, CancellationToken ct)
    {
        var issued = new List<IssuedCertificate>();
        var today = RegistryCalendar.Today(clock);
        var person = 0;
        foreach (var center in DemoCatalog.Centers)
        {
            var rows = new List<AssessmentRowInput?>();
            var assessor = await RegisterAssessorAsync(centerIds[center.Code], center.Code, center.Scope, person, ct);
            foreach (var (code, i) in center.Scope.SelectMany(code => Enumerable.Range(0, 3).Select(i => (code, i))))
            {
                var trainee = center.Fields.Kind == CenterKind.Foreign
                    ? Reference(DemoCatalog.IraqiTrainee, null, $"A{1234567 + i}", "IQ")
                    : Reference(DemoCatalog.People[person % DemoCatalog.People.Length], NationalIdFor(person), null, null);
                person++;
                var passes = (person % 10) < 7;
                rows.Add(new AssessmentRowInput($"DEMO-{center.Code}-{rows.Count + 1:000}", trainee, code, null,
                    today.AddDays(-30 - 7 * rows.Count), passes ? 78.5m : 42m, passes ? 86m : 71m, null, assessor));
            }
            var response = await db.WriteAsync(async s =>
                await results.ProcessAsync(s, (await centers.FindAsync(s, centerIds[center.Code]))!, rows, Caller.System), ct);
            issued.AddRange(response.Rows.Where(r => r.CertificateId is not null).Select(r => new IssuedCertificate(r.CertificateId!.Value, r.CertificateNumber!)));
        }
        return issued;
    }

    /// <summary>The center's own assessor (PR-{center code}), qualified by the registry for the center's scope since the licence.</summary>
    private async Task<string> RegisterAssessorAsync(Guid centerId, string centerCode, IReadOnlyList<string> scope, int n, CancellationToken ct)
    {
        var p = DemoCatalog.People[(n + 3) % DemoCatalog.People.Length];
        var errors = new Infrastructure.Http.ValidationErrors();
        var person = TraineeValidation.Validate(new TraineeIdentityInput(NationalIdFor(50_000 + n), null, null, p.GivenFa, p.FamilyFa, p.GivenLatin,
            p.FamilyLatin, new DateOnly(1975, 3, 21), p.Gender, [], null, null), RegistryCalendar.Today(clock), errors)!;
        var code = "PR-" + centerCode;
        var practitioner = (await practitioners.CreateAsync(new PractitionerValidation.ValidPractitioner(person, code, centerId, null), Caller.System, ct)).Value;
        foreach (var standard in scope)
            _ = (await practitioners.AddQualificationAsync(practitioner.Id, new PractitionerValidation.ValidQualification(standard, QualificationKind.Assessor,
                QualificationSource.AdminDecision, null, "Demo: assessor panel of the licence", DemoCatalog.LicensedFrom, null), Caller.System, ct)).Value;
        return code;
    }

    private static TraineeReference Reference(DemoCatalog.Person p, string? nationalId, string? passport, string? nationality) =>
        new(null, nationalId, passport, nationality, p.GivenFa, p.FamilyFa, p.GivenLatin, p.FamilyLatin,
            new DateOnly(1996, 3, 21).AddDays(nationalId?.Sum(c => c) ?? 400), p.Gender, p.Groups);

    /// <summary>Deterministic, valid national IDs (correct check digit) for the demo people.</summary>
    private static string NationalIdFor(int n)
    {
        var body = (1_736_452_01 + n * 7919).ToString("000000000", CultureInfo.InvariantCulture)[..9];
        var sum = body.Select((c, i) => (c - '0') * (10 - i)).Sum() % 11;
        return body + (sum < 2 ? sum : 11 - sum);
    }
}
