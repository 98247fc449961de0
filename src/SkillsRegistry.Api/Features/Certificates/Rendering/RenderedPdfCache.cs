using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace SkillsRegistry.Api.Features.Certificates.Rendering;

/// <summary>
/// Rendered certificates by (id, status, template version), bounded by total bytes. A status change (revocation,
/// supersession by a correction) or a new template simply misses; <see cref="Invalidate"/> drops every entry of one
/// certificate. Entries also expire after a day so a renamed center or standard title reaches the print eventually.
/// </summary>
public sealed class RenderedPdfCache : IDisposable
{
    private static readonly PrintedStatus[] Statuses = Enum.GetValues<PrintedStatus>();
    private readonly MemoryCache _cache;

    private sealed record Key(Guid CertificateId, PrintedStatus Status, int TemplateVersion);

    public RenderedPdfCache(IOptions<PdfOptions> options) =>
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.CacheBytes) });

    public bool TryGet(Guid certificateId, PrintedStatus status, out byte[] pdf)
    {
        if (_cache.TryGetValue(KeyOf(certificateId, status), out var value) && value is byte[] bytes)
        {
            pdf = bytes;
            return true;
        }

        pdf = [];
        return false;
    }

    public void Set(Guid certificateId, PrintedStatus status, byte[] pdf) =>
        _cache.Set(KeyOf(certificateId, status), pdf, new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, pdf.LongLength),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(1),
            SlidingExpiration = TimeSpan.FromHours(2),
        });

    /// <summary>Forgets the certificate's PDFs in every status (call after any change to what it prints).</summary>
    public void Invalidate(Guid certificateId)
    {
        foreach (var status in Statuses) _cache.Remove(KeyOf(certificateId, status));
    }

    private static Key KeyOf(Guid certificateId, PrintedStatus status) => new(certificateId, status, CertificateDocument.TemplateVersion);

    public void Dispose() => _cache.Dispose();
}
