namespace MedNetPortal.CircuitDriver;

internal static class CircuitDriverProgram
{
    // dotnet build -c Release bench/MedNetPortal.CircuitDriver && dotnet tool restore
    // dotnet run -c Release --no-build --project bench/MedNetPortal.CircuitDriver -- --circuits 100,500,1000 --duration 60s --think 20s --out DIR
    public static async Task<int> Main(string[] args)
    {
        var options = CircuitDriverOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(CircuitDriverOptions.Usage);
            return 2;
        }

        return await Driver.RunAsync(options, CancellationToken.None);
    }
}
