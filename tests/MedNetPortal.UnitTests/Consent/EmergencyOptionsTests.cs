using System.ComponentModel.DataAnnotations;
using MedNetPortal.Web.Features.Emergency;

namespace MedNetPortal.UnitTests.Consent;

public sealed class EmergencyOptionsTests
{
    [Theory]
    [InlineData("04:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("00:00:30", false)]
    [InlineData("1.00:00:01", false)]
    public void Duration_is_one_minute_to_one_day(string value, bool valid)
    {
        var options = new EmergencyOptions { Duration = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }
}
