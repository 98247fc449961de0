using System.Net;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

public sealed class HealthAndDocsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory, OnSqlite, OnPostgres]
    public async Task Ready_and_live_answer_200_once_migrated(TestDatabase db)
    {
        var client = (await fixture.For(db)).CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var client = (await fixture.For(TestDatabase.Sqlite)).CreateClient();
        var html = await client.GetStringAsync("/swagger/index.html");
        Assert.Contains("swagger-ui", html);
    }
}
