namespace SkillsRegistry.Api.Features.Certificates.Status;

/// <summary>
/// Maps the n-th position handed out in a status list to its bit index with a keyed permutation of [0, 2^17), so that
/// indexes look random (the Bitstring Status List spec recommends it: consecutive certificates must not sit in neighbouring,
/// guessable bits) while allocation stays a simple counter that never collides. Each step (xor with key bits, multiply by
/// an odd constant mod 2^17, xor-shift right) is a bijection, so the composition is one too. The key is random per list.
/// </summary>
public static class StatusIndexPermutation
{
    public const int Bits = 17;
    public const int Size = 1 << Bits; // 131072 bits = 16 KiB, the spec's minimum size for group privacy
    private const uint Mask = Size - 1;

    public static int Apply(int position, long key)
    {
        if (position is < 0 or >= Size) throw new ArgumentOutOfRangeException(nameof(position), position, $"A status list has {Size} positions.");
        var k = (ulong)key;
        var x = (uint)position;
        x = (x ^ (uint)k) & Mask;
        x = (x * 0x1A5B5u) & Mask;
        x ^= x >> 9;
        x = (x + (uint)(k >> 17)) & Mask;
        x = (x * 0x0C2B3u) & Mask;
        x ^= x >> 8;
        x = (x ^ (uint)(k >> 34)) & Mask;
        x = (x * 0x15A6Du) & Mask;
        x ^= x >> 7;
        return (int)x;
    }
}
