using System.Text.Json;
using SkillsRegistry.Tests.Support;

namespace SkillsRegistry.Tests.Foundation;

/// <summary>The committed contract partners generate clients from must be exactly what the code serves.</summary>
public sealed class OpenApiDocumentTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    public const string RefreshCommand = "SKILLSREGISTRY_UPDATE_OPENAPI=1 dotnet test --filter FullyQualifiedName~OpenApiDocumentTests";

    private static string CommittedPath => Path.Combine(RepositoryRoot.Path, "openapi", "skills-registry.v1.json");

    [Fact]
    public async Task The_committed_document_matches_what_the_service_serves()
    {
        var served = (await (await fixture.For(TestDatabase.Sqlite)).CreateClient().GetStringAsync("/openapi/v1.json")).ReplaceLineEndings("\n").TrimEnd() + "\n";
        if (Environment.GetEnvironmentVariable("SKILLSREGISTRY_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served);
            return;
        }
        var committed = File.Exists(CommittedPath) ? (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n") : "";
        Assert.True(committed == served,
            $"openapi/skills-registry.v1.json differs from the document the service serves. Refresh it with:\n  {RefreshCommand}\nthen review and commit the diff.");
    }

    [Fact]
    public async Task Every_operation_has_a_name_summary_tag_and_security_decision()
    {
        var json = await (await fixture.For(TestDatabase.Sqlite)).CreateClient().GetStringAsync("/openapi/v1.json");
        var document = JsonDocument.Parse(json).RootElement;
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
        var names = new HashSet<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
            Assert.True(operation.Value.TryGetProperty("operationId", out var id), $"{where} has no operationId");
            Assert.True(names.Add(id.GetString()!), $"{where}: operationId {id} is not unique");
            Assert.True(operation.Value.TryGetProperty("summary", out _), $"{where} has no summary");
            Assert.True(operation.Value.TryGetProperty("tags", out _), $"{where} has no tag");
            if (operation.Value.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var jsonBody))
                Assert.True(jsonBody.TryGetProperty("example", out _), $"{where} has no request example");
        }
    }
}
