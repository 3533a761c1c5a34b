using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Home;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Home;

/// <summary>
/// The real portal whose central base cannot be reached: the unread-letters tile fails with the client's reason (which the
/// page turns into what failed and what to do), while the drafts and recent-patients tiles, which never ask the base, answer.
/// </summary>
public sealed class HomeWithoutBaseTests() : IAsyncLifetime
{
    private readonly PortalFactory factory = new(new Dictionary<string, string?>
    {
        // Nothing listens on port 9; without a client id the portal asks for no token, so the search itself fails.
        ["CentralFhir:BaseUrl"] = "http://127.0.0.1:9/fhir/",
        ["CentralFhir:ClientId"] = "",
    });

    public Task InitializeAsync()
    {
        _ = factory.RootUri;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task The_letters_tile_fails_and_the_drafts_and_recent_patients_tiles_still_answer()
    {
        var email = $"home-{Guid.NewGuid():N}@test.example";
        var id = await TestAccounts.CreateAsync(factory.Services, email);
        var user = new CurrentUser(id, "試験 太郎", DemoFacilities.Hospital.Code, DemoFacilities.Hospital.Name, [PortalRoles.Clinician])
        {
            SessionId = "session-" + Guid.NewGuid().ToString("N"),
        };
        await using var scope = SignedInScope.Create(factory.Services, user);
        var form = new ReferralForm();
        form.Patient.NameKanji = "下書 太郎";
        Assert.Equal(DraftCreateOutcome.Created, (await scope.ServiceProvider.GetRequiredService<ReferralDraftService>().CreateAsync(form, CancellationToken.None)).Outcome);
        var home = scope.ServiceProvider.GetRequiredService<IHomeService>();

        var failure = await Assert.ThrowsAsync<FhirApiException>(() => home.GetUnreadLettersAsync(CancellationToken.None));
        var drafts = await home.GetMyDraftsAsync(CancellationToken.None);
        var recent = await home.GetRecentPatientsAsync(CancellationToken.None);

        Assert.Contains(failure.Reason, new[] { FhirApiErrorReason.Unreachable, FhirApiErrorReason.CircuitOpen });
        Assert.Equal("下書 太郎", Assert.Single(drafts!.Newest).PatientName);
        Assert.NotNull(recent);
        Assert.Empty(recent);
    }
}
