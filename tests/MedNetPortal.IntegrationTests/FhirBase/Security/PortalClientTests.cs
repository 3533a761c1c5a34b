using System.Net;
using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.FhirBase.Security;

/// <summary>The portal's own OAuth client, as the demo configuration registers it, against its embedded base.</summary>
public sealed class PortalClientTests
{
    private static readonly CurrentUser Doctor = new("portal-client-1", "桜井 一郎", "1310123455", "さくら内科クリニック", [PortalRoles.Clinician]);

    [Fact]
    public async Task The_forwarder_stores_audit_events_with_the_portals_client_which_can_repeat_them_but_not_change_them()
    {
        await using var factory = new PortalFactory();
        _ = factory.RootUri;
        await using var scope = SignedInScope.Create(factory.Services, Doctor);
        await scope.ServiceProvider.GetRequiredService<IAuditTrail>().RecordAsync(new AuditRecord(AuditAction.RecordViewed) { PatientId = "p-forward" }, CancellationToken.None);

        var entry = await ForwardedAsync(factory.Services);
        using var http = factory.CreateBaseClient();
        using var stored = await http.GetAsync($"AuditEvent/{entry.Hash}");
        var client = scope.ServiceProvider.GetRequiredService<CentralFhirClient>();
        var repeated = await client.UpdateAsync(AuditEventMapper.Map(entry), null, CancellationToken.None);
        var changed = AuditEventMapper.Map(entry);
        changed.Outcome = Hl7.Fhir.Model.AuditEvent.AuditEventOutcome.N8;
        var refused = await Assert.ThrowsAsync<FhirApiException>(() => client.UpdateAsync(changed, null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("W/\"1\"", stored.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal("1", repeated.VersionId);
        Assert.Equal(FhirApiErrorReason.Forbidden, refused.Reason);
    }

    [Fact]
    public async Task The_portals_client_may_not_write_what_the_portal_never_writes()
    {
        await using var factory = new PortalFactory();
        _ = factory.RootUri;
        await using var scope = SignedInScope.Create(factory.Services, Doctor);
        var client = scope.ServiceProvider.GetRequiredService<CentralFhirClient>();

        // A letter for a patient new to the base creates the Patient (system/Patient.c), but the portal never changes one.
        var created = (await client.CreateAsync(new Hl7.Fhir.Model.Patient { Gender = Hl7.Fhir.Model.AdministrativeGender.Female }, null, CancellationToken.None)).Resource!;
        created.Gender = Hl7.Fhir.Model.AdministrativeGender.Male;
        var patient = await Assert.ThrowsAsync<FhirApiException>(() => client.UpdateAsync(created, created.Meta?.VersionId, CancellationToken.None));
        var condition = await Assert.ThrowsAsync<FhirApiException>(() => client.CreateAsync(new Hl7.Fhir.Model.Condition
        {
            Subject = new Hl7.Fhir.Model.ResourceReference("Patient/x"),
        }, null, CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.Forbidden, patient.Reason);
        Assert.Equal(FhirApiErrorReason.Forbidden, condition.Reason);
    }

    private static async Task<AuditEntry> ForwardedAsync(IServiceProvider services)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using (var scope = services.CreateScope())
            {
                var entry = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries.AsNoTracking()
                    .Where(e => e.PatientId == "p-forward").SingleOrDefaultAsync();
                if (entry?.ForwardedAtUtc is not null)
                {
                    return entry;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "The audit entry was not forwarded to the base.");
            await Task.Delay(200);
        }
    }
}
