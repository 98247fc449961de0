using SkillsRegistry.Api.Infrastructure.OpenApi;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using SkillsRegistry.Api.Infrastructure.Text;
using SkillsRegistry.Api.Infrastructure.Http;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>The query string of a statistics request, as sent.</summary>
public sealed record StatisticsRequest(
    [property: FromQuery(Name = "groupBy"), OneOf(typeof(StatisticsGroup), CommaSeparatedUpTo = 2)] string? GroupBy,
    [property: FromQuery(Name = "from"), Format("date")] string? From,
    [property: FromQuery(Name = "to"), Format("date")] string? To,
    [property: FromQuery(Name = "sector")] string? Sector,
    [property: FromQuery(Name = "province")] string? Province,
    [property: FromQuery(Name = "centerKind"), OneOf(typeof(Centers.CenterKind))] string? CenterKind,
    [property: FromQuery(Name = "scope"), OneOf(typeof(StatisticsScope))] string? Scope,
    [property: FromQuery(Name = "format"), OneOf("json", "csv")] string? Format,
    [property: FromQuery(Name = "lang"), OneOf("en", "fa")] string? Lang);

public static class StatisticsValidation
{
    private static readonly string[] CenterKinds = ["public", "private-institute", "partner-run", "foreign"];

    public static ValidationErrors Validate(StatisticsRequest request, StatisticsMeasure measure, out StatisticsQuery? query, out StatisticsScope scope)
    {
        var errors = new ValidationErrors();
        query = null;
        var groups = new List<StatisticsGroup>();
        var names = (request.GroupBy ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length is < 1 or > 2)
            errors.Add("groupBy", $"Name one or two groups, comma-separated, from: {EnumText.Allowed<StatisticsGroup>()}.");
        else
            foreach (var name in names)
            {
                if (!EnumText.TryParse<StatisticsGroup>(name, out var g)) errors.Add("groupBy", $"'{name}' is not a group. Use: {EnumText.Allowed<StatisticsGroup>()}.");
                else if (groups.Contains(g)) errors.Add("groupBy", $"'{name}' is named twice.");
                else groups.Add(g);
            }
        var from = Date(errors, "from", request.From);
        var to = Date(errors, "to", request.To);
        if (from is { } f && to is { } t && t < f) errors.Add("to", "Must be on or after from.");
        if (request.CenterKind is not null && !CenterKinds.Contains(request.CenterKind, StringComparer.Ordinal))
            errors.Add("centerKind", $"Must be one of: {string.Join(", ", CenterKinds)}.");
        Common(errors, request.Sector, request.Province, request.Scope, request.Format, request.Lang, out scope);
        if (errors.IsEmpty)
            query = new StatisticsQuery(measure, groups, from, to, Blank(request.Sector), Blank(request.Province), request.CenterKind);
        return errors;
    }

    /// <summary>on: default today (Tehran); kind: any when left out.</summary>
    public static ValidationErrors Validate(PractitionerStatisticsRequest request, DateOnly today, out PractitionerStatisticsQuery? query,
        out StatisticsScope scope)
    {
        var errors = new ValidationErrors();
        query = null;
        var on = Date(errors, "on", request.On) ?? today;
        Practitioners.QualificationKind kind = default;
        if (request.Kind is not null) errors.OneOf("kind", request.Kind, out kind);
        Common(errors, request.Sector, request.Province, request.Scope, request.Format, request.Lang, out scope);
        if (errors.IsEmpty)
            query = new PractitionerStatisticsQuery(on, request.Kind is null ? null : kind, Blank(request.Sector), Blank(request.Province));
        return errors;
    }

    public static ValidationErrors Validate(RefresherHoursRequest request, out RefresherHoursQuery? query, out StatisticsScope scope)
    {
        var errors = new ValidationErrors();
        query = null;
        var from = Date(errors, "from", request.From);
        var to = Date(errors, "to", request.To);
        if (from is { } f && to is { } t && t < f) errors.Add("to", "Must be on or after from.");
        Common(errors, request.Sector, request.Province, request.Scope, request.Format, request.Lang, out scope);
        if (errors.IsEmpty) query = new RefresherHoursQuery(from, to, Blank(request.Sector), Blank(request.Province));
        return errors;
    }

    private static void Common(ValidationErrors errors, string? sector, string? province, string? scopeText, string? format, string? lang,
        out StatisticsScope scope)
    {
        scope = StatisticsScope.Own;
        errors.MaxLength("sector", sector, 50);
        errors.MaxLength("province", province, 20);
        if (scopeText is not null) errors.OneOf("scope", scopeText, out scope);
        if (format is not null and not ("json" or "csv")) errors.Add("format", "Must be json or csv.");
        if (lang is not null and not ("en" or "fa")) errors.Add("lang", "Must be en or fa.");
    }

    private static DateOnly? Date(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add(field, "Must be a date, yyyy-MM-dd.");
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
