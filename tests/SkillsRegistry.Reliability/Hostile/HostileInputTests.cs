using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Infrastructure.Auth;
using SkillsRegistry.Tests.Support;
using Xunit.Abstractions;

namespace SkillsRegistry.Reliability.Hostile;

/// <summary>
/// At least 10,000 generated hostile requests across every operation in the OpenAPI document (plus stray methods and
/// paths): never a 5xx, every 4xx an RFC 9457 problem, and a rejected request changes no row of the main tables.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    [ReliabilityTheory, OnSqlite, OnPostgres]
    public async Task Hostile_requests_never_get_a_server_error_and_rejected_ones_change_nothing(TestDatabase database)
    {
        var seed = ReliabilitySettings.Seed;
        var total = ReliabilitySettings.HostileRequests;
        output.WriteLine($"seed {seed} (replay with SKILLSREGISTRY_SEED={seed}), {total} requests on {database}");
        await using var app = await RegistryApp.StartAsync(database);
        var world = await app.CreateWorldAsync();
        var partnerId = await app.InsertPartnerAsync();
        var keys = await KeysAsync(app, world, partnerId);

        // Something to point ids at: a certificate, its assessment and trainee, the catalog rows, a key that may be revoked.
        var centerClient = app.ClientWithKey(world.CenterKey);
        var batch = await RegistryChecks.PostBatchAsync(centerClient, [RegistryWorlds.Row("HOSTILE-1", world.StandardCode, 80, 75)], null);
        var row = batch.GetProperty("rows")[0];
        var victimKey = (await app.Service<ApiKeyRepository>().CreateAsync(new NewApiKey("victim", ApiKeyRole.Admin, null, null, null), Caller.System, default)).Value;
        var certificateId = row.GetProperty("certificateId").GetGuid();
        var traineeId = (await (await app.ClientWithKey(keys["admin"]!).GetAsync($"/api/v1/certificates/{certificateId}")).ReadJsonAsync()).GetProperty("traineeId").GetGuid();
        Guid[] knownIds = [certificateId, row.GetProperty("assessmentId").GetGuid(), traineeId, world.CenterId, world.StandardId, partnerId, victimKey.ApiKey.Id];

        using var documentResponse = await app.CreateClient().GetAsync("/openapi/v1.json");
        var document = JsonDocument.Parse(await documentResponse.Content.ReadAsStringAsync()).RootElement;
        var operations = HostileRequests.Operations(document);
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the OpenAPI document");
        var generator = new HostileRequests(document, new Random(seed), keys, knownIds);

        var client = app.CreateClient();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var counts = await RegistryChecks.CountsAsync(app.Db);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var request = i % 20 == 19 ? generator.Stray(operations) : generator.Next(operations[i % operations.Count]);
            using var message = ToMessage(request);
            using var response = await client.SendAsync(message);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500)
                failures.Add($"#{i} {status}: {request.Description}\n    {Truncate(await response.Content.ReadAsStringAsync())}");
            else if (status >= 400 && mediaType != "application/problem+json")
                failures.Add($"#{i} {status} as '{mediaType}', not a problem: {request.Description}\n    {Truncate(await response.Content.ReadAsStringAsync())}");
            var after = await RegistryChecks.CountsAsync(app.Db);
            if (status >= 400 && after != counts) failures.Add($"#{i} {status} was rejected but changed rows {counts} → {after}: {request.Description}");
            counts = after;
            if (failures.Count >= 25) break;
        }
        output.WriteLine($"{total} requests in {clock.Elapsed.TotalSeconds:0.0} s; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} failures (first 25):\n" + string.Join("\n", failures));
    }

    private static async Task<Dictionary<string, string?>> KeysAsync(RegistryApp app, RegistryWorld world, Guid partnerId)
    {
        var repository = app.Service<ApiKeyRepository>();
        var expired = (await repository.CreateAsync(new NewApiKey("expired", ApiKeyRole.Admin, null, null, app.Clock.GetUtcNow().AddMinutes(-1)), Caller.System, default)).Value;
        var revoked = (await repository.CreateAsync(new NewApiKey("revoked", ApiKeyRole.Admin, null, null, null), Caller.System, default)).Value;
        await repository.RevokeAsync(revoked.ApiKey.Id, Caller.System, default);
        return new Dictionary<string, string?>
        {
            ["admin"] = await app.CreateKeyAsync(ApiKeyRole.Admin),
            ["center"] = world.CenterKey,
            ["partner"] = await app.CreateKeyAsync(ApiKeyRole.Partner, partnerId: partnerId),
            ["none"] = null,
            ["malformed"] = "Bearer ' OR 1=1 --",
            ["unknown"] = ApiKeySecret.Generate(),
            ["expired"] = expired.Key,
            ["revoked"] = revoked.Key,
        };
    }

    private static HttpRequestMessage ToMessage(HostileRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Key is not null) message.Headers.TryAddWithoutValidation(ApiKeyAuthenticationHandler.HeaderName, request.Key);
        foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is { Length: > 0 } type) message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        return message;
    }

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
