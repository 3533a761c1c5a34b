using System.Net;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.Admin;
using MedNetPortal.Web.Features.Account;

namespace MedNetPortal.IntegrationTests.Audit;

/// <summary>/admin/audit in the real app: administrators only.</summary>
public sealed class AuditPageAuthorizationTests(AdminPortalFactory factory) : IClassFixture<AdminPortalFactory>
{
    [Theory]
    [InlineData(null, "/account/login")]
    [InlineData(PortalRoles.Clinician, AccountExtensions.AccessDeniedPath)]
    [InlineData(PortalRoles.FacilityAdmin, null)]
    [InlineData(PortalRoles.SystemAdmin, null)]
    public async Task The_audit_page_opens_for_administrators_only(string? role, string? redirectedTo)
    {
        using var browser = role is null
            ? PortalBrowser.Open(factory)
            : await PortalBrowser.SignedInAsync(factory, (await factory.NewAccountAsync(role, role == PortalRoles.SystemAdmin ? null : AdminPortalFactory.A, "audit")).Email);

        using var response = await browser.Client.GetAsync(new Uri("/admin/audit", UriKind.Relative));

        if (redirectedTo is null)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("監査ログ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith(redirectedTo, PortalBrowser.LocationOf(response), StringComparison.Ordinal);
        }
    }
}
