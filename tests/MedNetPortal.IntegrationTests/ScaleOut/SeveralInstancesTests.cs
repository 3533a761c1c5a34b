using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.FhirBase;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Tests.Shared;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Consent;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Facilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;

namespace MedNetPortal.IntegrationTests.ScaleOut;

/// <summary>
/// Two portal instances (A and B, each its own process state: Kestrel, Data Protection, caches, limiters) on one PostgreSQL
/// (portal database and embedded base database), with the settings several instances must share (<c>Audit:HashKey</c>,
/// <c>DataProtection:KeyEncryptionKey</c>). Started once for the class; skipped without the test PostgreSQL.
/// </summary>
public sealed class TwoInstancesOnPostgres : IAsyncLifetime
{
    public const string HashKey = "c2V2ZXJhbC1pbnN0YW5jZXMtc2hhcmUtdGhpcy1hdWRpdC1rZXkhIQ==";
    public const string KeyEncryptionKey = "c2hhcmVkLWRhdGEtcHJvdGVjdGlvbi1rZXktMzJiISE=";
    public const int SignInPerAccount = 4;

    private TestPostgresDatabase? portalDb;
    private TestPostgresDatabase? baseDb;

    public PortalFactory A { get; private set; } = null!;

    public PortalFactory B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)))
        {
            return;
        }

        portalDb = await TestPostgresDatabase.CreateAsync("instances_portal");
        baseDb = await TestPostgresDatabase.CreateAsync("instances_base");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = portalDb.ConnectionString,
            ["ConnectionStrings:FhirBase"] = baseDb.ConnectionString,
            ["Audit:HashKey"] = HashKey,
            ["DataProtection:KeyEncryptionKey"] = KeyEncryptionKey,
            ["RateLimits:SignInPerAccount"] = SignInPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // One after the other, as a rolling start would: A migrates, B finds nothing pending.
        A = new PortalFactory(settings);
        _ = A.RootUri;
        B = new PortalFactory(settings);
        _ = B.RootUri;
    }

    public async Task DisposeAsync()
    {
        if (portalDb is null)
        {
            return;
        }

        await B.DisposeAsync();
        await A.DisposeAsync();
        await portalDb.DisposeAsync();
        await baseDb!.DisposeAsync();
    }
}

public sealed class SeveralInstancesTests(TwoInstancesOnPostgres instances) : IClassFixture<TwoInstancesOnPostgres>
{
    [PostgresFact]
    public async Task A_session_started_on_one_instance_is_accepted_by_the_other_and_signing_out_there_ends_it_on_both()
    {
        var email = $"instances-{Guid.NewGuid():N}@test.example";
        await TestAccounts.CreateAsync(instances.A.Services, email);
        using var onA = await PortalBrowser.SignedInAsync(instances.A, email);
        // The same browser (cookies are per host, not port) now reaching instance B, as after a failover.
        using var toB = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = onA.Cookies, UseCookies = true })
        {
            BaseAddress = instances.B.RootUri,
        };

        using (var page = await toB.GetAsync(new Uri("patients", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        var copied = Copy(onA.Cookies, instances.A.RootUri);
        var html = await (await toB.GetAsync(new Uri("patients", UriKind.Relative))).Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token); // an antiforgery token made by B ...
        using (var signOut = await toB.PostAsync(
                   new Uri(AccountExtensions.LogoutPath, UriKind.Relative),
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        // ... and the session it ended is refused by A too: the cookie still names it, the shared table says it is over.
        using var replay = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = copied, UseCookies = true })
        {
            BaseAddress = instances.A.RootUri,
        };
        using var refused = await replay.GetAsync(new Uri("patients", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains(AccountExtensions.LoginPath, refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Sign_in_attempts_are_counted_once_across_both_instances()
    {
        var email = $"nobody-{Guid.NewGuid():N}@test.example";
        using var a = PortalBrowser.Open(instances.A);
        using var b = PortalBrowser.Open(instances.B);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= TwoInstancesOnPostgres.SignInPerAccount; i++)
        {
            using var response = await (i % 2 == 0 ? a : b).SignInAsync(email, "wrong password " + i);
            statuses.Add(response.StatusCode);
        }

        // Each instance saw at most three attempts: only a shared count refuses the fifth.
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(TwoInstancesOnPostgres.SignInPerAccount));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [PostgresFact]
    public async Task Audit_appends_from_both_instances_at_the_same_time_make_one_chain_that_verifies()
    {
        var writers = new[] { instances.A, instances.B }.Select(i => i.Services.GetRequiredService<AuditWriter>()).ToList();
        long before;
        await using (var scope = instances.A.Services.CreateAsyncScope())
        {
            before = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.LongCountAsync();
        }

        // Each instance appends 30 entries, several at a time, while the other does the same.
        await Task.WhenAll(writers.SelectMany((writer, instance) => Enumerable.Range(0, 3).Select(async lane =>
        {
            for (var i = 0; i < 10; i++)
            {
                await writer.AppendAsync(
                    new AuditEntry { Action = AuditAction.AdminChange, Outcome = AuditOutcome.Success, Roles = "system", Detail = $"instance {instance} lane {lane} #{i}" },
                    CancellationToken.None);
            }
        })));

        await using var check = instances.B.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<PortalDbContext>();
        var ids = await db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
        Assert.Equal(before + 60, ids.Count);
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
        var report = await check.ServiceProvider.GetRequiredService<IAuditChainVerifier>().VerifyAsync(CancellationToken.None);
        Assert.True(report.Intact, $"broken at {report.FirstBrokenId}: {report.Problem}");
    }

    [PostgresFact]
    public async Task A_facility_deactivated_through_one_instance_ends_its_users_sessions_on_the_other()
    {
        var code = "13" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var scope = instances.A.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Facilities.Add(new PortalFacility { Code = code, Name = "閉院予定の診療所", Active = true, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var email = $"closing-{Guid.NewGuid():N}@test.example";
        await TestAccounts.CreateAsync(instances.A.Services, email, configure: u => u.FacilityCode = code);
        using var onB = await PortalBrowser.SignedInAsync(instances.B, email);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("patients")).Status);

        // Deactivated by A (its own cache forgets at once); B's cache keeps an answer at most FacilityStatus.CacheFor.
        await using (var scope = instances.A.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Facilities.Where(f => f.Code == code)
                .ExecuteUpdateAsync(f => f.SetProperty(x => x.Active, false));
            instances.A.Services.GetRequiredService<FacilityStatus>().Forget(code);
        }

        var status = HttpStatusCode.OK;
        for (var attempt = 0; attempt < 60 && status == HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(FacilityStatus.CacheFor / 5);
            status = (await onB.GetAsync("patients")).Status;
        }

        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    [PostgresFact]
    public async Task A_consent_recorded_through_one_instance_opens_the_record_on_the_other()
    {
        using var ehr = instances.A.CreateBaseClient();
        var patient = await ehr.CreateAsync(new Patient { Name = [new HumanName { Family = "同意", Given = ["試験"] }] });
        var code = MedNetPortal.Web.Features.Demo.DemoFacilities.ClinicCode;
        var doctor = new CurrentUser($"instances-doctor-{Guid.NewGuid():N}", "桜井 一郎", code, "さくら内科クリニック", [PortalRoles.Clinician]);

        await using var onB = SignedInScope.Create(instances.B.Services, doctor);
        var gateOnB = onB.ServiceProvider.GetRequiredService<IPatientAccessGate>();
        Assert.Equal(PatientAccessDenial.NoConsent, (await gateOnB.CheckAsync(patient.Id!, CancellationToken.None)).Denial);

        await using (var onA = SignedInScope.Create(instances.A.Services, doctor))
        {
            var outcome = await onA.ServiceProvider.GetRequiredService<IConsentRecorder>()
                .RecordReceptionConsentAsync(patient.Id!, new ReceptionConsentConfirmation(ReceptionConsentReason.Verbal, null), CancellationToken.None);
            Assert.Equal(ConsentRecordOutcome.Recorded, outcome);
        }

        // B's gate (the same circuit's, which asked a moment ago) kept no refusal: it asks the base again and finds the consent.
        Assert.True((await gateOnB.CheckAsync(patient.Id!, CancellationToken.None)).Allowed);
    }

    [PostgresFact]
    public async Task An_emergency_grant_recorded_through_one_instance_opens_the_record_on_the_other_until_it_ends()
    {
        using var ehr = instances.A.CreateBaseClient();
        var patient = await ehr.CreateAsync(new Patient { Name = [new HumanName { Family = "救急", Given = ["試験"] }] });
        var code = MedNetPortal.Web.Features.Demo.DemoFacilities.ClinicCode;
        var doctor = new CurrentUser($"instances-doctor-{Guid.NewGuid():N}", "桜井 一郎", code, "さくら内科クリニック", [PortalRoles.Clinician]);

        await using var onB = SignedInScope.Create(instances.B.Services, doctor);
        var gateOnB = onB.ServiceProvider.GetRequiredService<IPatientAccessGate>();
        Assert.Equal(PatientAccessDenial.NoConsent, (await gateOnB.CheckAsync(patient.Id!, CancellationToken.None)).Denial);

        // The row EmergencyAccessService writes after re-authentication (that path is tested on its own in Emergency/), written
        // through A: what B's gate must see is the shared table, not A's memory.
        var end = DateTime.UtcNow.AddMinutes(30);
        await using (var onA = instances.A.Services.CreateAsyncScope())
        {
            var db = onA.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Add(new MedNetPortal.Web.Features.Consent.EmergencyAccessGrant
            {
                Id = Guid.NewGuid(),
                UserId = doctor.UserId,
                FacilityCode = code,
                PatientId = patient.Id!,
                Reason = MedNetPortal.Web.Features.Consent.EmergencyReason.Unconscious,
                StartUtc = DateTime.UtcNow,
                EndUtc = end,
            });
            await db.SaveChangesAsync();
        }

        // B's gate kept no refusal; the access it now keeps ends with the grant, not later.
        var access = await gateOnB.CheckAsync(patient.Id!, CancellationToken.None);
        Assert.Equal(PatientAccessKind.Emergency, access.Kind);
        Assert.Equal(end, access.Until!.Value.UtcDateTime, TimeSpan.FromMilliseconds(1));
    }

    private static CookieContainer Copy(CookieContainer cookies, Uri root)
    {
        var copy = new CookieContainer();
        foreach (Cookie cookie in cookies.GetAllCookies())
        {
            copy.Add(root, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        return copy;
    }
}
