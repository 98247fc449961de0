using System.Net;
using SkillsRegistry.Api.Features.Holders;

namespace SkillsRegistry.Tests.Holders;

public sealed class HolderSecretsTests
{
    [Fact]
    public void A_code_is_read_the_way_people_type_it_and_nothing_else_is_a_code()
    {
        var code = HolderSecrets.NewCode();
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", code);
        Assert.Equal("01234ABCD1EF", HolderSecrets.NormalizeCode("oI23 4abc-dLef"));
        Assert.Null(HolderSecrets.NormalizeCode("0123-4ABC-DEF"));       // too short
        Assert.Null(HolderSecrets.NormalizeCode("0123-4ABC-DEFG-H"));    // too long
        Assert.Null(HolderSecrets.NormalizeCode("0123-4ABC-DEFU"));      // U is not in Crockford's alphabet
        Assert.Null(HolderSecrets.NormalizeCode("0123-4ABC-DE'F"));
    }

    [Theory]
    [InlineData("5.160.23.41", "5.160.0.0/16")]
    [InlineData("::ffff:5.160.23.41", "5.160.0.0/16")]
    [InlineData("2a01:5ec0:1234:5678::9", "2a01:5ec0::/32")]
    public void A_viewer_is_recorded_by_network_never_by_address(string address, string origin) =>
        Assert.Equal(origin, HolderShares.OriginOf(IPAddress.Parse(address)));

    [Fact]
    public void Tokens_are_recognised_by_form_before_any_lookup()
    {
        Assert.True(HolderSecrets.LooksLikeSessionToken(HolderSecrets.NewSessionToken()));
        Assert.False(HolderSecrets.LooksLikeSessionToken("srh_" + new string('A', 42) + "="));
        Assert.True(HolderSecrets.LooksLikeShareToken(HolderSecrets.NewShareToken()));
        Assert.False(HolderSecrets.LooksLikeShareToken("../../etc/passwd"));
    }
}
