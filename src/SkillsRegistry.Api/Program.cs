using SkillsRegistry.Api;
using SkillsRegistry.Api.Features.ApiKeys;
using SkillsRegistry.Api.Features.Statistics;

if (KeysCommand.Matches(args)) return await KeysCommand.RunAsync(args);
if (StatsCommand.Matches(args)) return await StatsCommand.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddSkillsRegistry();
var app = builder.Build();
app.MapSkillsRegistry();
await app.RunAsync();
return 0;

public partial class Program;
