using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

public sealed class RenderedPdfCacheTests
{
    private static RenderedPdfCache Cache() => new(Options.Create(new PdfOptions { CacheBytes = 1024 }));

    [Fact]
    public void A_status_change_misses_the_pdf_cached_for_the_old_status()
    {
        using var cache = Cache();
        var id = Guid.CreateVersion7();
        cache.Set(id, PrintedStatus.Valid, [1, 2, 3]);

        Assert.True(cache.TryGet(id, PrintedStatus.Valid, out var valid));
        Assert.Equal([1, 2, 3], valid);
        Assert.False(cache.TryGet(id, PrintedStatus.Revoked, out _));
        Assert.False(cache.TryGet(Guid.CreateVersion7(), PrintedStatus.Valid, out _));
    }

    [Fact]
    public void Invalidate_forgets_every_status_of_that_certificate_only()
    {
        using var cache = Cache();
        var id = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        cache.Set(id, PrintedStatus.Valid, [1]);
        cache.Set(id, PrintedStatus.Superseded, [2]);
        cache.Set(other, PrintedStatus.Valid, [3]);

        cache.Invalidate(id);

        Assert.False(cache.TryGet(id, PrintedStatus.Valid, out _));
        Assert.False(cache.TryGet(id, PrintedStatus.Superseded, out _));
        Assert.True(cache.TryGet(other, PrintedStatus.Valid, out _));
    }

    [Fact]
    public void A_pdf_larger_than_the_whole_cache_is_not_kept()
    {
        using var cache = Cache();
        var id = Guid.CreateVersion7();

        cache.Set(id, PrintedStatus.Valid, new byte[2048]);

        Assert.False(cache.TryGet(id, PrintedStatus.Valid, out _));
    }
}
