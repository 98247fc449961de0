using System.Text;

namespace SkillsRegistry.Api.Infrastructure.Hosting;

/// <summary>
/// Lets a <see cref="ProgressReporter"/> report through the service's log instead of the console: a step that runs inside
/// the service (at startup) has no terminal of its own, and its lines belong with the other log lines.
/// </summary>
public sealed class LogLineWriter(ILogger logger) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        if (!string.IsNullOrEmpty(value)) logger.LogInformation("{Progress}", value);
    }
}
