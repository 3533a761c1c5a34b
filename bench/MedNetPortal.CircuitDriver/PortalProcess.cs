using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MedNetPortal.Tests.Shared;

namespace MedNetPortal.CircuitDriver;

/// <summary>
/// The real portal as a process of its own (so that its CPU time and heap are the server's alone): the built
/// <c>MedNetPortal.Web.dll</c> of this configuration, in Development (the embedded demo configuration the browser driver used
/// too), demo data, a fresh temporary data folder, http://127.0.0.1:{free port}, warnings only on the console.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string dataDirectory;

    private PortalProcess(Process process, Uri root, string dataDirectory)
    {
        this.process = process;
        Root = root;
        this.dataDirectory = dataDirectory;
    }

    public Uri Root { get; }

    public int Pid => process.Id;

    public static async Task<PortalProcess> StartAsync(string repositoryRoot, string configuration, IReadOnlyDictionary<string, string> extraSettings, CancellationToken cancellationToken)
    {
        var webProject = Path.Combine(repositoryRoot, "src", "MedNetPortal.Web");
        var dll = Path.Combine(webProject, "bin", configuration, "net10.0", "MedNetPortal.Web.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the portal first ({dll} is missing): dotnet build -c {configuration} src/MedNetPortal.Web", dll);
        }

        var port = FreePort();
        var root = new Uri($"http://127.0.0.1:{port}/");
        var data = Directory.CreateTempSubdirectory("mednet-circuits-").FullName;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = webProject, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        var settings = new Dictionary<string, string>
        {
            ["urls"] = root.ToString().TrimEnd('/'),
            ["Storage:DataDirectory"] = data,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in BaseClientCredentials.BaseSettings)
        {
            settings[key] = value!;
        }

        foreach (var (key, value) in extraSettings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portal = new PortalProcess(process, root, data);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with {process.ExitCode} during start-up.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(root, "account/login"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return portal;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                await portal.DisposeAsync();
                throw new TimeoutException("The portal did not answer within 3 minutes.");
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Log(string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            Console.WriteLine("  [portal] " + line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
