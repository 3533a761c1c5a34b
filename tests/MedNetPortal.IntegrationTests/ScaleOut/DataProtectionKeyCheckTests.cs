using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Host.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.ScaleOut;

/// <summary>An instance whose key-encryption key differs from the one the key ring was written with finds out at start-up.</summary>
public sealed class DataProtectionKeyCheckTests
{
    private const string FirstKey = "Zmlyc3QtaW5zdGFuY2Uta2V5LWVuY3J5cHRpb24tMzI=";
    private const string OtherKey = "b3RoZXItaW5zdGFuY2UtZGlmZmVyZW50LWtleS0zMiE=";

    [Fact]
    public async Task A_second_instance_with_another_key_encryption_key_counts_the_first_instances_keys_as_unreadable()
    {
        var data = Directory.CreateTempSubdirectory("mednet-dpcheck-").FullName;
        try
        {
            int written;
            await using (var first = new PortalFactory(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, ["DataProtection:KeyEncryptionKey"] = FirstKey }))
            {
                // The sign-in form's antiforgery token makes the key ring's first key.
                using var client = first.CreatePortalClient();
                (await client.GetAsync(new Uri("account/login", UriKind.Relative))).EnsureSuccessStatusCode();
            }

            await using (var same = new PortalFactory(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, ["DataProtection:KeyEncryptionKey"] = FirstKey }))
            {
                var (unreadable, total) = await DataProtectionKeyCheck.CountUnreadableAsync(
                    same.Services.GetRequiredService<IServiceScopeFactory>(), same.Services, CancellationToken.None);
                Assert.True(total > 0);
                Assert.Equal(0, unreadable);
                written = total;
            }

            await using var other = new PortalFactory(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data, ["DataProtection:KeyEncryptionKey"] = OtherKey });
            var check = await DataProtectionKeyCheck.CountUnreadableAsync(
                other.Services.GetRequiredService<IServiceScopeFactory>(), other.Services, CancellationToken.None);
            // Every key the first instance wrote is unreadable here (this instance then made one of its own, which the first could
            // not read either: the users of each are signed out on the other).
            Assert.Equal(written, check.Unreadable);
            Assert.True(check.Total >= written);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
