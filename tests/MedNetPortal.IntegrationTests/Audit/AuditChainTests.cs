using System.Net;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Audit;

public sealed class AuditChainTests
{
    private static async Task<AuditHarness> WithEntriesAsync(int count)
    {
        var harness = await AuditHarness.CreateAsync();
        for (var i = 0; i < count; i++)
        {
            harness.Clock.Now = harness.Clock.Now.AddMinutes(1);
            await harness.RecordAsync(new AuditRecord(AuditAction.RecordViewed) { PatientId = $"p{i}", Detail = "diagnoses,allergies" });
        }

        return harness;
    }

    [Fact]
    public async Task An_entry_gets_who_when_and_the_client_address_and_the_chain_is_intact()
    {
        await using var harness = await WithEntriesAsync(0);
        harness.Http.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:192.0.2.7");

        await harness.RecordAsync(new AuditRecord(AuditAction.PatientLookup) { LookupKeyHash = "ab", Detail = "hits=0" });
        await harness.RecordAsync(new AuditRecord(AuditAction.RecordViewed, AuditOutcome.Success) { PatientId = "pat-1", Emergency = true });

        var entries = await harness.EntriesAsync();
        Assert.Equal([1L, 2L], entries.Select(e => e.Id));
        var first = entries[0];
        Assert.Equal(("user-1", "佐藤 花子", "1310123455", "Clinician", "192.0.2.7"), (first.ActorUserId, first.ActorName, first.FacilityCode, first.Roles, first.ClientAddress));
        Assert.Equal(new DateTime(2026, 4, 1, 9, 0, 0), first.RecordedAtUtc);
        Assert.Equal(string.Empty, first.PreviousHash);
        Assert.Equal(first.Hash, entries[1].PreviousHash);
        Assert.Matches("^[0-9a-f]{64}$", first.Hash);
        Assert.True(entries[1].Emergency);
        Assert.Equal(new AuditChainReport(true, 2, null, null), await harness.VerifyAsync());
    }

    [Fact]
    public async Task A_named_account_is_read_from_the_account_table_with_its_roles()
    {
        await using var harness = await WithEntriesAsync(0);
        harness.User.Current = null;
        await using (var scope = harness.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            db.Users.Add(new() { Id = "acct-9", UserName = "x@test.example", DisplayName = "山田 太郎", FacilityCode = "1310267898" });
            db.Roles.Add(new() { Id = "r1", Name = "FacilityAdmin" });
            db.Roles.Add(new() { Id = "r2", Name = "Clinician" });
            db.UserRoles.Add(new() { UserId = "acct-9", RoleId = "r1" });
            db.UserRoles.Add(new() { UserId = "acct-9", RoleId = "r2" });
            await db.SaveChangesAsync();
        }

        await harness.RecordAsync(new AuditRecord(AuditAction.SignIn) { ActorUserId = "acct-9" });

        var entry = Assert.Single(await harness.EntriesAsync());
        Assert.Equal(("acct-9", "山田 太郎", "1310267898", "Clinician,FacilityAdmin"), (entry.ActorUserId, entry.ActorName, entry.FacilityCode, entry.Roles));
    }

    [Fact]
    public async Task A_row_edited_in_the_database_file_is_found_and_named()
    {
        await using var harness = await WithEntriesAsync(6);

        await harness.ExecuteSqlAsync("UPDATE AuditEntries SET PatientId = 'someone-else' WHERE Id = 4");

        var report = await harness.VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal(4, report.FirstBrokenId);
        Assert.Equal(4, report.EntriesChecked);
        Assert.Contains("does not match its hash", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_that_also_recomputes_an_unkeyed_hash_is_still_found()
    {
        await using var harness = await WithEntriesAsync(3);

        await harness.ExecuteSqlAsync("UPDATE AuditEntries SET Emergency = 1, Hash = 'aaaa' WHERE Id = 2");

        Assert.Equal(2, (await harness.VerifyAsync()).FirstBrokenId);
    }

    [Fact]
    public async Task A_row_deleted_in_the_middle_is_found_at_the_next_entry()
    {
        await using var harness = await WithEntriesAsync(5);

        await harness.ExecuteSqlAsync("DELETE FROM AuditEntries WHERE Id = 3");

        var report = await harness.VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal(4, report.FirstBrokenId);
        Assert.Contains("does not link", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_rows_deleted_without_a_purge_are_found()
    {
        await using var harness = await WithEntriesAsync(4);

        await harness.ExecuteSqlAsync("DELETE FROM AuditEntries WHERE Id <= 2");

        Assert.Equal(3, (await harness.VerifyAsync()).FirstBrokenId);
    }

    [Fact]
    public async Task The_verifier_reads_more_than_one_page()
    {
        await using var harness = await WithEntriesAsync(0);
        for (var i = 0; i < AuditChainVerifier.PageSize + 3; i++)
        {
            await harness.RecordAsync(new AuditRecord(AuditAction.SignOut));
        }

        await harness.ExecuteSqlAsync($"UPDATE AuditEntries SET Detail = 'x' WHERE Id = {AuditChainVerifier.PageSize + 2}");

        Assert.Equal(AuditChainVerifier.PageSize + 2, (await harness.VerifyAsync()).FirstBrokenId);
    }

    [Fact]
    public async Task Concurrent_appends_make_one_linear_chain()
    {
        await using var harness = await WithEntriesAsync(0);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => harness.RecordAsync(new AuditRecord(AuditAction.SignIn)))));

        var entries = await harness.EntriesAsync();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), entries.Select(e => e.Id));
        Assert.True((await harness.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Identifier_hashes_are_stable_keyed_and_not_the_chain_key()
    {
        await using var harness = await WithEntriesAsync(0);
        await using var scope = harness.Services.CreateAsyncScope();
        var trail = harness.Trail(scope);
        var keys = harness.Services.GetRequiredService<AuditKeys>();

        var hash = trail.HashIdentifier("06050116:１:２:01");

        Assert.Equal(hash, trail.HashIdentifier("06050116:１:２:01"));
        Assert.NotEqual(hash, trail.HashIdentifier("06050116:１:２:02"));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.NotEqual(keys.ChainKey, keys.IdentifierKey);
    }

    [Fact]
    public async Task Without_a_configured_key_one_is_generated_once_and_kept_in_the_data_folder()
    {
        var folder = Directory.CreateTempSubdirectory("mednet-auditkey-").FullName;
        try
        {
            var storage = new MedNetPortal.FhirBase.StorageOptions { DataDirectory = folder };
            var first = AuditKeys.Load(new AuditOptions(), storage, folder);
            var second = AuditKeys.Load(new AuditOptions(), storage, folder);

            Assert.True(File.Exists(Path.Combine(folder, AuditKeys.KeyFileName)));
            Assert.Equal(first.ChainKey, second.ChainKey);
            Assert.Throws<InvalidOperationException>(() => AuditKeys.Load(new AuditOptions(), new() { DataDirectory = Path.Combine(folder, "other") }, folder, mayCreate: false));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_failing_write_fails_the_action()
    {
        await using var harness = await WithEntriesAsync(1);
        await harness.ExecuteSqlAsync("DROP TABLE AuditEntries");

        await Assert.ThrowsAnyAsync<Exception>(() => harness.RecordAsync(new AuditRecord(AuditAction.RecordViewed) { PatientId = "p" }));
    }
}
