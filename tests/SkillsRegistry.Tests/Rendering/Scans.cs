namespace SkillsRegistry.Tests.Rendering;

/// <summary>How a phone meets a printed certificate: a coarse grayscale rendering, or a blurred, noisy, thresholded photocopy.</summary>
public static class Scans
{
    /// <summary>pdftoppm -r 100 -gray, then zbarimg; the decoded text (empty when nothing decodes).</summary>
    public static async Task<string> At100DpiGrayAsync(string pdfPath, string directory)
    {
        var prefix = Path.Combine(directory, "gray100-" + Guid.NewGuid().ToString("N"));
        await Tool.RunAsync("pdftoppm", "-png", "-r", "100", "-gray", "-singlefile", pdfPath, prefix);
        return await DecodeAsync(prefix + ".png");
    }

    /// <summary>A 150 dpi rendering blurred, with Gaussian noise and thresholded to black and white, like a photocopy.</summary>
    public static async Task<string> FromPhotocopyAsync(string pdfPath, string directory)
    {
        var prefix = Path.Combine(directory, "copy150-" + Guid.NewGuid().ToString("N"));
        await Tool.RunAsync("pdftoppm", "-png", "-r", "150", "-singlefile", pdfPath, prefix);
        await Tool.RunAsync("convert", prefix + ".png", "-blur", "0x1", "-attenuate", "0.6", "+noise", "Gaussian", "-threshold", "55%", prefix + "-copy.png");
        return await DecodeAsync(prefix + "-copy.png");
    }

    private static async Task<string> DecodeAsync(string png)
    {
        try { return (await Tool.RunAsync("zbarimg", "--raw", "-q", png)).TrimEnd('\n'); }
        catch (Xunit.Sdk.XunitException) { return ""; } // zbarimg exits 4 when it finds no code
    }
}
