using System.Net;
using System.Net.Http.Json;
using SkillsRegistry.Api.Features.Standards;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Standards;

public sealed class StandardValidationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task A_three_digit_ISCO_code_and_a_pass_mark_of_101_are_field_errors(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var body = StandardsTestData.StandardBody(StandardsTestData.NewStandardCode(), iscoCode: "731", theoryPassMark: 101m, practicalPassMark: 70.25m);
        var problem = await (await admin.PostAsJsonAsync("/api/v1/standards", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("4 digits", problem.FieldErrors("iscoCode")[0]);
        Assert.Contains("between 0 and 100", problem.FieldErrors("theoryPassMark")[0]);
        Assert.Contains("one decimal", problem.FieldErrors("practicalPassMark")[0]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_unknown_sector_or_partner_is_a_field_error(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var ghost = Guid.CreateVersion7();
        var body = StandardsTestData.StandardBody(StandardsTestData.NewStandardCode(), sector: "space-tourism", partnerIds: [ghost]);
        var problem = await (await admin.PostAsJsonAsync("/api/v1/standards", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("space-tourism", problem.FieldErrors("sector")[0]);
        Assert.Contains(ghost.ToString(), problem.FieldErrors("partnerIds")[0]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Missing_fields_a_bad_code_and_negative_hours_are_named(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var problem = await (await admin.PostAsJsonAsync("/api/v1/standards",
            new { code = "x!", theoryHours = -1, validityMonths = 0 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "code", "iscoCode", "sector", "titleFa", "titleEn", "theoryHours", "practicalHours", "theoryPassMark", "practicalPassMark", "validityMonths" })
            Assert.NotEmpty(problem.FieldErrors(field));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_new_version_with_an_invalid_override_is_a_field_error(TestDatabase db)
    {
        var app = await fixture.For(db);
        var admin = await app.AdminClientAsync();
        var code = StandardsTestData.NewStandardCode();
        await admin.CreateActiveStandardAsync(StandardsTestData.StandardBody(code), new DateOnly(2024, 1, 1));
        var problem = await (await admin.PostAsJsonAsync($"/api/v1/standards/{code}/versions", new { practicalPassMark = 100.5 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("practicalPassMark"));
    }

    [Theory]
    [InlineData(" 7318-12-001-1 ", "7318-12-001-1", true)]
    [InlineData("ab.12", "AB.12", true)]
    [InlineData("۷۳۱۸-۱۲", "7318-12", true)]
    [InlineData("-7318", "-7318", false)]
    [InlineData("73", "73", false)]
    [InlineData("7318/12", "7318/12", false)]
    public void Codes_are_normalised_to_upper_case_ASCII_before_the_pattern_is_checked(string input, string normalised, bool valid)
    {
        var code = StandardValidation.NormalizeCode(input);
        Assert.Equal(normalised, code);
        Assert.Equal(valid, StandardValidation.IsValidCode(code));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(100, true)]
    [InlineData(62.5, true)]
    [InlineData(62.55, false)]
    [InlineData(-0.1, false)]
    [InlineData(100.1, false)]
    public void Pass_marks_are_0_to_100_with_at_most_one_decimal(double mark, bool valid)
    {
        var request = new UpdateStandardRequest("7318", "cinema", "عنوان", "Title", 1, 1, (decimal)mark, 50m, null, null);
        var errors = StandardValidation.Validate(request, out var fields);
        Assert.Equal(valid, errors.IsEmpty);
        Assert.Equal(valid, fields is not null);
    }

    [Fact]
    public void A_new_version_copies_the_latest_fields_unless_overridden()
    {
        var partner = Guid.CreateVersion7();
        var latest = new StandardFields("7318", "cinema", "عنوان", "Title", 10, 20, 50m, 60m, 36, [partner]);
        var errors = StandardValidation.Merge(latest, new CreateStandardVersionRequest(
            null, null, null, "New title", null, 30, null, null, null, null), out var merged);
        Assert.True(errors.IsEmpty);
        Assert.Equal(("New title", 30, 10, "7318", 60m), (merged!.TitleEn, merged.PracticalHours, merged.TheoryHours, merged.IscoCode, merged.PracticalPassMark));
        Assert.Equal([partner], merged.PartnerIds);
        Assert.Equal(36, merged.ValidityMonths);
    }
}
