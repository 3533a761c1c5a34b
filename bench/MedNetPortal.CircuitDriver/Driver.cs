using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MedNetPortal.Tests.Shared;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.CircuitDriver;

/// <summary>
/// N clinicians = N Blazor Server circuits over SignalR (no browser), on two shared signed-in sessions (the two demo
/// doctors). Per row: the server's heap before and after opening N idle circuits showing a record (dotnet-gcdump: live
/// bytes after a full collection), then <c>--duration</c> of views at one per clinician per <c>--think</c>: lookup page, then
/// the next patient's record, timed from the navigation to the render batch holding the patient banner. CPU time (user +
/// system) is read for the portal, the central base when it runs apart (<c>--base separate</c>) and the driver itself.
/// </summary>
internal static class Driver
{
    public const string RecordReady = "patient-banner";
    public const string RecordError = "record-error";
    public const string LookupReady = "lookup-form";
    private static readonly string[] DemoDoctors = ["doctor@clinic.example", "doctor@hospital.example"];

    public static async Task<int> RunAsync(CircuitDriverOptions options, CancellationToken cancellationToken)
    {
        var repositoryRoot = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        PortalProcess? portal = null;
        PortalProcess? centralBase = null;
        var outFolder = options.Out is null ? null : Directory.CreateDirectory(options.Out).FullName;
        try
        {
            Uri root;
            Uri baseRoot;
            int pid;
            int? basePid = null;
            if (options.Url is not null)
            {
                (root, baseRoot, pid) = (options.Url, options.Url, options.ServerPid!.Value);
            }
            else if (options.SeparateBase)
            {
                // The central base in a process of its own (a second portal host serving only its embedded base and the demo
                // data), as in production: the portal's CPU and heap are then the portal's alone.
                Console.WriteLine($"Starting the central base ({configuration} build, embedded base of a second host, demo data) ...");
                centralBase = await PortalProcess.StartAsync(repositoryRoot, configuration, new Dictionary<string, string>(), cancellationToken);
                await DemoPatientIdsAsync(centralBase.Root, cancellationToken);
                Console.WriteLine($"Starting the portal ({configuration} build, Development, central base at {centralBase.Root}fhir/) ...");
                portal = await PortalProcess.StartAsync(repositoryRoot, configuration, new Dictionary<string, string>
                {
                    ["FhirBase:Enabled"] = "false",
                    ["CentralFhir:BaseUrl"] = new Uri(centralBase.Root, "fhir/").ToString(),
                    ["CentralFhir:ClientId"] = BaseClientCredentials.ClientId,
                    ["CentralFhir:ClientSecret"] = BaseClientCredentials.ClientSecret,
                }, cancellationToken);
                (root, baseRoot, pid, basePid) = (portal.Root, centralBase.Root, portal.Pid, centralBase.Pid);
            }
            else
            {
                Console.WriteLine($"Starting the portal ({configuration} build, Development, demo data) ...");
                portal = await PortalProcess.StartAsync(repositoryRoot, configuration, new Dictionary<string, string>(), cancellationToken);
                (root, baseRoot, pid) = (portal.Root, portal.Root, portal.Pid);
            }

            var patients = await DemoPatientIdsAsync(baseRoot, cancellationToken);
            Console.WriteLine($"Portal {root} (pid {pid}{(basePid is { } b ? $", central base pid {b}" : string.Empty)}): {patients.Count} patients with consent.");
            var sessions = new List<SignInSession>();
            foreach (var email in DemoDoctors)
            {
                sessions.Add(await SignInSession.SignInAsync(root, email, DemoOptions.DefaultPassword, cancellationToken));
            }

            // Warm-up, not reported: JIT and first-use caches would otherwise count as per-circuit memory and per-view CPU.
            await RunRowAsync(2, sessions, patients, pid, basePid, options with { Duration = TimeSpan.FromSeconds(10), Think = TimeSpan.FromSeconds(1), Heap = false },
                repositoryRoot, null, cancellationToken);
            var rows = new List<Row>();
            foreach (var n in options.Circuits)
            {
                rows.Add(await RunRowAsync(n, sessions, patients, pid, basePid, options, repositoryRoot, outFolder, cancellationToken));
            }

            var report = Report(rows, options, root, pid, basePid);
            Console.WriteLine();
            Console.WriteLine(report);
            if (outFolder is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(outFolder, "circuits.md"), report, cancellationToken);
            }

            foreach (var session in sessions)
            {
                session.Dispose();
            }

            return rows.Any(r => r.Errors > 0) ? 1 : 0;
        }
        finally
        {
            if (portal is not null)
            {
                await portal.DisposeAsync();
            }

            if (centralBase is not null)
            {
                await centralBase.DisposeAsync();
            }
        }
    }

    private static async Task<Row> RunRowAsync(
        int n, IReadOnlyList<SignInSession> sessions, IReadOnlyList<string> patients, int pid, int? basePid, CircuitDriverOptions options,
        string repositoryRoot, string? outFolder, CancellationToken cancellationToken)
    {
        var load = LoadAverage();
        Console.WriteLine($"{n} circuits (load average {load}): heap before ...");
        var before = options.Heap ? await ServerProbes.GcDumpAsync(pid, repositoryRoot, outFolder, $"heap-{n}-before", cancellationToken) : null;
        var workingSetBefore = ServerProbes.WorkingSet(pid);
        var errors = new ConcurrentQueue<string>();
        var circuits = new BlazorCircuit?[n];
        var opening = Stopwatch.StartNew();
        var cpuOpen0 = ServerProbes.CpuTime(pid);
        using (var gate = new SemaphoreSlim(options.OpenConcurrency))
        {
            await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var path = options.IdleOnLookup ? "patients" : "patients/" + patients[i % patients.Count];
                    circuits[i] = await BlazorCircuit.OpenAsync(sessions[i % sessions.Count], path,
                        options.IdleOnLookup ? LookupReady : RecordReady, options.IdleOnLookup ? null : RecordError, options.Timeout, cancellationToken);
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
                {
                    errors.Enqueue($"open {i}: {ex.Message}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var cpuOpen = ServerProbes.CpuTime(pid) - cpuOpen0;
        var open = circuits.OfType<BlazorCircuit>().ToList();
        Console.WriteLine($"{n} circuits: {open.Count} open in {opening.Elapsed.TotalSeconds:F0} s; idle 10 s, heap after, idle CPU over 10 s ...");
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
        var after = options.Heap ? await ServerProbes.GcDumpAsync(pid, repositoryRoot, outFolder, $"heap-{n}-after", cancellationToken) : null;
        var workingSetAfter = ServerProbes.WorkingSet(pid);
        if (before is not null && after is not null && outFolder is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(outFolder, $"heap-{n}-per-circuit.md"), HeapDiff(before, after, open.Count), cancellationToken);
        }

        // What idle circuits cost: session revalidation, keep-alives (the audit entries of the opening views are forwarded by now).
        var cpuIdle0 = ServerProbes.CpuTime(pid);
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
        var idleCpuMsPerSecond = (ServerProbes.CpuTime(pid) - cpuIdle0).TotalMilliseconds / 10;

        Console.WriteLine($"{n} circuits: views for {options.Duration.TotalSeconds:F0} s, think {options.Think.TotalSeconds:F0} s ...");
        var timings = new ConcurrentBag<double>();
        var views = 0;
        var cpu0 = ServerProbes.CpuTime(pid);
        var baseCpu0 = basePid is { } b0 ? ServerProbes.CpuTime(b0) : TimeSpan.Zero;
        var driverCpu0 = ServerProbes.CpuTime(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(open.Select(async (circuit, index) =>
        {
            var random = new Random(index);
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * options.Think.TotalMilliseconds), cancellationToken);
            var k = index;
            while (clock.Elapsed < options.Duration)
            {
                k = (k + 1) % patients.Count;
                try
                {
                    await circuit.NavigateAsync("patients", LookupReady, null, options.Timeout, cancellationToken);
                    var elapsed = await circuit.NavigateAsync("patients/" + patients[k], RecordReady, RecordError, options.Timeout, cancellationToken);
                    timings.Add(elapsed.TotalMilliseconds);
                    Interlocked.Increment(ref views);
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
                {
                    errors.Enqueue($"view {index}: {ex.Message}");
                }

                await Task.Delay(options.Think, cancellationToken);
            }
        }));
        var viewSeconds = clock.Elapsed.TotalSeconds;
        var cpu = ServerProbes.CpuTime(pid) - cpu0;
        var baseCpu = basePid is { } b1 ? ServerProbes.CpuTime(b1) - baseCpu0 : (TimeSpan?)null;
        var driverCpu = ServerProbes.CpuTime(Environment.ProcessId) - driverCpu0;
        foreach (var circuit in open)
        {
            await circuit.DisposeAsync();
        }

        foreach (var error in errors.Take(5))
        {
            Console.WriteLine("  error: " + error);
        }

        var sorted = timings.Order().ToArray();
        // Let the server dispose the closed circuits before the next row's "before".
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        return new Row(n, open.Count, views, errors.Count, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99),
            before is not null && after is not null && open.Count > 0 ? (after.TotalBytes - before.TotalBytes) / (double)open.Count : null,
            open.Count > 0 ? (workingSetAfter - workingSetBefore) / (double)open.Count : null,
            views > 0 ? cpu.TotalMilliseconds / views : null,
            views > 0 && baseCpu is { } bc ? bc.TotalMilliseconds / views : null,
            views > 0 ? driverCpu.TotalMilliseconds / views : null,
            open.Count > 0 ? cpuOpen.TotalMilliseconds / open.Count : null,
            idleCpuMsPerSecond, views / viewSeconds, load, LoadAverage(), [.. errors.Take(20)]);
    }

    /// <summary>
    /// The types whose live bytes grew most between the two dumps, per open circuit. The report's "Object Bytes" is the
    /// size of one object of the row (on average), so a row's bytes are that times its count: approximate, the total is exact.
    /// </summary>
    private static string HeapDiff(HeapDump before, HeapDump after, int circuits)
    {
        var was = before.Types.GroupBy(t => t.Type).ToDictionary(g => g.Key, g => (Bytes: g.Sum(t => t.Bytes * t.Count), Count: g.Sum(t => t.Count)), StringComparer.Ordinal);
        var rows = after.Types.GroupBy(t => t.Type)
            .Select(g => (Type: g.Key, Bytes: g.Sum(t => t.Bytes * t.Count) - (was.TryGetValue(g.Key, out var b) ? b.Bytes : 0),
                Count: g.Sum(t => t.Count) - (was.TryGetValue(g.Key, out var c) ? c.Count : 0)))
            .OrderByDescending(r => r.Bytes).Take(40).ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Live heap growth per open circuit ({circuits} circuits): {(after.TotalBytes - before.TotalBytes) / 1024.0 / circuits:F1} KB in total.");
        text.AppendLine();
        text.AppendLine("| Type | Bytes / circuit | Objects / circuit |");
        text.AppendLine("|---|---:|---:|");
        foreach (var (type, bytes, count) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{type.Replace("|", "\\|", StringComparison.Ordinal)}` | {bytes / (double)circuits:F0} | {count / (double)circuits:F1} |");
        }

        return text.ToString();
    }

    private static string Report(IReadOnlyList<Row> rows, CircuitDriverOptions options, Uri root, int pid, int? basePid)
    {
        static string F(double? v, string format = "F0") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
        var text = new StringBuilder();
        var where = basePid is { } b
            ? $"central base in its own process (pid {b})."
            : "central base embedded in the portal's process (its CPU and heap count as the portal's).";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Circuit driver (Blazor Server protocol over SignalR, no browser), {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores, " +
            $"portal pid {pid} at {root}, {options.Duration.TotalSeconds:F0} s of views per row, think {options.Think.TotalSeconds:F0} s, " +
            $"idle circuits on the {(options.IdleOnLookup ? "lookup" : "record")} page, two shared demo-doctor sessions, {where}");
        text.AppendLine();
        text.AppendLine("| Circuits | Open | Views | Views/s | Errors | p50 ms | p95 ms | p99 ms | Heap / idle circuit KB | Working set / circuit KB | Server CPU ms / view | Base CPU ms / view | Driver CPU ms / view | CPU ms / circuit opened | Idle CPU ms/s | Load avg before → after |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Circuits} | {r.Open} | {r.Views} | {F(r.ViewsPerSecond, "F1")} | {r.Errors} | {F(r.P50)} | {F(r.P95)} | {F(r.P99)} | {F(r.HeapPerCircuit / 1024)} | {F(r.WorkingSetPerCircuit / 1024)} | {F(r.CpuMsPerView, "F1")} | {F(r.BaseCpuMsPerView, "F1")} | {F(r.DriverCpuMsPerView, "F1")} | {F(r.CpuMsPerOpen, "F1")} | {F(r.IdleCpuMsPerSecond)} | {r.LoadBefore} → {r.LoadAfter} |");
        }

        foreach (var r in rows.Where(r => r.FirstErrors.Count > 0))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Errors at {r.Circuits} circuits (first {r.FirstErrors.Count}):");
            foreach (var e in r.FirstErrors)
            {
                text.AppendLine("- " + e);
            }
        }

        text.AppendLine();
        text.AppendLine("JS calls answered (identifier, result type: count):");
        foreach (var (call, count) in BlazorCircuit.JsCalls.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- `{call}`: {count}");
        }

        return text.ToString();
    }

    internal static double? Percentile(double[] sorted, int p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedNetPortal.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>The demo patients with consent (a record view shows their record), once demo seeding stored them all.</summary>
    internal static async Task<IReadOnlyList<string>> DemoPatientIdsAsync(Uri root, CancellationToken cancellationToken)
    {
        using var http = BaseClientCredentials.CreateHttpClient(new Uri(root, "fhir/"));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                var patients = Ids(await http.GetStringAsync("Patient?_count=200", cancellationToken));
                var letters = Ids(await http.GetStringAsync("Bundle?_count=200", cancellationToken));
                var consents = JsonNode.Parse(await http.GetStringAsync("Consent?_count=500", cancellationToken))?["entry"]?.AsArray()
                    .Select(e => (string?)e?["resource"]?["patient"]?["reference"]).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
                if (patients.Count >= DemoPatients.All.Count && letters.Count >= DemoLetters.All.Count)
                {
                    return [.. patients.Where(id => consents.Contains("Patient/" + id))];
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The portal's base has no demo data after 5 minutes.");
            }

            await Task.Delay(500, cancellationToken);
        }

        static List<string> Ids(string bundle) =>
            JsonNode.Parse(bundle)?["entry"]?.AsArray().Select(e => (string?)e?["resource"]?["id"]).OfType<string>().ToList() ?? [];
    }

    private sealed record Row(int Circuits, int Open, int Views, int Errors, double? P50, double? P95, double? P99, double? HeapPerCircuit,
        double? WorkingSetPerCircuit, double? CpuMsPerView, double? BaseCpuMsPerView, double? DriverCpuMsPerView, double? CpuMsPerOpen, double IdleCpuMsPerSecond, double ViewsPerSecond,
        string LoadBefore, string LoadAfter, IReadOnlyList<string> FirstErrors);
}
