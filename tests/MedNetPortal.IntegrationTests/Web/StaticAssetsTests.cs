using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace MedNetPortal.IntegrationTests.Web;

/// <summary>The sources in wwwroot-assets/ are served under /assets/, fingerprinted by MapStaticAssets.</summary>
public sealed partial class StaticAssetsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("assets/css/app.css", "text/css", ".portal-brand")]
    [InlineData("assets/css/print.css", "text/css", "@page")]
    [InlineData("assets/img/logo.svg", "image/svg+xml", "<svg")]
    [InlineData("assets/js/print.js", "text/javascript", "export function printPage")]
    public async Task Asset_sources_are_served_with_their_content_type(string path, string contentType, string expected)
    {
        using var client = factory.CreatePortalClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, body, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(RepositoryFiles.Path("wwwroot-assets/" + path["assets/".Length..])), body);
    }

    [Fact]
    public async Task Layout_links_fingerprinted_styles_and_the_print_stylesheet()
    {
        using var client = factory.CreatePortalClient();
        var html = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));

        var app = AppCssLink().Match(html);
        Assert.True(app.Success, "the layout links assets/css/app.{fingerprint}.css");
        Assert.Matches(PrintCssLink(), html);

        using var response = await client.GetAsync(new Uri(app.Groups[1].Value, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(".portal-brand", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("href=\"(assets/css/app\\.[a-z0-9]+\\.css)\"")]
    private static partial Regex AppCssLink();

    [GeneratedRegex("href=\"assets/css/print\\.[a-z0-9]+\\.css\" media=\"print\"")]
    private static partial Regex PrintCssLink();
}

/// <summary>
/// <c>dotnet publish</c> of the web project puts the assets in its output, and the published app serves them.
/// Slow (one Release build), so it is its own class: xunit runs it alongside the rest.
/// </summary>
public sealed class PublishedAssetsTests
{
    [Fact]
    public async Task Publish_output_contains_and_serves_the_assets()
    {
        var output = Directory.CreateTempSubdirectory("mednet-publish-").FullName;
        try
        {
            var (code, log) = await RunAsync("dotnet", $"publish \"{RepositoryFiles.Path("src/MedNetPortal.Web")}\" -c Release --no-restore -o \"{output}\" -p:UseAppHost=false", TimeSpan.FromMinutes(4));
            Assert.True(code == 0, "dotnet publish failed:\n" + log);

            foreach (var file in new[] { "css/app.css", "css/print.css", "img/logo.svg", "js/print.js" })
            {
                Assert.True(File.Exists(Path.Combine(output, "wwwroot", "assets", file)), $"wwwroot/assets/{file} is published");
            }

            var endpoints = await File.ReadAllTextAsync(Path.Combine(output, "MedNetPortal.Web.staticwebassets.endpoints.json"));
            Assert.Contains("\"Route\":\"assets/css/app.css\"", endpoints, StringComparison.Ordinal);

            await using var app = await PublishedApp.StartAsync(output);
            using var client = new HttpClient { BaseAddress = app.Root };
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", "127.0.0.1");
            using var response = await client.GetAsync(new Uri("assets/css/print.css", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("@page", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Outside Development the fingerprinted URL the layout links is cached for good.
            var html = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
            var link = Regex.Match(html, "href=\"(assets/css/app\\.[a-z0-9]+\\.css)\"").Groups[1].Value;
            using var fingerprinted = await client.GetAsync(new Uri(link, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, fingerprinted.StatusCode);
            Assert.Contains("immutable", fingerprinted.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task<(int Code, string Log)> RunAsync(string file, string arguments, TimeSpan limit)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFiles.Root,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private sealed class PublishedApp : IAsyncDisposable
    {
        private readonly Process process;

        private PublishedApp(Process process, Uri root)
        {
            this.process = process;
            Root = root;
        }

        public Uri Root { get; }

        public static async Task<PublishedApp> StartAsync(string folder)
        {
            var data = Directory.CreateTempSubdirectory("mednet-published-data-").FullName;
            var info = new ProcessStartInfo("dotnet", $"\"{Path.Combine(folder, "MedNetPortal.Web.dll")}\" --urls http://127.0.0.1:0")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
            };
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            info.Environment["Storage__DataDirectory"] = data;
            // A fresh data folder: outside Development pending migrations stop start-up unless applied here (or by `migrate`).
            info.Environment["Database__MigrateOnStartup"] = "true";
            info.Environment["CentralFhir__BaseUrl"] = "http://127.0.0.1:9/fhir/";
            // Outside Development plain HTTP is redirected: the test client speaks as a TLS-terminating proxy would.
            info.Environment["Proxy__KnownProxies"] = "127.0.0.1";
            info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
            var process = Process.Start(info)!;
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                var at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
                if (at >= 0)
                {
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new PublishedApp(process, new Uri(line[(at + "Now listening on: ".Length)..].Trim() + "/"));
                }
            }

            throw new InvalidOperationException("The published app exited before listening: " + await process.StandardError.ReadToEndAsync(cts.Token));
        }

        public async ValueTask DisposeAsync()
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
