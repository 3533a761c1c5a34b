using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Facilities;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.Tests.Shared;
using MedNetPortal.TestSupport;

namespace MedNetPortal.IntegrationTests.Admin;

/// <summary>The facility registry service in the real app (portal DB, embedded base with the demo facilities), as each role.</summary>
public sealed class FacilityAdminServiceIntegrationTests(FacilityAdminServiceIntegrationTests.DemoPortal portal)
    : IClassFixture<FacilityAdminServiceIntegrationTests.DemoPortal>
{
    private static readonly CurrentUser SystemAdmin = new("t-sys", "システム管理者", null, null, [PortalRoles.SystemAdmin]);
    private static readonly CurrentUser HospitalAdmin = new("t-hadmin", "病院管理者", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.FacilityAdmin]);
    private static readonly CurrentUser HospitalClinician = new("t-doc", "医師", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.Clinician]);
    private static readonly CurrentUser AdminWithoutFacility = new("t-fadmin", "施設なし", null, null, [PortalRoles.FacilityAdmin]);

    private static FacilityForm Form(string code, string name) => new()
    {
        Code = code, Name = name, NameKana = "てすとびょういん", PostalCode = "〒１００−０００１", Address = "東京都千代田区千代田1-1",
        Phone = "03-1234-5678", Departments = "01 内科\n11 整形外科", HasEhr = true, AcceptsElectronicLetters = true,
    };

    [Fact]
    public async Task A_SystemAdmin_creates_edits_deactivates_and_reactivates_and_the_base_Organization_follows_findable_by_the_directory()
    {
        await using var admin = portal.As(SystemAdmin);
        const string code = "1312345670";

        var created = await admin.Service.CreateAsync(Form(code, "テスト中央病院"), CancellationToken.None);
        var duplicate = await admin.Service.CreateAsync(Form(code, "二重登録"), CancellationToken.None);
        var invalid = await admin.Service.CreateAsync(Form("4812345670", "県番号違い"), CancellationToken.None);

        Assert.Equal(FacilityAdminOutcome.Ok, created.Outcome);
        Assert.False(created.Facility!.MirrorPending);
        Assert.Equal("テストビョウイン", created.Facility.NameKana);
        Assert.Equal("100-0001", created.Facility.PostalCode);
        Assert.Equal([new FacilityDepartment("01", "内科"), new FacilityDepartment("11", "整形外科")], created.Facility.Departments);
        Assert.Equal(FacilityAdminOutcome.Duplicate, duplicate.Outcome);
        Assert.Equal(FacilityAdminOutcome.Invalid, invalid.Outcome);
        Assert.Equal(FacilityAdminOutcome.NotFound, (await admin.Service.GetAsync("4812345670", CancellationToken.None)).Outcome);

        var organization = Assert.Single(await portal.OrganizationsAsync(code));
        Assert.Equal("テスト中央病院", organization.Name);
        Assert.Equal(["テストビョウイン"], organization.Alias);
        Assert.Equal("03-1234-5678", organization.Telecom.Single().Value);
        Assert.Equal("100-0001", organization.Address.Single().PostalCode);
        Assert.True(organization.Active);

        var edit = Form(code, "テスト中央病院（新館）");
        edit.Code = "9999999999"; // ignored: the code never changes
        var edited = await admin.Service.UpdateAsync(code, edit, CancellationToken.None);
        var found = await admin.Directory.SearchAsync("テスト中央病院", CancellationToken.None);
        var deactivated = await admin.Service.SetActiveAsync(code, false, CancellationToken.None);
        var afterDeactivate = Assert.Single(await portal.OrganizationsAsync(code));
        var byCode = await admin.Directory.SearchAsync(code, CancellationToken.None);
        var reactivated = await admin.Service.SetActiveAsync(code, true, CancellationToken.None);

        Assert.Equal(FacilityAdminOutcome.Ok, edited.Outcome);
        Assert.Equal(code, edited.Facility!.Code);
        var summary = Assert.Single(found.Facilities);
        Assert.Equal("テスト中央病院（新館）", summary.Name);
        Assert.Equal(code, summary.Code);
        Assert.True(summary.AcceptsElectronicLetters);
        Assert.Contains("整形外科", summary.Departments);
        Assert.False(deactivated.Facility!.Active);
        Assert.False(afterDeactivate.Active);
        Assert.False(Assert.Single(byCode.Facilities).AcceptsElectronicLetters); // inactive = not connected
        Assert.True(reactivated.Facility!.Active);
        Assert.True(Assert.Single(await portal.OrganizationsAsync(code)).Active);
    }

    [Fact]
    public async Task Editing_a_demo_facility_updates_its_existing_Organization_instead_of_adding_one()
    {
        await using var admin = portal.As(SystemAdmin);
        var before = Assert.Single(await portal.OrganizationsAsync(DemoFacilities.RegionalHospitalCode));
        var form = FacilityForm.From((await admin.Service.GetAsync(DemoFacilities.RegionalHospitalCode, CancellationToken.None)).Facility!);
        form.Phone = "045-555-0499";

        var saved = await admin.Service.UpdateAsync(DemoFacilities.RegionalHospitalCode, form, CancellationToken.None);

        Assert.Equal(FacilityAdminOutcome.Ok, saved.Outcome);
        var after = Assert.Single(await portal.OrganizationsAsync(DemoFacilities.RegionalHospitalCode));
        Assert.Equal(before.Id, after.Id);
        Assert.Equal("045-555-0499", after.Telecom.Single().Value);
        Assert.Equal(before.Type.Single().Coding.Single().Code, after.Type.Single().Coding.Single().Code); // kept
    }

    [Fact]
    public async Task A_FacilityAdmin_sees_and_edits_only_their_own_facility_and_every_other_attempt_is_refused()
    {
        await using var admin = portal.As(HospitalAdmin);
        var list = await admin.Service.ListAsync(null, 0, 100, CancellationToken.None);
        var own = await admin.Service.GetAsync(DemoFacilities.HospitalCode, CancellationToken.None);
        var form = FacilityForm.From(own.Facility!);
        form.Address = "東京都練馬区みどり台一丁目2番3号 新館";

        Assert.Equal(1, list.Total);
        Assert.Equal(DemoFacilities.HospitalCode, Assert.Single(list.Items).Code);
        Assert.Equal(0, (await admin.Service.ListAsync("さくら", 0, 100, CancellationToken.None)).Total);
        Assert.Equal(FacilityAdminOutcome.Ok, own.Outcome);
        Assert.Equal(FacilityAdminOutcome.Ok, (await admin.Service.UpdateAsync(DemoFacilities.HospitalCode, form, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Ok, (await admin.Service.RetryMirrorAsync(DemoFacilities.HospitalCode, CancellationToken.None)).Outcome);

        // Not their facility's activation, no new facilities, and nothing of another facility.
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await admin.Service.SetActiveAsync(DemoFacilities.HospitalCode, false, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await admin.Service.CreateAsync(Form("1312222226", "勝手な登録"), CancellationToken.None)).Outcome);
        var clinicBefore = (await portal.As(SystemAdmin).Service.GetAsync(DemoFacilities.ClinicCode, CancellationToken.None)).Facility!;
        var intrusion = FacilityForm.From(clinicBefore);
        intrusion.Name = "乗っ取り";
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await admin.Service.GetAsync(DemoFacilities.ClinicCode, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await admin.Service.UpdateAsync(DemoFacilities.ClinicCode, intrusion, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await admin.Service.SetActiveAsync(DemoFacilities.ClinicCode, false, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await admin.Service.RetryMirrorAsync(DemoFacilities.ClinicCode, CancellationToken.None)).Outcome);
        Assert.Equal(FacilityAdminOutcome.Forbidden, (await admin.Service.GetAsync("1399999999", CancellationToken.None)).Outcome);

        var clinicAfter = (await portal.As(SystemAdmin).Service.GetAsync(DemoFacilities.ClinicCode, CancellationToken.None)).Facility!;
        Assert.Equal(clinicBefore with { Departments = [] }, clinicAfter with { Departments = [] });
        Assert.Equal(clinicBefore.Departments, clinicAfter.Departments);
        Assert.True((await portal.As(SystemAdmin).Service.GetAsync(DemoFacilities.HospitalCode, CancellationToken.None)).Facility!.Active);
    }

    [Fact]
    public async Task A_clinician_a_FacilityAdmin_without_a_facility_and_nobody_are_refused_on_every_method()
    {
        foreach (var user in new CurrentUser?[] { HospitalClinician, AdminWithoutFacility, null })
        {
            await using var scope = portal.As(user);
            var form = Form("1313333335", "登録不可");
            Assert.Equal(FacilityAdminOutcome.Forbidden, (await scope.Service.ListAsync(null, 0, 10, CancellationToken.None)).Outcome);
            Assert.Empty((await scope.Service.ListAsync(null, 0, 10, CancellationToken.None)).Items);
            Assert.Equal(FacilityAdminOutcome.Forbidden, (await scope.Service.GetAsync(DemoFacilities.HospitalCode, CancellationToken.None)).Outcome);
            Assert.Equal(FacilityAdminOutcome.Forbidden, (await scope.Service.CreateAsync(form, CancellationToken.None)).Outcome);
            Assert.Equal(FacilityAdminOutcome.Forbidden, (await scope.Service.UpdateAsync(DemoFacilities.HospitalCode, form, CancellationToken.None)).Outcome);
            Assert.Equal(FacilityAdminOutcome.Forbidden, (await scope.Service.SetActiveAsync(DemoFacilities.HospitalCode, false, CancellationToken.None)).Outcome);
            Assert.Equal(FacilityAdminOutcome.Forbidden, (await scope.Service.RetryMirrorAsync(DemoFacilities.HospitalCode, CancellationToken.None)).Outcome);
        }

        Assert.Equal(FacilityAdminOutcome.NotFound, (await portal.As(SystemAdmin).Service.GetAsync("1313333335", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task When_the_base_is_down_the_change_is_kept_marked_pending_and_sent_by_the_next_save_or_the_retry()
    {
        // Separate clients while down and after: the down client's circuit breaker stays open for a while after failures,
        // as it would in production; what must survive is the portal's record and its pending mark.
        using var downHandler = new SwitchHandler { Down = true };
        using var upHandler = new SwitchHandler();
        await using var downServices = portal.ClientThrough(downHandler);
        await using var upServices = portal.ClientThrough(upHandler);
        const string code = "1314444444";

        CurrentUserScope Down() => new(portal.As(SystemAdmin, downServices.GetRequiredService<CentralFhirClient>()));
        CurrentUserScope Up() => new(portal.As(SystemAdmin, upServices.GetRequiredService<CentralFhirClient>()));

        FacilitySaveResult created, retriedWhileDown, retried, pendingEdit, nextSave;
        FacilityPage listed;
        await using (var admin = Down())
        {
            created = await admin.Service.CreateAsync(Form(code, "停電病院"), CancellationToken.None);
            listed = await admin.Service.ListAsync("停電", 0, 10, CancellationToken.None);
            retriedWhileDown = await admin.Service.RetryMirrorAsync(code, CancellationToken.None);
        }

        Assert.Equal(FacilityAdminOutcome.Ok, created.Outcome);
        Assert.True(created.Facility!.MirrorPending);
        Assert.True(Assert.Single(listed.Items).MirrorPending);
        Assert.True(retriedWhileDown.Facility!.MirrorPending);
        Assert.Empty(await portal.OrganizationsAsync(code));

        await using (var admin = Up())
        {
            retried = await admin.Service.RetryMirrorAsync(code, CancellationToken.None);
            Assert.False((await admin.Service.GetAsync(code, CancellationToken.None)).Facility!.MirrorPending);
        }

        Assert.False(retried.Facility!.MirrorPending);
        Assert.Equal("停電病院", Assert.Single(await portal.OrganizationsAsync(code)).Name);

        var edit = Form(code, "停電病院（改）");
        await using (var admin = Down())
        {
            pendingEdit = await admin.Service.UpdateAsync(code, edit, CancellationToken.None);
        }

        Assert.Equal("停電病院", Assert.Single(await portal.OrganizationsAsync(code)).Name);
        edit.Phone = "03-1234-9999";
        await using (var admin = Up())
        {
            nextSave = await admin.Service.UpdateAsync(code, edit, CancellationToken.None);
        }

        Assert.True(pendingEdit.Facility!.MirrorPending);
        Assert.Equal("停電病院（改）", pendingEdit.Facility.Name); // kept in the portal
        Assert.False(nextSave.Facility!.MirrorPending);
        var organization = Assert.Single(await portal.OrganizationsAsync(code));
        Assert.Equal("停電病院（改）", organization.Name);
        Assert.Equal("03-1234-9999", organization.Telecom.Single().Value);
        Assert.True(upHandler.Requests > 0);
    }

    private sealed class CurrentUserScope(AdminScope scope) : IAsyncDisposable
    {
        public FacilityAdminService Service => scope.Service;

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    /// <summary>Fails every request with a connection error while <see cref="Down"/>.</summary>
    internal sealed class SwitchHandler : DelegatingHandler
    {
        private int requests;

        public bool Down { get; set; }

        public int Requests => requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref requests);
            return Down ? throw new HttpRequestException("Connection refused (test).") : base.SendAsync(request, cancellationToken);
        }
    }

    internal sealed class AdminScope(AsyncServiceScope scope, CurrentUser? user, CentralFhirClient? client) : IAsyncDisposable
    {
        public FacilityAdminService Service { get; } = ActivatorUtilities.CreateInstance<FacilityAdminService>(
            scope.ServiceProvider,
            new TestUser(user),
            client is null
                ? scope.ServiceProvider.GetRequiredService<OrganizationMirror>()
                : new OrganizationMirror(client, NullLogger<OrganizationMirror>.Instance));

        public FacilityDirectory Directory => scope.ServiceProvider.GetRequiredService<FacilityDirectory>();

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    /// <summary>The app with demo data, waited on until the demo facilities are in the base.</summary>
    public sealed class DemoPortal : IAsyncLifetime
    {
        private readonly PortalFactory factory = new(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });

        internal AdminScope As(CurrentUser? user, CentralFhirClient? client = null) => new(factory.Services.CreateAsyncScope(), user, client);

        /// <summary>A separate client for the same base whose requests pass through <paramref name="handler"/>.</summary>
        internal ServiceProvider ClientThrough(DelegatingHandler handler)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(BaseClientCredentials.ClientSettings(new Uri(factory.RootUri, "fhir/")))
                .Build();
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddCentralFhirClient(configuration).AddHttpMessageHandler(() => handler);
            return services.BuildServiceProvider();
        }

        public async Task<List<Organization>> OrganizationsAsync(string code)
        {
            using var http = factory.CreateBaseClient();
            using var response = await http.GetAsync($"Organization?identifier={Uri.EscapeDataString(JpFhir.Systems.MedicalInstitutionCode + "|" + code)}");
            response.EnsureSuccessStatusCode();
            return [.. FhirJson.Deserialize<Bundle>(await response.Content.ReadAsStringAsync()).Entry.Select(e => e.Resource).OfType<Organization>()];
        }

        public async Task InitializeAsync()
        {
            _ = factory.RootUri;
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while ((await OrganizationsAsync(DemoFacilities.RegionalHospitalCode)).Count == 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("Demo seeding did not finish.");
                }

                await Task.Delay(300);
            }
        }

        public async Task DisposeAsync() => await factory.DisposeAsync();
    }
}
