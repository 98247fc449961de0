using SkillsRegistry.Api.Features.Trainees;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Tests.Trainees;

public sealed class TraineeValidationTests
{
    private static readonly DateOnly Today = new(2026, 3, 20);

    private static TraineeIdentityInput Input(string? nationalId = "1234567891", string? passport = null, string? nationality = null,
        string? givenLatin = "Maryam", DateOnly? birth = null, string? gender = "female", string[]? groups = null,
        string? phone = null, string? email = null) =>
        new(nationalId, passport, nationality, "مریم", "کریمی", givenLatin, "Karimi", birth ?? new DateOnly(1998, 4, 12), gender,
            groups ?? ["urban-job-seekers"], phone, email);

    private static (ValidTrainee? Trainee, IDictionary<string, string[]> Errors) Run(TraineeIdentityInput input, string prefix = "")
    {
        var errors = new ValidationErrors();
        var trainee = TraineeValidation.Validate(input, Today, errors, prefix);
        return (trainee, errors.ToDictionary());
    }

    [Fact]
    public void A_complete_trainee_with_a_national_id_is_valid_and_normalised()
    {
        var (trainee, errors) = Run(Input(nationalId: "۱۲۳۴۵۶۷۸۹۱", groups: ["Urban-Job-Seekers ", "urban-job-seekers"], phone: "۰۹۱۲ ۳۴۵ ۶۷۸۹"));
        Assert.Empty(errors);
        Assert.Equal("1234567891", trainee!.Identity!.NationalId);
        Assert.Null(trainee.Identity.PassportNumber);
        Assert.Equal(["urban-job-seekers"], trainee.TargetGroups);
        Assert.Equal("0912 345 6789", trainee.Phone);
        Assert.Equal(TraineeGender.Female, trainee.Gender);
    }

    [Fact]
    public void A_passport_is_upper_cased_without_spaces_and_its_nationality_normalised()
    {
        var (trainee, errors) = Run(Input(nationalId: null, passport: "p 1234 5678", nationality: "af"));
        Assert.Empty(errors);
        Assert.Equal("P12345678", trainee!.Identity!.PassportNumber);
        Assert.Equal("AF", trainee.Identity.Nationality);
    }

    [Theory]
    [InlineData("1234567891", "X1234567", "AF", "nationalId", "not both")]
    [InlineData(null, null, null, "nationalId", "Required")]
    [InlineData(null, "X1234567", null, "nationality", "Required")]
    [InlineData(null, null, "AF", "passportNumber", "Required")]
    [InlineData(null, "X12", "AF", "passportNumber", "5 to 20")]
    [InlineData(null, "X1234-567", "AF", "passportNumber", "letters and digits")]
    [InlineData(null, "X1234567", "ZZ", "nationality", "ISO 3166-1")]
    [InlineData(null, "X1234567", "IR", "nationality", "national ID")]
    public void Exactly_one_well_formed_identity_is_required(string? nationalId, string? passport, string? nationality, string field, string message)
    {
        var (trainee, errors) = Run(Input(nationalId, passport, nationality));
        Assert.Null(trainee);
        Assert.Contains(message, errors[field][0]);
    }

    [Fact]
    public void Batch_rows_get_prefixed_field_names()
    {
        var (_, errors) = Run(Input(nationalId: "1234567890", givenLatin: "", gender: "other"), "rows[3].trainee");
        Assert.Contains("rows[3].trainee.nationalId", errors.Keys);
        Assert.Contains("rows[3].trainee.givenNameLatin", errors.Keys);
        Assert.Contains("rows[3].trainee.gender", errors.Keys);
    }

    [Theory]
    [InlineData("2026-03-20", "in the past")]
    [InlineData("2030-01-01", "in the past")]
    [InlineData("2016-03-21", "9 years old")]
    [InlineData("1925-01-01", "101 years old")]
    public void The_birth_date_must_give_a_sensible_age(string birth, string message)
    {
        var (_, errors) = Run(Input(birth: DateOnly.Parse(birth)));
        Assert.Contains(message, errors["birthDate"][0]);
    }

    [Fact]
    public void Ten_year_olds_and_centenarians_are_accepted()
    {
        Assert.Empty(Run(Input(birth: new DateOnly(2016, 3, 20))).Errors);
        Assert.Empty(Run(Input(birth: new DateOnly(1926, 3, 20))).Errors);
    }

    [Fact]
    public void A_latin_name_in_persian_letters_a_bad_email_and_a_bad_phone_are_field_errors()
    {
        var (_, errors) = Run(Input(givenLatin: "مریم", email: "maryam-at-example", phone: "12"));
        Assert.Contains("Latin", errors["givenNameLatin"][0]);
        Assert.NotEmpty(errors["email"]);
        Assert.NotEmpty(errors["phone"]);
    }

    [Fact]
    public void An_update_without_identity_fields_keeps_the_stored_identity()
    {
        var errors = new ValidationErrors();
        var trainee = TraineeValidation.Validate(Input(nationalId: null), Today, errors, "", identityRequired: false);
        Assert.True(errors.IsEmpty);
        Assert.Null(trainee!.Identity);
    }
}
