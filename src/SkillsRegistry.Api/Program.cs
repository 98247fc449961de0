using SkillsRegistry.Api;

if (AdminVerbs.TryRun(args) is { } verb) return await verb;

var builder = WebApplication.CreateBuilder(args);
builder.AddSkillsRegistry();
var app = builder.Build();
app.MapSkillsRegistry();
await app.RunAsync();
return 0;

public partial class Program;
