using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using static MedNetPortal.IntegrationTests.Audit.AuditViewsDatabase;

namespace MedNetPortal.IntegrationTests.Audit;

/// <summary>The "who viewed this record" data: which entries count, what is shown of them, paging.</summary>
public sealed class RecordAccessHistoryTests : IAsyncLifetime
{
    private static readonly DateTime Noon = new(2026, 4, 1, 3, 0, 0, DateTimeKind.Utc);

    private readonly AuditViewsDatabase data = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await data.DisposeAsync();

    [Fact]
    public async Task Views_documents_and_emergency_accesses_of_the_patient_newest_first_with_facility_profession_and_items()
    {
        var viewed = await data.AddAsync(ClinicianOfB, AuditAction.RecordViewed, Noon, e => { e.PatientId = "p-1"; e.Detail = "diagnoses,allergies"; });
        var emergency = await data.AddAsync(ClinicianOfA, AuditAction.EmergencyAccessStarted, Noon.AddMinutes(1), e => { e.PatientId = "p-1"; e.Emergency = true; e.Detail = "unconscious"; });
        var document = await data.AddAsync(ClinicianOfA, AuditAction.DocumentOpened, Noon.AddMinutes(2), e => { e.PatientId = "p-1"; e.Emergency = true; e.Detail = "doc-1"; });
        // Not shown: another patient, a lookup, a refused view.
        await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, Noon, e => e.PatientId = "p-2");
        await data.AddAsync(ClinicianOfA, AuditAction.PatientLookup, Noon, e => e.PatientId = "p-1");
        await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, Noon, e => { e.PatientId = "p-1"; e.Outcome = AuditOutcome.Denied; });

        var page = await data.HistoryAs(ClinicianOfB).GetAsync("p-1", 0, 20);

        Assert.NotNull(page);
        Assert.Equal(3, page.Total);
        Assert.Equal([document, emergency, viewed], page.Items.Select(i => i.Id));
        var (d, em, v) = (page.Items[0], page.Items[1], page.Items[2]);
        Assert.Equal(("みどり台総合病院", Profession.Doctor, true), (d.FacilityName, d.Profession, d.Emergency));
        Assert.Equal(["document"], d.Items);
        Assert.True(em.Emergency);
        Assert.Equal(["emergency"], em.Items);
        Assert.Equal(("さくら内科クリニック", Profession.Nurse, PortalRoles.Clinician, false), (v.FacilityName, v.Profession, v.Role, v.Emergency));
        Assert.Equal(["diagnoses", "allergies"], v.Items);
        Assert.Equal(new DateTimeOffset(Noon), v.At);
    }

    [Fact]
    public async Task Pages_with_the_total_and_refuses_a_user_without_a_portal_role()
    {
        for (var i = 0; i < 25; i++)
        {
            await data.AddAsync(ClinicianOfA, AuditAction.RecordViewed, Noon.AddMinutes(i), e => e.PatientId = "p-1");
        }

        var history = data.HistoryAs(ClinicianOfA);
        var first = await history.GetAsync("p-1", 0, 20);
        var rest = await history.GetAsync("p-1", 20, 20);

        Assert.Equal((20, 25), (first!.Items.Count, first.Total));
        Assert.Equal((5, 25), (rest!.Items.Count, rest.Total));
        Assert.Null(await data.HistoryAs(null).GetAsync("p-1", 0, 20));
        Assert.Null(await data.HistoryAs(new CurrentUser("u-none", "役割なし", A, null, [])).GetAsync("p-1", 0, 20));
    }
}
