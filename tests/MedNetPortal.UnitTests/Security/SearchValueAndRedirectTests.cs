using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin;
using MedNetPortal.Web.Features.Audit;

namespace MedNetPortal.UnitTests.Security;

/// <summary>Issue 11, items 2, 4, 7 and 9: the small rules under the security controls.</summary>
public sealed class SearchValueAndRedirectTests
{
    [Theory]
    [InlineData("A,B", "A\\,B")]
    [InlineData("a|b", "a\\|b")]
    [InlineData("$x", "\\$x")]
    [InlineData("c:\\d", "c:\\\\d")]
    [InlineData("plain-1.2", "plain-1.2")]
    [InlineData("紹介,状", "紹介\\,状")]
    public void Search_values_are_escaped_so_a_value_is_never_syntax(string value, string escaped) =>
        Assert.Equal(escaped, FhirSearchValue.Escape(value));

    [Theory]
    [InlineData("abc-123.X", true)]
    [InlineData("A,B", false)]
    [InlineData("a|b", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("患者", false)]
    [InlineData("a b", false)]
    public void Ids_follow_the_FHIR_id_rule(string? id, bool valid)
    {
        Assert.Equal(valid, FhirSearchValue.IsValidId(id));
        if (!valid)
        {
            Assert.Throws<ArgumentException>(() => FhirSearchValue.Reference("Patient", id!));
        }
    }

    [Fact]
    public void A_token_escapes_both_parts_and_only_the_join_is_an_OR()
    {
        Assert.Equal("s|a\\,b", FhirSearchValue.Token("s", "a,b"));
        Assert.Equal("s|1,s|2\\,3", FhirSearchValue.AnyToken("s", ["1", "2,3", "1"]));
    }

    [Fact]
    public void The_insurance_identifier_search_uses_the_same_builder()
    {
        var id = InsuranceMemberId.Parse("01137116", "A12", "3456789", null).Value!;

        Assert.Equal(FhirSearchValue.AnyToken(InsuranceMemberId.System, id.EquivalentValues), id.SearchParameterValue);
    }

    [Theory]
    [InlineData("/patients/患者", "/patients/%E6%82%A3%E8%80%85")]
    [InlineData("/a b", "/a%20b")]
    [InlineData("/ok?x=1", "/ok?x=1")]
    [InlineData("/😀", "/%F0%9F%98%80")]
    [InlineData("//evil.example", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData(null, "/")]
    public void A_return_url_becomes_a_local_ASCII_redirect(string? url, string expected) =>
        Assert.Equal(expected, AccountExtensions.LocalOrHome(url));

    [Fact]
    public void One_admin_policy_reaches_none_own_or_all()
    {
        var clinician = new CurrentUser("c", "c", "1310123455", "A", [PortalRoles.Clinician]);
        var facilityAdmin = new CurrentUser("f", "f", "1310123455", "A", [PortalRoles.FacilityAdmin]);
        var adminWithoutFacility = new CurrentUser("g", "g", null, null, [PortalRoles.FacilityAdmin]);
        var system = new CurrentUser("s", "s", null, null, [PortalRoles.SystemAdmin]);

        Assert.Equal(AdminReach.None, AdminPolicy.For(null).Reach);
        Assert.Equal(AdminReach.None, AdminPolicy.For(clinician).Reach);
        Assert.Equal(AdminReach.None, AdminPolicy.For(adminWithoutFacility).Reach);
        Assert.Equal(AdminReach.OwnFacility, AdminPolicy.For(facilityAdmin).Reach);
        Assert.True(AdminPolicy.For(facilityAdmin).Covers("1310123455"));
        Assert.False(AdminPolicy.For(facilityAdmin).Covers("1310267898"));
        Assert.False(AdminPolicy.For(facilityAdmin).Covers(null));
        Assert.True(AdminPolicy.For(system).Covers("1310267898"));
        Assert.Null((clinician with { Roles = [PortalRoles.FacilityAdmin] }).ClinicalFacility);
        Assert.Equal("1310123455", clinician.ClinicalFacility);
    }

    [Theory]
    [InlineData(400, true)]
    [InlineData(409, true)]
    [InlineData(412, true)]
    [InlineData(422, true)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(408, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void Only_a_refusal_of_the_entry_itself_sets_it_aside(int status, bool setAside) =>
        Assert.Equal(setAside, AuditForwarder.IsRefusalOfEntry((System.Net.HttpStatusCode)status));
}
