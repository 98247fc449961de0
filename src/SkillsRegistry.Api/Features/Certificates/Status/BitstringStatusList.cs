using System.IO.Compression;
using SkillsRegistry.Api.Features.Certificates.Signing;

namespace SkillsRegistry.Api.Features.Certificates.Status;

/// <summary>The encodedList of a W3C Bitstring Status List: multibase base64url ("u") of the GZIP-compressed bitstring.</summary>
public static class BitstringStatusList
{
    /// <summary>Bit i is set for every index in <paramref name="setIndexes"/>; bit 0 is the most significant bit of byte 0.</summary>
    public static string Encode(int size, IEnumerable<int> setIndexes)
    {
        var bits = new byte[(size + 7) / 8];
        foreach (var i in setIndexes) bits[i / 8] |= (byte)(0x80 >> (i % 8));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(bits);
        return "u" + Base64Url.Encode(compressed.ToArray());
    }

    /// <summary>The bitstring of an encodedList; null when it is not multibase base64url of GZIP data.</summary>
    public static byte[]? Decode(string encodedList)
    {
        if (!encodedList.StartsWith('u') || !Base64Url.TryDecode(encodedList[1..], out var compressed)) return null;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var bits = new MemoryStream();
            gzip.CopyTo(bits);
            return bits.ToArray();
        }
        catch (InvalidDataException) { return null; }
    }

    public static bool IsSet(byte[] bits, int index) => (bits[index / 8] & (0x80 >> (index % 8))) != 0;
}
