using Microsoft.Extensions.Options;
using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

public sealed class RenderedPdfCacheTests
{
    private static RenderedPdfCache Cache() => new(Options.Create(new PdfOptions { CacheBytes = 1024 }));

    [Fact]
    public void The_pdf_is_served_again_only_for_equal_facts_of_the_same_certificate()
    {
        using var cache = Cache();
        var id = Guid.CreateVersion7();
        cache.Set(id, CertificateSamples.Facts(), [1, 2, 3]);

        // Equal values read again for the next request (a new object, as the endpoint composes it per request) hit.
        Assert.True(cache.TryGet(id, CertificateSamples.Facts(), out var again));
        Assert.Equal([1, 2, 3], again);
        Assert.False(cache.TryGet(Guid.CreateVersion7(), CertificateSamples.Facts(), out _));
    }

    [Fact]
    public void Anything_that_changes_the_print_misses_revocation_supersession_a_corrected_name_a_renamed_center_a_new_token()
    {
        using var cache = Cache();
        var id = Guid.CreateVersion7();
        var facts = CertificateSamples.Facts();
        cache.Set(id, facts, [1]);

        Assert.False(cache.TryGet(id, facts with { Status = PrintedStatus.Revoked }, out _));
        Assert.False(cache.TryGet(id, facts with { Status = PrintedStatus.Superseded }, out _));
        Assert.False(cache.TryGet(id, facts with { Status = PrintedStatus.Expired }, out _));
        Assert.False(cache.TryGet(id, facts with { FamilyNameLatin = "Karimi-Nejad" }, out _));
        Assert.False(cache.TryGet(id, facts with { CenterNameEn = "Kashan Vocational Center No. 2" }, out _));
        Assert.False(cache.TryGet(id, facts with { QrPayload = facts.QrPayload + "x" }, out _));
        Assert.True(cache.TryGet(id, facts, out _));
    }

    [Fact]
    public void A_new_print_replaces_the_old_one_and_invalidate_forgets_that_certificate_only()
    {
        using var cache = Cache();
        var id = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        var revoked = CertificateSamples.Facts(PrintedStatus.Revoked);
        cache.Set(id, CertificateSamples.Facts(), [1]);
        cache.Set(id, revoked, [2]);
        cache.Set(other, CertificateSamples.Facts(), [3]);

        Assert.False(cache.TryGet(id, CertificateSamples.Facts(), out _));
        Assert.True(cache.TryGet(id, revoked, out var pdf));
        Assert.Equal([2], pdf);

        cache.Invalidate(id);

        Assert.False(cache.TryGet(id, revoked, out _));
        Assert.True(cache.TryGet(other, CertificateSamples.Facts(), out _));
    }

    [Fact]
    public void A_pdf_larger_than_the_whole_cache_is_not_kept()
    {
        using var cache = Cache();
        var id = Guid.CreateVersion7();

        cache.Set(id, CertificateSamples.Facts(), new byte[2048]);

        Assert.False(cache.TryGet(id, CertificateSamples.Facts(), out _));
    }
}
