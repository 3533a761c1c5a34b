using System.Diagnostics;
using System.Text;
using Xunit;

namespace MedNetPortal.TestSupport;

/// <summary>
/// An independent FHIR R4 server for the interop tier: Medplum's open-source FHIR router with its in-memory repository
/// (tests/interop/medplum-fhir-server.mjs under Node.js), on 127.0.0.1 at a free port, empty at start. Use as an xunit
/// fixture. tests/run.sh installs its npm packages; without them the fixture fails with one line saying what to run.
/// </summary>
public sealed class MedplumFhirServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _log = new();
    private Process? _process;

    /// <summary>The base URL, ending in <c>/fhir/R4/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>What the server printed: method, path and status of each request (no query strings or bodies).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var folder = RepositoryRoot.Combine("tests", "interop");
        if (!Directory.Exists(System.IO.Path.Combine(folder, "node_modules", "@medplum", "fhir-router")))
        {
            throw new InvalidOperationException(
                "The interop server's npm packages are missing: run `npm ci --prefix tests/interop` (tests/run.sh does).");
        }

        var start = new ProcessStartInfo("node", ["medplum-fhir-server.mjs", "--port", "0", "--log"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("listening ", StringComparison.Ordinal))
            {
                listening.TrySetResult(int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_log)
                {
                    _log.AppendLine(line);
                }
            }
        };
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The Medplum server exited: " + Log));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var port = await listening.Task.WaitAsync(StartTimeout);
        BaseUri = new Uri($"http://127.0.0.1:{port}/fhir/R4/");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
