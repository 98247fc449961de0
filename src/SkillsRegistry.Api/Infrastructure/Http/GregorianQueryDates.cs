using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace SkillsRegistry.Api.Infrastructure.Http;

/// <summary>
/// Dates in query strings are Gregorian. A date before 1700 is almost always a Solar Hijri date typed by mistake
/// (1405-01-01 would otherwise be read as the year 1405 AD and quietly match nothing), so it is refused with the
/// Gregorian date it probably meant.
/// </summary>
public sealed partial class GregorianQueryDatesMiddleware(RequestDelegate next)
{
    public const int EarliestYear = 1700;

    [GeneratedRegex(@"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")]
    private static partial Regex DateLike();

    public async Task InvokeAsync(HttpContext context)
    {
        Dictionary<string, string[]>? errors = null;
        foreach (var (name, values) in context.Request.Query)
        {
            foreach (var value in values)
            {
                if (value is null || DateLike().Match(value) is not { Success: true } m) continue;
                var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                if (year >= EarliestYear) continue;
                (errors ??= [])[name] = [Message(value.Trim(), year, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                    int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))];
            }
        }
        if (errors is null)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(errors)
            {
                Status = 400,
                Title = "Invalid date",
                Detail = "Dates in this API are Gregorian, written YYYY-MM-DD (e.g. 2026-03-21). A year before 1700 is refused: it is usually a Solar Hijri date.",
            },
        });
    }

    public static string Message(string value, int year, int month, int day)
    {
        var text = $"Expected a Gregorian date as YYYY-MM-DD; {value} looks like a Solar Hijri date.";
        try
        {
            var gregorian = new PersianCalendar().ToDateTime(year, month, day, 0, 0, 0, 0);
            return text + $" In the Gregorian calendar it is {gregorian:yyyy-MM-dd}.";
        }
        catch (ArgumentOutOfRangeException)
        {
            return text;
        }
    }
}
