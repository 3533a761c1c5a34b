using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Demo;
using Microsoft.Playwright;

namespace MedNetPortal.LoadDriver;

/// <summary>
/// N simulated clinicians = N Chromium contexts, each with its own Blazor Server circuit, opening patient record pages in a
/// loop. Per circuit count: memory before and after opening N idle circuits, then <c>--duration</c> of views, timed from the
/// navigation to the record rendered (the patient banner, present only when the record is shown).
/// </summary>
internal static class Driver
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string[] DemoDoctors = ["doctor@clinic.example", "doctor@hospital.example"];

    public static async Task<int> RunAsync(DriverOptions options, CancellationToken cancellationToken)
    {
        LoadPortal? portal = null;
        try
        {
            Uri root;
            if (options.Url is null)
            {
                Console.WriteLine("Starting the portal with demo data in a temporary folder ...");
                portal = new LoadPortal();
                root = portal.RootUri;
            }
            else
            {
                root = options.Url;
            }

            var patientIds = await DemoPatientIdsAsync(root, cancellationToken);
            Console.WriteLine($"Portal {root}: {patientIds.Count} patients.");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args =
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });

            var sharedStates = options.SignInEach ? [] : await SignInOnceAsync(browser, root);
            if (options.SignInEach && portal is not null)
            {
                await LoadAccounts.EnsureAsync(portal.Services, Math.Max(2, options.Circuits.Max()));
            }

            // Warm-up (not reported): the first circuits pay for JIT and first-use caches, which would count as per-circuit memory.
            await RunOneAsync(browser, root, 2, patientIds, sharedStates, options with { Duration = TimeSpan.FromSeconds(5) }, inProcess: false, cancellationToken,
                createdAccounts: options.SignInEach && portal is not null);
            var results = new List<RunResult>();
            foreach (var n in options.Circuits)
            {
                results.Add(await RunOneAsync(browser, root, n, patientIds, sharedStates, options, portal is not null, cancellationToken,
                    createdAccounts: options.SignInEach && portal is not null));
            }

            var table = Markdown(results, options, portal is not null);
            Console.WriteLine();
            Console.WriteLine(table);
            if (options.Out is not null)
            {
                await File.WriteAllTextAsync(options.Out, table, cancellationToken);
            }

            return results.Any(r => r.Errors > 0) ? 1 : 0;
        }
        finally
        {
            if (portal is not null)
            {
                await portal.DisposeAsync();
            }
        }
    }

    private static async Task<RunResult> RunOneAsync(
        IBrowser browser, Uri root, int n, IReadOnlyList<string> patientIds, IReadOnlyList<string> sharedStates,
        DriverOptions options, bool inProcess, CancellationToken cancellationToken, bool createdAccounts = false)
    {
        Console.WriteLine($"{n} circuits: opening ...");
        var before = Memory.Read(inProcess, options.ServerPid);
        var clinicians = new Clinician[n];
        var errors = new ConcurrentBag<string>();
        using (var gate = new SemaphoreSlim(4))
        {
            await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    clinicians[i] = await Clinician.OpenAsync(browser, root, createdAccounts ? LoadAccounts.Email(i) : DemoDoctors[i % DemoDoctors.Length],
                        options.SignInEach ? null : sharedStates[i % sharedStates.Count], patientIds[i % patientIds.Count], options.IdleOnLookup);
                }
                catch (Exception ex) when (ex is PlaywrightException or TimeoutException or InvalidOperationException)
                {
                    errors.Add($"open {i}: {ex.Message.Split('\n')[0]}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var open = clinicians.Where(c => c is not null).ToList();
        // Idle circuits: let the pages settle before reading the server's memory.
        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var after = Memory.Read(inProcess, options.ServerPid);
        Console.WriteLine($"{n} circuits: {open.Count} open; running {options.Duration.TotalSeconds:F0} s ...");

        var timings = new ConcurrentBag<double>();
        var views = 0;
        var cpuBefore = ServerCpu.Read(inProcess, options.ServerPid);
        var deadline = DateTime.UtcNow + options.Duration;
        await System.Threading.Tasks.Task.WhenAll(open.Select(async (clinician, index) =>
        {
            var random = new Random(index);
            // Spread the first views over one think time, as clinicians do not click in step.
            await System.Threading.Tasks.Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * options.Think.TotalMilliseconds), cancellationToken);
            var k = index;
            while (DateTime.UtcNow < deadline)
            {
                k = (k + 1) % patientIds.Count;
                try
                {
                    timings.Add(await clinician.ViewRecordAsync(patientIds[k]));
                    Interlocked.Increment(ref views);
                }
                catch (Exception ex) when (ex is PlaywrightException or TimeoutException or InvalidOperationException)
                {
                    errors.Add($"view {index}: {ex.Message.Split('\n')[0]}");
                }

                await System.Threading.Tasks.Task.Delay(options.Think, cancellationToken);
            }
        }));

        var cpuAfter = ServerCpu.Read(inProcess, options.ServerPid);
        foreach (var clinician in open)
        {
            await clinician.DisposeAsync();
        }

        foreach (var error in errors.Take(5))
        {
            Console.WriteLine("  error: " + error);
        }

        var sorted = timings.Order().ToArray();
        return new RunResult(n, open.Count, views, errors.Count, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99),
            before?.GcHeapBytes is { } heapBefore && after?.GcHeapBytes is { } heapAfter ? (heapAfter - heapBefore) / (double)n : null,
            before is null || after is null ? null : (after.WorkingSetBytes - before.WorkingSetBytes) / (double)n,
            cpuBefore is { } c0 && cpuAfter is { } c1 && views > 0 ? (c1 - c0).TotalMilliseconds / views : null);
    }

    private static async Task<IReadOnlyList<string>> SignInOnceAsync(IBrowser browser, Uri root)
    {
        var states = new List<string>();
        foreach (var email in DemoDoctors)
        {
            await using var context = await Clinician.NewContextAsync(browser, root, null);
            var page = await context.NewPageAsync();
            await Clinician.SignInAsync(page, email);
            states.Add(await context.StorageStateAsync());
        }

        return states;
    }

    /// <summary>The demo patients' ids from the portal's embedded base, once demo seeding has stored all of them and the letters.</summary>
    private static async Task<IReadOnlyList<string>> DemoPatientIdsAsync(Uri root, CancellationToken cancellationToken)
    {
        using var http = MedNetPortal.Tests.Shared.BaseClientCredentials.CreateHttpClient(new Uri(root, "fhir/"));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJson.MediaType));
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                var patients = FhirJson.Deserialize<Bundle>(await http.GetStringAsync("Patient?_count=200", cancellationToken));
                var letters = FhirJson.Deserialize<Bundle>(await http.GetStringAsync("Bundle?_count=200", cancellationToken));
                var consents = FhirJson.Deserialize<Bundle>(await http.GetStringAsync("Consent?_count=500", cancellationToken));
                var ids = patients.Entry.Select(e => e.Resource?.Id).OfType<string>().ToList();
                if (ids.Count >= DemoPatients.All.Count && letters.Entry.Count >= DemoLetters.All.Count)
                {
                    // The demo patient without consent shows the consent explanation, not a record: not a record view.
                    var consenting = consents.Entry.Select(e => (e.Resource as Consent)?.Patient?.Reference).OfType<string>().ToHashSet(StringComparer.Ordinal);
                    return ids.Where(id => consenting.Contains("Patient/" + id)).ToList();
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The portal's base has no demo data after 5 minutes.");
            }

            await System.Threading.Tasks.Task.Delay(500, cancellationToken);
        }
    }

    internal static double? Percentile(double[] sorted, int p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Markdown(IReadOnlyList<RunResult> results, DriverOptions options, bool inProcess)
    {
        static string Ms(double? v) => v is { } x ? x.ToString("F0", CultureInfo.InvariantCulture) : "–";
        static string Kb(double? v) => v is { } x ? (x / 1024).ToString("F0", CultureInfo.InvariantCulture) : "n/a";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Load driver, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}, {Environment.ProcessorCount} cores, duration {options.Duration.TotalSeconds:F0} s per row, " +
            $"think time {options.Think.TotalSeconds:F1} s, sign-in {(options.SignInEach ? inProcess ? "each context, one created clinician account each" : "each context, demo doctor accounts" : "shared demo doctor sessions")}, " +
            $"idle circuits on the {(options.IdleOnLookup ? "patient lookup" : "record")} page, " +
            $"server {(inProcess ? "in-process (demo data, Development)" : options.ServerPid is null ? "at --url (memory not measured)" : "at --url (working set of pid " + options.ServerPid.Value.ToString(CultureInfo.InvariantCulture) + ")")}.");
        text.AppendLine();
        text.AppendLine("| Circuits | Open | Views | Errors | p50 ms | p95 ms | p99 ms | GC heap / idle circuit KB | Working set / idle circuit KB | Server CPU ms / view |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Circuits} | {r.Open} | {r.Views} | {r.Errors} | {Ms(r.P50)} | {Ms(r.P95)} | {Ms(r.P99)} | {Kb(r.HeapPerCircuit)} | {Kb(r.WorkingSetPerCircuit)} | {Ms(r.ServerCpuMsPerView)} |");
        }

        return text.ToString();
    }

    private sealed record RunResult(int Circuits, int Open, int Views, int Errors, double? P50, double? P95, double? P99, double? HeapPerCircuit, double? WorkingSetPerCircuit, double? ServerCpuMsPerView);
}

/// <summary>
/// The server's CPU time (user + system) while the clinicians view records: in-process that includes the driver's own Playwright
/// client (small: the browser and Playwright's node run in their own processes); with <c>--url</c> it needs <c>--server-pid</c>.
/// </summary>
internal static class ServerCpu
{
    public static TimeSpan? Read(bool inProcess, int? serverPid)
    {
        if (!inProcess && serverPid is null)
        {
            return null;
        }

        using var process = inProcess ? Process.GetCurrentProcess() : Process.GetProcessById(serverPid!.Value);
        return process.TotalProcessorTime;
    }
}

/// <summary>The server's memory: in-process after a full blocking compacting collection, or a local server's working set by pid.</summary>
internal sealed record Memory(long? GcHeapBytes, long WorkingSetBytes)
{
    public static Memory? Read(bool inProcess, int? serverPid)
    {
        if (inProcess)
        {
            return Measure();
        }

        if (serverPid is { } pid)
        {
            using var server = Process.GetProcessById(pid);
            return new Memory(null, server.WorkingSet64);
        }

        return null;
    }

    private static Memory Measure()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return new Memory(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }
}
