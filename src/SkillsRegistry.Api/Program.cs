using SkillsRegistry.Api;
using SkillsRegistry.Api.Features.ApiKeys;

if (KeysCommand.Matches(args)) return await KeysCommand.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddSkillsRegistry();
var app = builder.Build();
app.MapSkillsRegistry();
await app.RunAsync();
return 0;

public partial class Program;
