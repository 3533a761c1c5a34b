using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MedNetPortal.CircuitDriver;

/// <summary>The server process's CPU time and, through <c>dotnet-gcdump</c>, its live GC heap after a full collection.</summary>
internal static partial class ServerProbes
{
    public static TimeSpan CpuTime(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }

    public static long WorkingSet(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.WorkingSet64;
    }

    /// <summary>
    /// Runs <c>dotnet dotnet-gcdump collect</c> (a local tool: <c>dotnet tool restore</c>), which induces a full blocking
    /// collection and walks the heap, and returns the total live bytes with the report's largest types. The dump is kept in
    /// <paramref name="folder"/> when given.
    /// </summary>
    public static async Task<HeapDump?> GcDumpAsync(int pid, string repositoryRoot, string? folder, string label, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder ?? Path.GetTempPath(), $"{label}.gcdump");
        var collect = await RunAsync(repositoryRoot, cancellationToken, "dotnet-gcdump", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file);
        if (collect.ExitCode != 0 || !File.Exists(file))
        {
            Console.WriteLine("  dotnet-gcdump failed: " + collect.Output.Trim().Split('\n').LastOrDefault());
            return null;
        }

        var report = await RunAsync(repositoryRoot, cancellationToken, "dotnet-gcdump", "report", file);
        if (folder is null)
        {
            File.Delete(file);
        }
        else
        {
            await File.WriteAllTextAsync(Path.ChangeExtension(file, ".txt"), report.Output, cancellationToken);
        }

        // The header's "<n> GC Heap bytes" is the total; then each row is "<size> <count> <type>".
        var header = HeapTotal().Match(report.Output);
        long total = 0;
        var types = new List<(long Bytes, long Count, string Type)>();
        foreach (Match row in ReportRow().Matches(report.Output))
        {
            var bytes = long.Parse(row.Groups["bytes"].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var count = long.Parse(row.Groups["count"].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
            total += bytes;
            types.Add((bytes, count, row.Groups["type"].Value.Trim()));
        }

        if (header.Success)
        {
            total = long.Parse(header.Groups["bytes"].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        }

        return types.Count == 0 ? null : new HeapDump(total, types);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"^\s*(?<bytes>[0-9,]+)\s+GC Heap bytes", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex HeapTotal();

    [GeneratedRegex(@"^\s*(?<bytes>[0-9,]+)\s+(?<count>[0-9,]+)\s+(?<type>\S.*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ReportRow();
}

/// <summary>A heap walk: total live bytes and per-type sizes.</summary>
internal sealed record HeapDump(long TotalBytes, IReadOnlyList<(long Bytes, long Count, string Type)> Types);
