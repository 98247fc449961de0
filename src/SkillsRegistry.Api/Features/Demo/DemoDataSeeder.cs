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
    CertificateRepository certificates, HolderAccess holderAccess, HolderRecords holderRecords, PractitionerRegistry practitioners, TimeProvider clock, IHostEnvironment environment, IServiceProvider services,
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

        var sessions = DemoSessions.Plan(RegistryCalendar.Today(clock), MaysanAgreementFrom);
        await SeedPractitionersAsync(centerIds, partnerIds, sessions, ct);
        var issued = await SeedResultsAsync(db, centerIds, sessions, ct);
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
        logger.LogInformation("Seeded demo data: {Partners} partner agencies, {Standards} standards, {Centers} centers, {Results} results, {Certificates} certificates. Demo API keys are in {Path}.",
            DemoCatalog.Partners.Length, DemoCatalog.Standards.Length, DemoCatalog.Centers.Length, sessions.Sum(s => s.Rows.Count), issued.Count, path);
    }

    /// <summary>
    /// The practitioners the sessions name: each center's own assessor; refresher courses for the film editor's assessors (the
    /// Tehran cinema center's keeps current, the Pardeh school's lets it lapse); the Maysan partner's assessor, registered and
    /// accredited by the partner; and a visit recorded for each session an assessor holds away from home.
    /// </summary>
    private async Task SeedPractitionersAsync(Dictionary<string, Guid> centerIds, Dictionary<string, Guid> partnerIds,
        IReadOnlyList<DemoSessions.Session> sessions, CancellationToken ct)
    {
        var today = RegistryCalendar.Today(clock);
        var ids = new Dictionary<string, Guid>();
        var n = 0;
        foreach (var center in DemoCatalog.Centers)
            ids[DemoSessions.OwnAssessor(center.Code)] = await RegisterAssessorAsync(centerIds[center.Code], center.Code, center.Scope, n++, ct);

        Caller CenterCaller(string code) => new(null, ApiKeyRole.Center, Caller.System.Name, centerIds[code], null);
        async Task CourseAsync(string centerCode, DateOnly day) =>
            _ = (await practitioners.AddRefresherCourseAsync(ids[DemoSessions.OwnAssessor(centerCode)], new PractitionerValidation.ValidRefresherCourse(
                "RC-CIN-16", "Assessing editing practice: refresher", DemoCatalog.FilmEditorAssessors.RefresherHours!.Value, day, null, null),
                CenterCaller(centerCode), ct)).Value;
        for (var day = DemoSessions.FirstDay(today).AddDays(-20); day <= today; day = day.AddMonths(12))
            await CourseAsync(DemoSessions.StandInCenter, day);
        await CourseAsync(DemoSessions.LapsingCenter, DemoSessions.LapsingCourse(today));

        var maysan = new Caller(null, ApiKeyRole.Partner, Caller.System.Name, null, partnerIds["maysan-iraq"]);
        var p = DemoCatalog.MaysanAssessor;
        var errors = new Infrastructure.Http.ValidationErrors();
        var person = TraineeValidation.Validate(new TraineeIdentityInput(null, "A7654321", "IQ", p.GivenFa, p.FamilyFa, p.GivenLatin, p.FamilyLatin,
            new DateOnly(1979, 8, 2), p.Gender, [], null, null), today, errors)!;
        var visitor = (await practitioners.CreateAsync(new PractitionerValidation.ValidPractitioner(person, DemoSessions.MaysanVisitor, null, partnerIds["maysan-iraq"]),
            maysan, ct)).Value.Id;
        ids[DemoSessions.MaysanVisitor] = visitor;
        _ = (await practitioners.AddQualificationAsync(visitor, new PractitionerValidation.ValidQualification("7514-31-003", QualificationKind.Assessor,
            QualificationSource.PartnerAccreditation, null, "Demo: exchange of assessors with Khuzestan", MaysanAgreementFrom, null), maysan, ct)).Value;

        foreach (var session in sessions.Where(s => s.Visiting))
            _ = (await practitioners.AddVisitAsync(ids[session.AssessorCode], centerIds[session.CenterCode], session.ExamDate, session.ExamDate,
                session.AssessorCode == DemoSessions.MaysanVisitor ? maysan : CenterCaller(session.CenterCode), ct)).Value;
    }

    private static DateOnly MaysanAgreementFrom => DemoCatalog.Partners.Single(p => p.Code == "maysan-iraq").AgreementSignedOn!.Value;

    /// <summary>
    /// Each session is one batch through the API's batch processor, on a clock set to the day it was submitted: every row
    /// meets the rules a center's row would (assessor included), and its certificate is issued in its own Solar Hijri year.
    /// A rejected row is a fault of the demo and stops the seed.
    /// </summary>
    private async Task<List<IssuedCertificate>> SeedResultsAsync(Db db, Dictionary<string, Guid> centerIds, IReadOnlyList<DemoSessions.Session> sessions,
        CancellationToken ct)
    {
        var backdated = new DemoClock();
        var processor = ActivatorUtilities.CreateInstance<AssessmentBatchProcessor>(services, (TimeProvider)backdated);
        // One transaction for all of them: a row the rules refuse leaves no part of the results behind.
        return await db.WriteAsync(async s =>
        {
            var issued = new List<IssuedCertificate>();
            foreach (var session in sessions)
            {
                backdated.Day = session.SubmittedOn;
                var response = await processor.ProcessAsync(s, (await centers.FindAsync(s, centerIds[session.CenterCode]))!, session.Rows, Caller.System);
                if (response.Rows.FirstOrDefault(r => r.Result == RowResult.Rejected) is { } rejected)
                    throw new InvalidOperationException($"Demo row {rejected.ExternalRef} was rejected: " +
                        string.Join(" ", rejected.Errors!.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
                issued.AddRange(response.Rows.Where(r => r.CertificateId is not null).Select(r => new IssuedCertificate(r.CertificateId!.Value, r.CertificateNumber!)));
            }
            return issued;
        }, ct);
    }

    /// <summary>The center's own assessor (PR-{center code}), qualified by the registry for the center's scope since the licence.</summary>
    private async Task<Guid> RegisterAssessorAsync(Guid centerId, string centerCode, IReadOnlyList<string> scope, int n, CancellationToken ct)
    {
        var p = DemoCatalog.People[(n + 3) % DemoCatalog.People.Length];
        var errors = new Infrastructure.Http.ValidationErrors();
        var person = TraineeValidation.Validate(new TraineeIdentityInput(DemoSessions.NationalId(50_000 + n), null, null, p.GivenFa, p.FamilyFa, p.GivenLatin,
            p.FamilyLatin, new DateOnly(1975, 3, 21), p.Gender, [], null, null), RegistryCalendar.Today(clock), errors)!;
        var practitioner = (await practitioners.CreateAsync(new PractitionerValidation.ValidPractitioner(person, DemoSessions.OwnAssessor(centerCode), centerId, null),
            Caller.System, ct)).Value;
        foreach (var standard in scope)
            _ = (await practitioners.AddQualificationAsync(practitioner.Id, new PractitionerValidation.ValidQualification(standard, QualificationKind.Assessor,
                QualificationSource.AdminDecision, null, "Demo: assessor panel of the licence", DemoCatalog.LicensedFrom, null), Caller.System, ct)).Value;
        return practitioner.Id;
    }

    /// <summary>A clock standing at 09:30 in Tehran on the day a demo batch was submitted.</summary>
    private sealed class DemoClock : TimeProvider
    {
        public DateOnly Day { get; set; }

        public override DateTimeOffset GetUtcNow() => new(Day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero);
    }
}
