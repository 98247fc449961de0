using System.Text;

namespace SkillsRegistry.Api.Infrastructure.Http;

public sealed record CsvColumn<T>(string Header, Func<T, object?> Value);

/// <summary>RFC 4180 CSV in UTF-8 with a BOM, so spreadsheet programs show Persian correctly.</summary>
public sealed class CsvResult<T>(IEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns, string fileName) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await writer.WriteAsync(string.Join(',', columns.Select(c => Escape(c.Header))) + "\r\n");
        foreach (var row in rows)
            await writer.WriteAsync(string.Join(',', columns.Select(c => Escape(Format(c.Value(row))))) + "\r\n");
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd"),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Escape(string value)
    {
        // A leading =, +, - or @ would run as a formula in a spreadsheet.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}

public static class Csv
{
    /// <summary>
    /// The records of RFC 4180 text (a CSV file, or a column pasted from a spreadsheet): comma-separated cells, quoted cells
    /// with doubled quotes, CRLF or LF line ends; a byte-order mark is dropped.
    /// </summary>
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(cell.ToString()); cell.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                record.Add(cell.ToString());
                cell.Clear();
                records.Add(record);
                record = [];
            }
            else cell.Append(c);
        }
        if (cell.Length > 0 || record.Count > 0) { record.Add(cell.ToString()); records.Add(record); }
        return records;
    }

    public static bool Requested(HttpContext context) =>
        context.Request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);
}
