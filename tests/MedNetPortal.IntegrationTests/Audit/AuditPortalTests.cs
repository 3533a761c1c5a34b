using System.Net;
using System.Text;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Audit;

/// <summary>The trail in the running portal (demo data, real sign-in forms, the real search service).</summary>
public sealed class AuditPortalTests : IClassFixture<AuditPortalTests.DemoPortal>
{
    private readonly PortalFactory factory;

    public AuditPortalTests(DemoPortal portal)
    {
        ArgumentNullException.ThrowIfNull(portal);
        factory = portal.Factory;
    }

    private async Task<List<AuditEntry>> EntriesAfterAsync(long id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Id > id).OrderBy(e => e.Id).ToListAsync();
    }

    private async Task<long> LastIdAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    [Fact]
    public async Task A_sign_in_a_failed_sign_in_and_a_sign_out_write_one_entry_each()
    {
        var id = await TestAccounts.CreateAsync(factory.Services, "audit-signin@test.example");
        var before = await LastIdAsync();

        using (var wrong = PortalBrowser.Open(factory))
        {
            using var refused = await wrong.SignInAsync("audit-signin@test.example", "not-the-password-at-all");
        }

        var failed = await EntriesAfterAsync(before);
        using var browser = PortalBrowser.Open(factory);
        using var signedIn = await browser.SignInAsync("audit-signin@test.example", TestAccounts.Password);
        var afterSignIn = await EntriesAfterAsync(failed.Max(e => e.Id));
        var (_, home) = await browser.GetAsync("/");
        var afterPage = await EntriesAfterAsync(failed.Max(e => e.Id));

        var failure = Assert.Single(failed);
        Assert.Equal((AuditAction.SignInFailed, AuditOutcome.Failure, id, "method=password"), (failure.Action, failure.Outcome, failure.ActorUserId, failure.Detail));
        Assert.Equal("127.0.0.1", failure.ClientAddress);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var signIn = Assert.Single(afterSignIn);
        Assert.Equal((AuditAction.SignIn, id), (signIn.Action, signIn.ActorUserId));
        Assert.Single(afterPage);
        Assert.False(string.IsNullOrEmpty(home));
    }

    [Fact]
    public async Task Lookups_write_one_entry_each_with_a_keyed_hash_and_no_identifier_or_name_reaches_the_database_file()
    {
        var patient = DemoPatients.SatoKenichi;
        var typed = InsuranceMemberId.Parse("01137116", "Ａ１２", "３４５６７８９", "").Value!;
        var missing = InsuranceMemberId.Parse("01137116", "Ｂ９９", "９９９９９９", "").Value!;
        await using var scope = MedNetPortal.IntegrationTests.Infrastructure.SignedInScope.Create(factory.Services, new MedNetPortal.Web.Host.Identity.CurrentUser(
            "lookup-clinician", "医師", MedNetPortal.Web.Features.Demo.DemoFacilities.HospitalCode, MedNetPortal.Web.Features.Demo.DemoFacilities.Hospital.Name,
            [MedNetPortal.Web.Host.Identity.PortalRoles.Clinician]));
        var search = scope.ServiceProvider.GetRequiredService<IPatientSearchService>();
        var trail = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        for (var attempt = 0; (await search.SearchAsync(typed, CancellationToken.None)).Total == 0; attempt++)
        {
            Assert.True(attempt < 120, "the demo patients were not seeded");
            await Task.Delay(500);
        }

        var before = await LastIdAsync();
        var hit = await search.SearchAsync(typed, CancellationToken.None);
        var miss = await search.SearchAsync(missing, CancellationToken.None);
        var entries = await EntriesAfterAsync(before);

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(AuditAction.PatientLookup, e.Action));
        Assert.Equal((hit.Matches[0].Id, "hits=1", trail.HashIdentifier(typed.Value)), (entries[0].PatientId, entries[0].Detail, entries[0].LookupKeyHash));
        Assert.Equal((null, "hits=0", trail.HashIdentifier(missing.Value)), (entries[1].PatientId, entries[1].Detail, entries[1].LookupKeyHash));

        var files = Directory.GetFiles(factory.DataDirectory, PortalDataExtensions.SqliteFileName + "*");
        Assert.Contains(files, f => f.EndsWith(PortalDataExtensions.SqliteFileName, StringComparison.Ordinal));
        var forbidden = new[]
        {
            typed.Value, patient.QualificationIdentifier, "3456789", "３４５６７８９", "9999999", "９９９９９９", "A12:3456789", "Ａ１２",
            patient.NameKanji, patient.FamilyKanji + patient.GivenKanji, patient.NameKana,
        };
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                continue; // The -wal was checkpointed away since the listing.
            }

            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                await stream.CopyToAsync(copy);
                bytes = copy.ToArray();
            }

            foreach (var text in forbidden)
            {
                foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
                {
                    Assert.True(bytes.AsSpan().IndexOf(encoding.GetBytes(text)) < 0, $"{Path.GetFileName(file)} contains a form of the identifier or the name");
                }
            }
        }
    }

    public sealed class DemoPortal : IDisposable
    {
        public PortalFactory Factory { get; } = new(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Audit:ForwardToCentralBase"] = "false",
        });

        public void Dispose() => Factory.Dispose();
    }
}
