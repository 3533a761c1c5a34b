namespace MedNetPortal.LoadDriver;

// A named entry point: the portal's own top-level Program is referenced (WebApplicationFactory<Program>).
internal static class LoadDriverProgram
{
    // dotnet run -c Release --project bench/MedNetPortal.LoadDriver -- [--circuits 10,50,100] [--duration 60s] [--think 20s]
    //     [--url http://host:port/] [--sign-in shared|each] [--out file.md]
    public static async Task<int> Main(string[] args)
    {
        var options = DriverOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(DriverOptions.Usage);
            return 2;
        }

        return await Driver.RunAsync(options, CancellationToken.None);
    }
}
