using System.Text.RegularExpressions;
using QRCoder;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>The verification QR code as inline vector SVG (error correction M, 4-module quiet zone).</summary>
public static partial class CertificateQr
{
    public static string Svg(string payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(payload);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        using var code = new SvgQRCode(data);
        var svg = code.GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        // Inline SVG in HTML needs no namespace declarations; dropping them keeps the page free of any URL but the payload.
        return Namespaces().Replace(svg, "");
    }

    [GeneratedRegex("""\s+xmlns(:\w+)?="[^"]*"|<\?xml[^>]*\?>""")]
    private static partial Regex Namespaces();
}
