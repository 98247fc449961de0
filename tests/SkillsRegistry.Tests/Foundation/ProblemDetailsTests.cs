using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class ProblemDetailsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private async Task<HttpClient> AdminAsync() => await (await fixture.For(TestDatabase.Sqlite)).AdminClientAsync();

    [Fact]
    public async Task Malformed_json_is_a_400_saying_where_it_failed()
    {
        var client = await AdminAsync();
        var response = await client.PostAsync("/api/v1/api-keys", new StringContent("{\"name\": \"x\", \"role\": ", Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("$.role", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_wrong_json_type_is_a_400_naming_the_field()
    {
        var client = await AdminAsync();
        var response = await client.PostAsync("/api/v1/api-keys", new StringContent("{\"name\": \"x\", \"role\": \"admin\", \"expiresAt\": 42}", Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("$.expiresAt"));
    }

    [Fact]
    public async Task Unknown_route_wrong_method_and_wrong_content_type_are_problems()
    {
        var client = await AdminAsync();
        await (await client.GetAsync("/api/v1/no-such-thing")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync("/api/v1/api-keys")).AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
        var response = await client.PostAsync("/api/v1/api-keys", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem()
    {
        var client = await AdminAsync();
        var content = new ByteArrayContent(new byte[5 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var problem = await (await client.PostAsync("/api/v1/api-keys", content)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("limit", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Problems_carry_a_trace_id()
    {
        var client = await AdminAsync();
        var problem = await (await client.GetAsync("/api/v1/nowhere")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_a_400_naming_the_field_as_the_contract_types_numbers_as_numbers_only()
    {
        var client = await AdminAsync();
        var body = """{"code":"9999-1","iscoCode":"7318","sector":"handicrafts","titleFa":"x","titleEn":"x","theoryHours":"60","practicalHours":340,"theoryPassMark":50,"practicalPassMark":60}""";
        var response = await client.PostAsync("/api/v1/standards", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.FieldErrors("$.theoryHours"));
    }

    [Fact]
    public async Task Every_problem_names_its_type_even_for_statuses_without_a_standard_link()
    {
        var client = await AdminAsync();
        var withoutIfMatch = await client.PutAsync("/api/v1/reference/target-groups/rural-job-seekers",
            new StringContent("""{"nameEn":"x","nameFa":"x","active":true}""", Encoding.UTF8, "application/json"));
        var problem = await withoutIfMatch.AssertProblemAsync((HttpStatusCode)428);
        Assert.Equal("https://www.rfc-editor.org/rfc/rfc6585#section-3", problem.GetProperty("type").GetString());
    }
}
