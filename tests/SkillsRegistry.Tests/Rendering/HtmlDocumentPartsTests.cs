using SkillsRegistry.Api.Features.Certificates.Rendering;

namespace SkillsRegistry.Tests.Rendering;

public sealed class HtmlDocumentPartsTests
{
    [Fact]
    public async Task Two_certificates_share_their_shell_and_differ_in_title_and_body()
    {
        await using var html = CertificateSamples.Html();
        var valid = HtmlDocumentParts.Split(await html.RenderAsync(CertificateSamples.Document()));
        var revoked = HtmlDocumentParts.Split(await html.RenderAsync(CertificateDocument.Compose(
            CertificateSamples.Facts(PrintedStatus.Revoked) with { Number = "1405-IQ-0000456-T" })));

        Assert.NotNull(valid);
        Assert.NotNull(revoked);
        Assert.Equal(valid.Value.Shell, revoked.Value.Shell);
        Assert.Contains("<style>", valid.Value.Shell, StringComparison.Ordinal);
        Assert.DoesNotContain("1405-10-0000123-K", valid.Value.Shell, StringComparison.Ordinal);
        Assert.EndsWith("1405-IQ-0000456-T", revoked.Value.Title, StringComparison.Ordinal);
        Assert.Contains("watermark", revoked.Value.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("watermark", valid.Value.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_title_is_the_text_a_reader_sees_not_its_markup()
    {
        var parts = HtmlDocumentParts.Split("<html><head><title>A &amp; B &lt;C&gt;</title></head><body><p>x</p></body></html>");

        Assert.Equal("A & B <C>", parts?.Title);
        Assert.Equal("<p>x</p>", parts?.Body);
        Assert.Equal("<html><head><title></title></head><body></body></html>", parts?.Shell);
    }

    [Theory]
    [InlineData("<html><head><title>t</title></head><body><script>document.title = 'x'</script></body></html>")]
    [InlineData("<html><head><title>t</title></head><body><img src=\"https://example.org/seal.png\"></body></html>")]
    [InlineData("<html><head><title>t</title></head><body><div style=\"background: url(seal.png)\"></div></body></html>")]
    [InlineData("<html><head></head><body><p>no title</p></body></html>")]
    [InlineData("<html><head><title>t</title></head><p>no body</p></html>")]
    public void A_document_whose_body_would_not_behave_the_same_set_in_place_is_not_split(string document) =>
        Assert.Null(HtmlDocumentParts.Split(document));
}
