using MedNetPortal.Web.Features.Audit;

namespace MedNetPortal.IntegrationTests.Audit;

public sealed class AuditVerifyCommandTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AuditVerifyCommand.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Exit_0_when_intact_1_with_the_first_broken_id_when_edited_2_without_the_key()
    {
        await using var harness = await AuditHarness.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            await harness.RecordAsync(new AuditRecord(AuditAction.SignIn));
        }

        var settings = new[] { AuditVerifyCommand.Name, $"--Storage:DataDirectory={harness.Folder}", $"--Audit:HashKey={AuditHarness.Key}", "--Demo:Enabled=false" };
        var intact = await RunAsync(settings);
        await harness.ExecuteSqlAsync("UPDATE AuditEntries SET Outcome = 'Failure' WHERE Id = 2");
        var broken = await RunAsync(settings);
        var otherFolder = Directory.CreateTempSubdirectory("mednet-noaudit-").FullName;
        var noKey = await RunAsync(AuditVerifyCommand.Name, $"--Storage:DataDirectory={otherFolder}");
        var usage = await RunAsync(AuditVerifyCommand.Name, "extra");

        Assert.Equal(0, intact.Code);
        Assert.Contains("intact, 3 entries", intact.Output, StringComparison.Ordinal);
        Assert.Equal(1, broken.Code);
        Assert.Contains("BROKEN at entry 2", broken.Output, StringComparison.Ordinal);
        Assert.Equal(2, noKey.Code);
        Assert.Contains("Audit:HashKey", noKey.Error, StringComparison.Ordinal);
        Assert.Equal(2, usage.Code);
    }
}
