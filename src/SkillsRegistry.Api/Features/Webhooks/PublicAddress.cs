using System.Net;
using System.Net.Sockets;

namespace SkillsRegistry.Api.Features.Webhooks;

/// <summary>
/// Whether an address is public unicast on the internet, i.e. a place a webhook may be sent. Everything else is refused:
/// loopback, private (RFC 1918), shared/CGNAT (100.64/10), link-local (169.254/16 — the cloud metadata address
/// 169.254.169.254 — and fe80::/10), unique-local (fc00::/7, which holds fd00:ec2::254), multicast, unspecified,
/// broadcast, documentation, benchmarking and reserved ranges, and IPv4 addresses wrapped in IPv6
/// (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) unless the IPv4 address inside is public.
/// </summary>
public static class PublicAddress
{
    private static readonly (byte[] Prefix, int Bits)[] NonPublicV4 =
    [
        ([0, 0, 0, 0], 8),          // "this network", 0.0.0.0
        ([10, 0, 0, 0], 8),         // private
        ([100, 64, 0, 0], 10),      // shared address space (CGNAT); 100.100.100.200 is a cloud metadata address
        ([127, 0, 0, 0], 8),        // loopback
        ([169, 254, 0, 0], 16),     // link-local, cloud metadata 169.254.169.254
        ([172, 16, 0, 0], 12),      // private
        ([192, 0, 0, 0], 24),       // IETF protocol assignments
        ([192, 0, 2, 0], 24),       // documentation
        ([192, 88, 99, 0], 24),     // 6to4 relay anycast
        ([192, 168, 0, 0], 16),     // private
        ([198, 18, 0, 0], 15),      // benchmarking
        ([198, 51, 100, 0], 24),    // documentation
        ([203, 0, 113, 0], 24),     // documentation
        ([224, 0, 0, 0], 4),        // multicast
        ([240, 0, 0, 0], 4),        // reserved, and 255.255.255.255 broadcast
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsPublicV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;

        var b = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6) return IsPublicV4(b[12..16]);                       // ::ffff:a.b.c.d
        if (StartsWith(b, [0x00, 0x64, 0xff, 0x9b], 96)) return IsPublicV4(b[12..16]);      // 64:ff9b::/96 NAT64
        if (StartsWith(b, [0x20, 0x02], 16)) return IsPublicV4(b[2..6]);                    // 2002::/16 6to4
        if (StartsWith(b, [0x20, 0x01, 0x00, 0x00], 32)) return false;                      // 2001::/32 Teredo (tunnels to anywhere)
        if (StartsWith(b, [0x20, 0x01, 0x0d, 0xb8], 32)) return false;                      // 2001:db8::/32 documentation
        if (StartsWith(b, [0x20, 0x01, 0x00, 0x10], 28)) return false;                      // 2001:10::/28 ORCHID
        if (StartsWith(b, [0x20, 0x01, 0x00, 0x02], 48)) return false;                      // 2001:2::/48 benchmarking
        // Global unicast is 2000::/3; everything else (::, ::1, ::a.b.c.d, 100::/64, fc00::/7, fe80::/10, fec0::/10, ff00::/8) is not.
        return (b[0] & 0xe0) == 0x20;
    }

    private static bool IsPublicV4(byte[] b) => !NonPublicV4.Any(range => StartsWith(b, range.Prefix, range.Bits));

    private static bool StartsWith(byte[] address, byte[] prefix, int bits)
    {
        for (var i = 0; i < bits; i += 8)
        {
            var remaining = Math.Min(8, bits - i);
            var mask = (byte)(0xff << (8 - remaining));
            var index = i / 8;
            var want = index < prefix.Length ? prefix[index] : (byte)0;
            if ((address[index] & mask) != (want & mask)) return false;
        }
        return true;
    }
}
