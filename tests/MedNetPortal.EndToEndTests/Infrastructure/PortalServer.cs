using MedNetPortal.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>
/// The end-to-end tier's portal: <see cref="TestPortal"/> (the real portal on Kestrel, embedded defaults) with its logs
/// captured for the tests that read them, and base-client paths relative to the root (<c>fhir/…</c>).
/// </summary>
public class PortalServer : TestPortal
{
    /// <param name="overrides">Settings over the embedded defaults.</param>
    /// <param name="testServices">Services replaced for the test (only what the test is not about).</param>
    public PortalServer(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? testServices = null)
        : base(overrides, testServices: testServices, dataFolderPrefix: "mednet-e2e-")
    {
    }

    protected override Uri BaseClientAddress => RootUri;

    protected override void ConfigureTestHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging
            .AddProvider(CapturedLogs.Shared)
            // The console gets warnings only: request lines at Information buried the failing test's message in CI.
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning));
    }
}
