using System.Net;
using System.Security.Cryptography;
using Hl7.Fhir.Model;

namespace MedNetPortal.IntegrationTests.FhirBase.Security;

/// <summary>
/// The portal's client has <c>system/AuditEvent.c</c> and no <c>u</c> or <c>d</c>: the forwarder's <c>PUT AuditEvent/{hash}</c>
/// creates once and repeats harmlessly; nobody holding that client can change or delete an audit event.
/// </summary>
public sealed class WriteOnceTests(SecuredBaseFixture fixture) : IClassFixture<SecuredBaseFixture>
{
    [Fact]
    public async System.Threading.Tasks.Task A_put_that_creates_succeeds_and_an_identical_repeat_changes_nothing()
    {
        var portal = fixture.As("portal");
        var audit = NewAuditEvent();

        using var created = await portal.PutAsync($"AuditEvent/{audit.Id}", FhirTestClient.Json(audit));
        using var repeated = await portal.PutAsync($"AuditEvent/{audit.Id}", FhirTestClient.Json(audit));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal("W/\"1\"", repeated.Headers.ETag?.ToString());
        using var history = await fixture.Full.GetAsync($"AuditEvent/{audit.Id}/_history");
        Assert.Equal(1, (await history.ReadAsync<Bundle>()).Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_put_that_would_change_a_stored_audit_event_is_refused_and_changes_nothing()
    {
        var portal = fixture.As("portal");
        var audit = NewAuditEvent();
        using (var created = await portal.PutAsync($"AuditEvent/{audit.Id}", FhirTestClient.Json(audit)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var stored = await (await fixture.Full.GetAsync($"AuditEvent/{audit.Id}")).Content.ReadAsStringAsync();

        audit.Outcome = AuditEvent.AuditEventOutcome.N8;
        using var changed = await portal.PutAsync($"AuditEvent/{audit.Id}", FhirTestClient.Json(audit));

        await BaseAccessTests.AssertForbiddenAsync(changed, "system/AuditEvent.u");
        Assert.Equal(stored, await (await fixture.Full.GetAsync($"AuditEvent/{audit.Id}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_delete_of_an_audit_event_is_refused_and_it_stays()
    {
        var portal = fixture.As("portal");
        var audit = NewAuditEvent();
        using (var created = await portal.PutAsync($"AuditEvent/{audit.Id}", FhirTestClient.Json(audit)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var deleted = await portal.DeleteAsync($"AuditEvent/{audit.Id}");
        using var read = await fixture.Full.GetAsync($"AuditEvent/{audit.Id}");

        await BaseAccessTests.AssertForbiddenAsync(deleted, "system/AuditEvent.d");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_cannot_change_an_audit_event_either()
    {
        var portal = fixture.As("portal");
        var audit = NewAuditEvent();
        using (var created = await portal.PutAsync($"AuditEvent/{audit.Id}", FhirTestClient.Json(audit)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var before = await fixture.Full.StoreSnapshotAsync();

        audit.Outcome = AuditEvent.AuditEventOutcome.N8;
        var transaction = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry = [new() { Resource = audit, Request = new() { Method = Bundle.HTTPVerb.PUT, Url = $"AuditEvent/{audit.Id}" } }],
        };
        using var response = await portal.PostAsync("", FhirTestClient.Json(transaction));

        await BaseAccessTests.AssertForbiddenAsync(response, "system/AuditEvent.u");
        Assert.Equal(before, await fixture.Full.StoreSnapshotAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_client_with_the_update_scope_may_change_it()
    {
        // The control: the refusal above is the scope's doing, not a rule against changing AuditEvents at all.
        var audit = NewAuditEvent();
        using (var created = await fixture.As("portal").PutAsync($"AuditEvent/{audit.Id}", FhirTestClient.Json(audit)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        audit.Outcome = AuditEvent.AuditEventOutcome.N8;
        using var changed = await fixture.Full.PutAsync($"AuditEvent/{audit.Id}", FhirTestClient.Json(audit));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("W/\"2\"", changed.Headers.ETag?.ToString());
    }

    private static AuditEvent NewAuditEvent() => new()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        Type = new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record"),
        Action = AuditEvent.AuditEventAction.R,
        Recorded = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(9)),
        Outcome = AuditEvent.AuditEventOutcome.N0,
        Agent = [new AuditEvent.AgentComponent { Requestor = true, Who = new ResourceReference { Display = "doctor@clinic.example" } }],
        Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "MedNetPortal" } },
    };
}
