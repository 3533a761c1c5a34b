using Bunit.TestDoubles;
using MedNetPortal.Web.Features.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Account;

public sealed class RedirectToLoginTests : PortalTestContext
{
    [Fact]
    public void A_circuit_whose_session_ended_loads_the_sign_in_page_returning_here()
    {
        var navigation = (BunitNavigationManager)Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/patients/abc");

        Render<RedirectToLogin>();

        var last = navigation.History.First();
        Assert.Equal("/account/login?ReturnUrl=%2Fpatients%2Fabc", last.Uri);
        Assert.True(last.Options.ForceLoad);
    }
}
