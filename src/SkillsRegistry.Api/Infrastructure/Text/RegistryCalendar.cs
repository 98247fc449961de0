using System.Globalization;

namespace SkillsRegistry.Api.Infrastructure.Text;

/// <summary>
/// Dates as people in Iran read them. Times are stored in UTC; the registry's calendar day (for "not in the future",
/// issue dates and the Solar Hijri year in certificate numbers) is the day in Tehran.
/// </summary>
public static class RegistryCalendar
{
    private static readonly PersianCalendar Persian = new();
    private static readonly TimeZoneInfo Tehran = FindTehran();

    public static DateOnly Today(TimeProvider clock) => DayOf(clock.GetUtcNow());

    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Tehran).DateTime);

    public static int SolarHijriYear(DateOnly date) => Persian.GetYear(date.ToDateTime(TimeOnly.MinValue));

    /// <summary>"1404/01/24" for 2025-04-13.</summary>
    public static string SolarHijri(DateOnly date)
    {
        var d = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{Persian.GetYear(d):0000}/{Persian.GetMonth(d):00}/{Persian.GetDayOfMonth(d):00}");
    }

    private static TimeZoneInfo FindTehran()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Asia/Tehran"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.CreateCustomTimeZone("Tehran", TimeSpan.FromHours(3.5), "Tehran", "Tehran"); }
    }
}
