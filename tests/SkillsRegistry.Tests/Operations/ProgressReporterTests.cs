using Microsoft.Extensions.Time.Testing;
using SkillsRegistry.Api.Infrastructure.Hosting;

namespace SkillsRegistry.Tests.Operations;

public sealed class ProgressReporterTests
{
    [Fact]
    public void Redirected_output_gets_a_plain_line_per_interval_with_rate_and_time_left()
    {
        var clock = new FakeTimeProvider();
        var output = new StringWriter();
        var progress = new ProgressReporter("backup", 1000, "pages", output, inPlace: false, clock);

        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(100);
        for (var i = 2; i <= 9; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(100 * i);
        }
        progress.Complete();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.DoesNotContain('\r', output.ToString());
        // First report at 1 s, the next one due 5 s later (at 6 s), then the closing line.
        Assert.Equal(["backup: 100 / 1,000 pages (10.0%) · 100 pages/s · 0:09 left",
                      "backup: 600 / 1,000 pages (60.0%) · 100 pages/s · 0:04 left",
                      "backup: 900 pages in 0:09"], lines);
    }

    [Fact]
    public void On_a_terminal_one_line_is_redrawn_in_place()
    {
        var clock = new FakeTimeProvider();
        var output = new StringWriter();
        var progress = new ProgressReporter("restore", 4, "KiB", output, inPlace: true, clock);

        for (var i = 1; i <= 4; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(i);
        }
        progress.Complete();

        var text = output.ToString();
        Assert.Equal(5, text.Count(c => c == '\r'));
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("restore: 4 KiB in 0:04", text.Split('\r')[^1].TrimEnd());
    }
}
