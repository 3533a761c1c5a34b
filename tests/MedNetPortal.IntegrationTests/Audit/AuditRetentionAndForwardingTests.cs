using MedNetPortal.Web.Features.Audit;

namespace MedNetPortal.IntegrationTests.Audit;

public sealed class AuditRetentionAndForwardingTests
{
    [Fact]
    public async Task The_purge_removes_entries_past_retention_audits_itself_and_the_chain_still_verifies()
    {
        await using var harness = await AuditHarness.CreateAsync(retentionYears: 5);
        for (var i = 0; i < 3; i++)
        {
            await harness.RecordAsync(new AuditRecord(AuditAction.SignIn));
        }

        harness.Clock.Now = harness.Clock.Now.AddYears(4);
        await harness.RecordAsync(new AuditRecord(AuditAction.SignOut));
        var removedLast = (await harness.EntriesAsync())[2].Hash;
        harness.Clock.Now = harness.Clock.Now.AddYears(1).AddDays(1);

        var purge = await harness.Retention().PurgeOnceAsync(CancellationToken.None);
        var again = await harness.Retention().PurgeOnceAsync(CancellationToken.None);

        var entries = await harness.EntriesAsync();
        Assert.Equal([4L, 5L], entries.Select(e => e.Id));
        Assert.NotNull(purge);
        Assert.Null(again);
        Assert.Equal(AuditAction.AuditPurged, entries[1].Action);
        Assert.Equal($"removed=3;anchor={removedLast}", entries[1].Detail);
        Assert.Equal(removedLast, entries[0].PreviousHash);
        Assert.Equal(new AuditChainReport(true, 2, null, null), await harness.VerifyAsync());
    }

    [Fact]
    public async Task Deleting_more_after_a_purge_is_still_found()
    {
        await using var harness = await AuditHarness.CreateAsync(retentionYears: 1);
        await harness.RecordAsync(new AuditRecord(AuditAction.SignIn));
        harness.Clock.Now = harness.Clock.Now.AddYears(2);
        await harness.RecordAsync(new AuditRecord(AuditAction.SignIn));
        await harness.RecordAsync(new AuditRecord(AuditAction.SignOut));
        await harness.Retention().PurgeOnceAsync(CancellationToken.None);

        await harness.ExecuteSqlAsync("DELETE FROM AuditEntries WHERE Id = 2");

        Assert.Equal(3, (await harness.VerifyAsync()).FirstBrokenId);
    }

    [Fact]
    public async Task While_the_base_answers_503_entries_stay_queued_and_when_it_is_back_each_is_sent_once_in_order()
    {
        await using var harness = await AuditHarness.CreateAsync();
        for (var i = 0; i < 4; i++)
        {
            await harness.RecordAsync(new AuditRecord(AuditAction.RecordViewed) { PatientId = $"p{i}" });
        }

        harness.Publisher.Down = true;
        var forwarder = harness.Forwarder();

        var down1 = await forwarder.ForwardPendingAsync(CancellationToken.None);
        var down2 = await forwarder.ForwardPendingAsync(CancellationToken.None);
        var queued = await harness.EntriesAsync();
        harness.Publisher.Down = false;
        var up = await forwarder.ForwardPendingAsync(CancellationToken.None);
        var idle = await forwarder.ForwardPendingAsync(CancellationToken.None);

        Assert.Equal((0, false), down1);
        Assert.Equal((0, false), down2);
        Assert.All(queued, e => Assert.Null(e.ForwardedAtUtc));
        Assert.Equal(2, queued[0].ForwardAttempts);
        Assert.Equal((4, true), up);
        Assert.Equal((0, true), idle);
        var entries = await harness.EntriesAsync();
        Assert.Equal(entries.Select(e => e.Hash), harness.Publisher.Stored);
        Assert.All(entries, e => Assert.NotNull(e.ForwardedAtUtc));
        Assert.True((await harness.VerifyAsync()).Intact);
    }

    [Fact]
    public void A_lookup_is_forwarded_with_the_query_hash_and_the_patient_as_a_reference()
    {
        var entry = new AuditEntry
        {
            Id = 7, RecordedAtUtc = new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc), ActorUserId = "u1", ActorName = "佐藤",
            FacilityCode = "1310123455", Roles = "Clinician", Action = AuditAction.PatientLookup, PatientId = "pat-1",
            LookupKeyHash = new string('c', 64), Detail = "hits=1", ClientAddress = "127.0.0.1", Hash = new string('a', 64), Emergency = true,
        };

        var audit = AuditEventMapper.Map(entry);
        var json = MedNetPortal.Fhir.FhirJson.Serialize(audit);

        Assert.Equal(new string('a', 64), audit.Id);
        Assert.Equal("110112", audit.Type.Code);
        Assert.Equal("Patient/pat-1", audit.Entity[0].What!.Reference);
        Assert.Equal(new string('c', 64), System.Text.Encoding.ASCII.GetString(audit.Entity[1].Query!));
        Assert.True(audit.Agent[0].Requestor);
        Assert.Equal("127.0.0.1", audit.Agent[0].Network!.Address);
        Assert.Equal("ETREAT", audit.PurposeOfEvent[0].Coding[0].Code);
        Assert.Contains("mednet-portal", json, StringComparison.Ordinal);
    }
}
