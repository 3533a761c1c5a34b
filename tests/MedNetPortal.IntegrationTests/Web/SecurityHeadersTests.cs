using System.Net;
using System.Text.RegularExpressions;
using MedNetPortal.Web.Host.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MedNetPortal.IntegrationTests.Web;

/// <summary>The headers of Host/Security on pages, the sign-in page, static assets and the /fhir API; HSTS outside Development.</summary>
public sealed partial class SecurityHeadersTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/")] // redirects to sign-in: the redirect carries the headers too
    [InlineData("/account/login")]
    [InlineData("/not-a-page")]
    [InlineData("/assets/css/app.css")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/fhir/metadata")]
    public async Task Every_response_has_the_csp_nosniff_and_no_referrer(string path)
    {
        using var client = factory.CreatePortalClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.True((int)response.StatusCode < 500, $"{path}: {response.StatusCode}");
        var csp = Single(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Matches(ScriptSrc(), csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        // Development over plain HTTP: never HSTS.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_import_map_carries_the_nonce_of_its_own_response_and_nonces_differ_per_response()
    {
        using var client = factory.CreatePortalClient();

        using var first = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        using var second = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var html = await first.Content.ReadAsStringAsync();

        var nonce = ScriptSrc().Match(Single(first, "Content-Security-Policy")).Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.NotEqual(nonce, ScriptSrc().Match(Single(second, "Content-Security-Policy")).Groups[1].Value);
        // The only inline script on the page is the import map; everything else is a file from 'self'.
        Assert.Single(InlineScript().Matches(html));
    }

    [Fact]
    public void SignalR_and_circuit_limits_are_the_stated_ones()
    {
        Assert.Equal(SecurityHeaders.MaximumReceiveMessageSize, factory.Services.GetRequiredService<IOptions<HubOptions>>().Value.MaximumReceiveMessageSize);
        var circuits = factory.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(3), circuits.DisconnectedCircuitRetentionPeriod);
        Assert.Equal(100, circuits.DisconnectedCircuitMaxRetained);
    }

    [Fact]
    public async Task Production_sends_hsts_on_https_and_keeps_the_other_headers()
    {
        await using var production = new HttpsProxyFactory("Production");
        using var client = production.CreatePortalClient();

        // Not on static assets: outside Development their endpoint replaces the headers set before it, including the framework's
        // HSTS (ours are re-applied when the response starts). Browsers keep HSTS per host from any response, and the first one
        // is always a page.
        foreach (var path in new[] { "/account/login", "/fhir/metadata" })
        {
            using var response = await client.SendAsync(OnPublicHost(path));
            Assert.True((int)response.StatusCode < 500, $"{path}: {response.StatusCode}");
            Assert.True(response.Headers.Contains("Strict-Transport-Security"), $"{path}: no HSTS");
            Assert.StartsWith("max-age=", Single(response, "Strict-Transport-Security"), StringComparison.Ordinal);
            Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
            Assert.Contains("frame-ancestors 'none'", Single(response, "Content-Security-Policy"), StringComparison.Ordinal);
        }

        using var asset = await client.SendAsync(OnPublicHost("/assets/css/app.css"));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("nosniff", Single(asset, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(asset, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Single(asset, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_sends_no_hsts_even_on_https()
    {
        await using var development = new HttpsProxyFactory("Development");
        using var client = development.CreatePortalClient();

        using var response = await client.SendAsync(OnPublicHost("/account/login"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
    }

    // HSTS is never sent for localhost / 127.0.0.1 (the framework's excluded hosts): ask for a public host name.
    private static HttpRequestMessage OnPublicHost(string path) =>
        new(HttpMethod.Get, new Uri(path, UriKind.Relative)) { Headers = { Host = "portal.example.jp" } };

    private static string Single(HttpResponseMessage response, string name)
    {
        var values = response.Headers.TryGetValues(name, out var v) ? v.ToList() : [];
        if (response.Content.Headers.TryGetValues(name, out var c))
        {
            values.AddRange(c);
        }

        Assert.True(values.Count == 1, $"{name}: expected one value, got {values.Count}");
        return values[0];
    }

    [GeneratedRegex("script-src 'self' 'nonce-([A-Za-z0-9+/=]{20,})';")]
    private static partial Regex ScriptSrc();

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();

    /// <summary>
    /// The portal behind a TLS-terminating proxy: HSTS is only sent on HTTPS requests, and the test server speaks plain HTTP,
    /// so a start-up filter marks each request as HTTPS before the app's own pipeline (what forwarded headers would do).
    /// </summary>
    private sealed class HttpsProxyFactory(string environment) : PortalFactory(new Dictionary<string, string?>(), environment)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddTransient<IStartupFilter, HttpsScheme>());
        }
    }

    private sealed class HttpsScheme : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                context.Request.Scheme = "https";
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
