using System.Text.RegularExpressions;
using QRCoder;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>
/// The verification QR code as inline vector SVG, error correction M (15%). The quiet zone is not drawn: the page prints it as
/// white padding around the code (see CertificatePage: 46 mm of modules in 3 mm of white), which keeps a full-length token
/// (400-character URL, version 15) at about 0.6 mm per module, readable from a 100 dpi scan and from a photocopy.
/// </summary>
public static partial class CertificateQr
{
    public static string Svg(string payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(payload);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        using var code = new SvgQRCode(data);
        var svg = code.GetGraphic(4, "#000000", "#ffffff", drawQuietZones: false, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        // Inline SVG in HTML needs no namespace declarations; dropping them keeps the page free of any URL but the payload.
        return Namespaces().Replace(svg, "");
    }

    [GeneratedRegex("""\s+xmlns(:\w+)?="[^"]*"|<\?xml[^>]*\?>""")]
    private static partial Regex Namespaces();
}
