using System.Globalization;
using System.Net;
using System.Text;

namespace SkillsRegistry.Api.Features.Statistics;

/// <summary>
/// Charts as inline SVG drawn on the server: no script, no external resource. Laid out for a 390 px wide phone
/// (the viewBox scales). Withheld cells (&lt;5) get no bar or point, only their "&lt;5" label.
/// </summary>
public static class SvgCharts
{
    public static readonly string[] Palette = ["#0b57d0", "#0b7a3e", "#b3261e", "#a15c00", "#6d3fc0", "#00796b", "#c2185b", "#5f6368"];

    private const int Width = 360;
    private const int LabelWidth = 140;
    private const int RowHeight = 26;

    /// <summary>Horizontal bars growing from the right (the page reads right to left): label on the right, value at the bar's end.</summary>
    public static string HorizontalBars(IReadOnlyList<ChartBar> bars, string title, int? maxValue = null, string color = "#0b57d0")
    {
        var max = Math.Max(1, maxValue ?? bars.Max(b => b.Value) ?? 1);
        var height = Math.Max(1, bars.Count) * RowHeight + 8;
        var right = Width - LabelWidth - 6;   // bars end here, labels sit to its right
        const int left = 44;                  // room for the value text at the left end
        var svg = Open(height, title);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = 4 + i * RowHeight;
            var mid = y + RowHeight / 2 + 4;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width - 2}" y="{mid}" text-anchor="end" font-size="12" fill="#1f1f1f">{Escape(Shorten(bar.LabelFa, 24))}</text>""");
            if (bar.Value is { } value)
            {
                var length = (right - left) * (double)value / max;
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{F(right - length)}" y="{y + 5}" width="{F(Math.Max(length, 1))}" height="{RowHeight - 10}" rx="3" fill="{color}"><title>{Escape(bar.LabelEn)}: {value}</title></rect>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(right - length - 4)}" y="{mid}" text-anchor="end" font-size="12" fill="#1f1f1f">{Escape(bar.Display)}</text>""");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{right - 30}" y1="{y + RowHeight / 2}" x2="{right}" y2="{y + RowHeight / 2}" stroke="#9aa0a6" stroke-dasharray="3 3"/>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{right - 34}" y="{mid}" text-anchor="end" font-size="12" fill="#5f6368" class="withheld">{Escape(bar.Display)}</text>""");
            }
        }
        return Close(svg);
    }

    /// <summary>
    /// One line per series over the points (years); a withheld value breaks the line and is marked with an open circle. With a
    /// single point there is no line: the series are drawn as bars.
    /// </summary>
    public static string Lines(ChartLines lines, string title)
    {
        const int height = 220, top = 12, bottom = 186, left = 12, rightEdge = Width - 40;
        var max = Math.Max(1, lines.Series.SelectMany(s => s.Values).Max(v => v) ?? 1);
        var step = NiceStep(max / 4.0);
        var niceMax = step * (int)Math.Ceiling((double)max / step);
        var svg = Open(height, title);
        // The value axis is on the right, where a right-to-left reader starts.
        for (var value = 0; value <= niceMax; value += step)
        {
            var y = bottom - (bottom - top) * (double)value / niceMax;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{left}" y1="{F(y)}" x2="{rightEdge}" y2="{F(y)}" stroke="#e0e0e0"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{rightEdge + 4}" y="{F(y + 4)}" text-anchor="start" font-size="10" fill="#5f6368">{OpenDataModel.Digits(value)}</text>""");
        }
        var n = lines.Points.Count;
        double X(int i) => n == 1 ? (left + rightEdge) / 2.0 : left + 10 + (rightEdge - left - 20) * (double)i / (n - 1);
        double Y(int v) => bottom - (bottom - top) * (double)v / niceMax;
        // Years run right to left like the text around them: the earliest year is on the right.
        double Xr(int i) => left + rightEdge - X(i);
        for (var i = 0; i < n; i++)
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(Xr(i))}" y="{bottom + 18}" text-anchor="middle" font-size="11" fill="#1f1f1f">{Escape(lines.PointLabelsFa[i])}</text>""");
        if (n == 1)
        {
            // A single year has no line to draw: one bar per series instead of lone dots.
            SingleYearBars(svg, lines, left, rightEdge, bottom, Y);
            return Close(svg);
        }
        for (var s = 0; s < lines.Series.Count; s++)
        {
            var series = lines.Series[s];
            var color = Palette[s % Palette.Length];
            var path = new StringBuilder();
            var pen = false;
            for (var i = 0; i < n; i++)
            {
                if (series.Values[i] is { } v)
                {
                    path.Append(CultureInfo.InvariantCulture, $"{(pen ? "L" : "M")}{F(Xr(i))} {F(Y(v))} ");
                    pen = true;
                }
                else pen = false;
            }
            if (path.Length > 0)
                svg.Append(CultureInfo.InvariantCulture, $"""<path d="{path.ToString().Trim()}" fill="none" stroke="{color}" stroke-width="2.5" stroke-linejoin="round"/>""");
            for (var i = 0; i < n; i++)
            {
                if (series.Values[i] is { } v)
                    svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(Xr(i))}" cy="{F(Y(v))}" r="3.5" fill="{color}"><title>{Escape(series.LabelEn)} {Escape(lines.Points[i])}: {v}</title></circle>""");
                else
                    svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(Xr(i))}" cy="{bottom}" r="3.5" fill="#fff" stroke="{color}" class="withheld"><title>{Escape(series.LabelEn)} {Escape(lines.Points[i])}: &lt;5</title></circle>""");
            }
        }
        return Close(svg);
    }

    /// <summary>The series side by side, the first on the right (where a right-to-left reader starts); withheld: an open marker.</summary>
    private static void SingleYearBars(StringBuilder svg, ChartLines lines, int left, int rightEdge, int bottom, Func<int, double> y)
    {
        var count = lines.Series.Count;
        var slot = (rightEdge - left - 20) / (double)count;
        var width = Math.Min(40, slot * 0.7);
        for (var s = 0; s < count; s++)
        {
            var series = lines.Series[s];
            var color = Palette[s % Palette.Length];
            var centre = rightEdge - 10 - slot * (s + 0.5);
            if (series.Values[0] is { } v)
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{F(centre - width / 2)}" y="{F(y(v))}" width="{F(width)}" height="{F(Math.Max(bottom - y(v), 1))}" rx="2" fill="{color}"><title>{Escape(series.LabelEn)} {Escape(lines.Points[0])}: {v}</title></rect>""");
            else
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{F(centre)}" cy="{bottom}" r="3.5" fill="#fff" stroke="{color}" class="withheld"><title>{Escape(series.LabelEn)} {Escape(lines.Points[0])}: &lt;5</title></circle>""");
        }
    }

    private static StringBuilder Open(int height, string title) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"""<svg viewBox="0 0 {Width} {height}" width="100%" role="img" aria-label="{Escape(title)}" direction="ltr" font-family="Vazirmatn, 'Noto Naskh Arabic', 'Noto Sans Arabic', Tahoma, sans-serif"><title>{Escape(title)}</title>""");

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    /// <summary>The smallest whole 1, 2 or 5 × 10^k at least <paramref name="raw"/>.</summary>
    private static int NiceStep(double raw)
    {
        if (raw <= 1) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var m in new[] { 1, 2, 5, 10 })
            if (m * magnitude >= raw) return (int)(m * magnitude);
        return (int)Math.Ceiling(raw);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
