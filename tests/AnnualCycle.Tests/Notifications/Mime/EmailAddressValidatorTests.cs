using AnnualCycle.Notifications.Mime;

namespace AnnualCycle.Tests.Notifications.Mime;

public class EmailAddressValidatorTests
{
    [Theory]
    [InlineData("anna.sekreterare@regionvasterbotten.se")]
    [InlineData("a+tag@sub.region.se")]
    [InlineData("förnamn@region.se")]
    public void IsValid_AcceptsPlainAddresses(string address) => Assert.True(EmailAddressValidator.IsValid(address), EmailAddressValidator.Validate(address));

    [Theory]
    [InlineData("")]
    [InlineData("anna")]
    [InlineData("anna@")]
    [InlineData("@region.se")]
    [InlineData("anna@region")]
    [InlineData("anna@@region.se")]
    [InlineData("anna@region..se")]
    [InlineData("Anna <anna@region.se>")]
    [InlineData("anna@region.se\r\nBcc: x@evil.example")]
    [InlineData("anna @region.se")]
    [InlineData("a,b@region.se")]
    [InlineData(".anna@region.se")]
    public void IsValid_RefusesWhatIsNotOnePlainAddress(string address) => Assert.False(EmailAddressValidator.IsValid(address));

    [Fact]
    public void EnsureValid_NamesTheField()
    {
        var ex = Assert.Throws<InvalidEmailHeaderException>(() => EmailAddressValidator.EnsureValid("nope", "Email"));
        Assert.Equal("Email", ex.Field);
        Assert.Contains("'nope'", ex.Message);
    }
}
