using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SkillsRegistry.Tests.Foundation;

public sealed class PublicBaseUrlTests
{
    [Fact]
    public void Outside_development_the_service_refuses_to_start_while_the_public_base_url_is_the_localhost_default()
    {
        var data = Directory.CreateTempSubdirectory("sr-baseurl-").FullName;
        try
        {
            using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            {
                b.UseEnvironment("Production");
                b.UseSetting("Database:Provider", "Sqlite");
                b.UseSetting("Database:DataDirectory", data);
                b.UseSetting("Database:SeedDemoData", "false");
            });
            var refused = Assert.ThrowsAny<InvalidOperationException>(() => factory.CreateClient());
            Assert.Contains("Registry:PublicBaseUrl", refused.Message);
            Assert.Contains("http://localhost:5080", refused.Message);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
