using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace MedNetPortal.Benchmarks;

// A named entry point: the portal's top-level Program is referenced too (and the unit tests reference both).
internal static class BenchmarkProgram
{
    // dotnet run -c Release --project bench/MedNetPortal.Benchmarks -- --filter '*' [--search-patients N] [--search-data DIR] [BenchmarkDotNet options]
    // Our options travel to BenchmarkDotNet's child processes as environment variables; everything else goes to BenchmarkDotNet.
    public static void Main(string[] args)
    {
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--search-patients" when i + 1 < args.Length:
                    Environment.SetEnvironmentVariable("MEDNET_BENCH_SEARCH_PATIENTS", args[++i]);
                    break;
                case "--search-data" when i + 1 < args.Length:
                    Environment.SetEnvironmentVariable("MEDNET_BENCH_SEARCH_DATA", Path.GetFullPath(args[++i]));
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        var config = DefaultConfig.Instance
            .AddColumn(StatisticColumn.P95)
            .WithSummaryStyle(BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(20));
        BenchmarkSwitcher.FromAssembly(typeof(RecordFetchBenchmarks).Assembly).Run([.. rest], config);
    }
}
