using System.Globalization;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Account.Passwords;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MedNetPortal.UnitTests.Web.Features.Account;

public sealed class PortalPasswordValidatorTests
{
    private static readonly IStringLocalizer<SharedResource> L = new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private static PortalUser User(string email = "hanako.sato@hospital.example") => new()
    {
        Email = email,
        UserName = email,
        FacilityCode = DemoFacilities.Hospital.Code,
        FacilityName = DemoFacilities.Hospital.Name,
    };

    [Fact]
    public void The_shipped_list_holds_the_ten_thousand_common_passwords()
    {
        Assert.InRange(PortalPasswordValidator.CommonCount, 9_900, 10_000);
        Assert.True(PortalPasswordValidator.IsCommon("password"));
        Assert.True(PortalPasswordValidator.IsCommon("QWERTY"));
    }

    [Theory]
    [InlineData("qwertyuiop123")] // a listed one ("qwertyuiop") padded with digits
    [InlineData("password123456")]
    [InlineData("Unbelievable")] // listed as a whole, 12 characters
    [InlineData("!!Password2026!!")]
    [InlineData("1234567890qwerty")] // digits in front of a listed one
    [InlineData("iloveyou!!!!!!")]
    public void Common_passwords_are_refused_even_when_padded(string password)
    {
        Assert.Contains(PasswordProblems.Common, PortalPasswordValidator.Check(User(), password));
    }

    [Theory]
    [InlineData("short-pw")]
    [InlineData("elevenchars")]
    public void Passwords_under_twelve_characters_are_refused(string password)
    {
        Assert.Contains(PasswordProblems.TooShort, PortalPasswordValidator.Check(User(), password));
    }

    [Fact]
    public void Length_counts_characters_as_seen_and_allows_long_passphrases()
    {
        // 12 Japanese characters are 12, whatever their UTF-16 or UTF-8 size; 64+ is allowed, beyond 128 is not.
        Assert.Empty(PortalPasswordValidator.Check(User(), "春はあけぼのやうやう白く"));
        Assert.Empty(PortalPasswordValidator.Check(User(), string.Concat(Enumerable.Repeat("correct horse battery staple ", 4))));
        Assert.Contains(PasswordProblems.TooLong, PortalPasswordValidator.Check(User(), new string('x', 129) + "Z"));
    }

    [Theory]
    [InlineData("Hanako.Sato-2026!")] // the email's local part, any case
    [InlineData("xx-hanako.sato-xx")]
    public void Passwords_containing_the_email_local_part_are_refused(string password)
    {
        Assert.Contains(PasswordProblems.ContainsEmail, PortalPasswordValidator.Check(User(), password));
    }

    [Fact]
    public void Passwords_containing_the_facility_name_or_code_are_refused()
    {
        Assert.Contains(PasswordProblems.ContainsFacility, PortalPasswordValidator.Check(User(), DemoFacilities.Hospital.Name + "2026!!"));
        Assert.Contains(PasswordProblems.ContainsFacility, PortalPasswordValidator.Check(User(), "code-" + DemoFacilities.Hospital.Code));
    }

    [Fact]
    public void No_composition_rules_and_the_demo_and_test_passwords_pass()
    {
        Assert.Empty(PortalPasswordValidator.Check(User(), DemoOptions.DefaultPassword));
        Assert.Equal("MedNet-Demo-2026!", DemoOptions.DefaultPassword);
        Assert.Empty(PortalPasswordValidator.Check(User("doctor@hospital.example"), DemoOptions.DefaultPassword));
        Assert.Empty(PortalPasswordValidator.Check(User(), "lowercase only words here"));
        Assert.Empty(PortalPasswordValidator.Check(User("tfa@test.example"), "Test-Passw0rd!"));
    }

    [Fact]
    public async Task Identity_errors_carry_the_codes_and_localised_messages()
    {
        var validator = new PortalPasswordValidator(L);
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ja-JP");
            var ja = await validator.ValidateAsync(null!, User(), "password");
            Assert.False(ja.Succeeded);
            Assert.Equal([PasswordProblems.TooShort, PasswordProblems.Common], ja.Errors.Select(e => e.Code));
            Assert.Equal("パスワードは12文字以上にしてください。", ja.Errors.First().Description);

            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            var en = await validator.ValidateAsync(null!, User(), "password");
            Assert.Equal("Use at least 12 characters.", en.Errors.First().Description);

            Assert.True((await validator.ValidateAsync(null!, User(), DemoOptions.DefaultPassword)).Succeeded);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
