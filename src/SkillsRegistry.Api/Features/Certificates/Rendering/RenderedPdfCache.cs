using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>
/// The last rendered PDF of each certificate, kept with the exact <see cref="CertificateFacts"/> it was printed from and
/// bounded by total bytes. A hit needs the facts read for this request to equal those facts, value for value: a
/// revocation or supersession (status), a corrected name, a renamed center or standard title, a re-signed QR token —
/// anything that changes the print — misses and is rendered again, so a stale PDF is never served, whichever path made
/// the change and without relying on anyone to invalidate. <see cref="Invalidate"/> only frees memory early.
/// </summary>
public sealed class RenderedPdfCache : IDisposable
{
    private readonly MemoryCache _cache;

    private sealed record Entry(CertificateFacts Facts, byte[] Pdf);

    public RenderedPdfCache(IOptions<PdfOptions> options) =>
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.CacheBytes) });

    public bool TryGet(Guid certificateId, CertificateFacts facts, out byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (_cache.TryGetValue(certificateId, out var value) && value is Entry entry && entry.Facts == facts)
        {
            pdf = entry.Pdf;
            return true;
        }

        pdf = [];
        return false;
    }

    /// <summary>Keeps <paramref name="pdf"/> as the certificate's print of <paramref name="facts"/>, replacing any earlier one.</summary>
    public void Set(Guid certificateId, CertificateFacts facts, byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(pdf);
        _cache.Set(certificateId, new Entry(facts, pdf), new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, pdf.LongLength),
            SlidingExpiration = TimeSpan.FromHours(2),
        });
    }

    /// <summary>Forgets the certificate's PDF (memory only: a changed certificate already misses).</summary>
    public void Invalidate(Guid certificateId) => _cache.Remove(certificateId);

    public void Dispose() => _cache.Dispose();
}
