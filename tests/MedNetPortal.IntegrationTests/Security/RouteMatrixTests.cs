using System.Net;
using System.Reflection;
using MedNetPortal.IntegrationTests.Account;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Security;

/// <summary>
/// Issue 11, acceptance: every page and endpoint of the app, by every role (anonymous, Clinician, FacilityAdmin, SystemAdmin,
/// a user of a deactivated facility), and by own and other facility where the answer depends on it. The routes are read
/// from the app itself (routable components and the endpoint data source): a new route without a row here fails
/// <see cref="Every_route_of_the_app_has_an_expectation"/>.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class RouteMatrixTests(SecurityPortal portal)
{
    private const string AnyGuid = "0f8fad5b-d9cb-469f-a165-70867728950e";

    /// <summary>What a request must come to.</summary>
    public sealed record Outcome(HttpStatusCode Status, string? LocationStartsWith = null, string? Contains = null, string? Lacks = null)
    {
        public override string ToString() =>
            $"{(int)Status}{(LocationStartsWith is null ? "" : " → " + LocationStartsWith)}{(Contains is null ? "" : " containing " + Contains)}{(Lacks is null ? "" : " lacking " + Lacks)}";
    }

    /// <summary>One request to make as every actor, and what each must get.</summary>
    public sealed record Case(string Pattern, HttpMethod Method, string Path, IReadOnlyDictionary<Actor, Outcome> Expected, bool ActivityHeader = false);

    private static readonly Outcome Ok = new(HttpStatusCode.OK);
    private static readonly Outcome Login = new(HttpStatusCode.Redirect, "/account/login");
    private static readonly Outcome Denied = new(HttpStatusCode.Redirect, "/account/access-denied");

    /// <summary>Any refusal (3xx or 4xx): what the framework's circuit endpoints answer without a session.</summary>
    private static readonly Outcome Refused = new(0);
    private static readonly Actor[] Everyone = Enum.GetValues<Actor>();
    private static readonly Actor[] SignedIn = [Actor.ClinicianA, Actor.ClinicianB, Actor.FacilityAdminA, Actor.SystemAdmin];

    /// <summary>
    /// The central base's endpoints: who may call them is the base's OAuth 2.0 (docs/security-base.md), not the portal's
    /// roles. What the matrix asserts there: a portal session grants nothing; each answers a signed-in portal user exactly as
    /// it answers an anonymous caller.
    /// </summary>
    private const string CentralBasePrefix = "/fhir";

    /// <summary>Framework endpoints of the Blazor circuit: a circuit needs a session.</summary>
    private static readonly string[] CircuitPatterns = ["/_blazor", "/_blazor/negotiate", "/_blazor/disconnect", "/_blazor/initializers"];

    private IReadOnlyList<Case> Cases()
    {
        var cases = new List<Case>();

        void Add(string pattern, string path, Func<Actor, Outcome> expected, HttpMethod? method = null, bool activityHeader = false) =>
            cases.Add(new Case(pattern, method ?? HttpMethod.Get, path, Everyone.ToDictionary(a => a, expected), activityHeader));

        // Anyone signed in; a deactivated facility's user is signed out at the next request.
        Outcome SignedInOnly(Actor a) => a is Actor.Anonymous or Actor.DeactivatedClinician ? Login : Ok;
        Outcome Clinicians(Actor a) => a switch
        {
            Actor.Anonymous or Actor.DeactivatedClinician => Login,
            Actor.ClinicianA or Actor.ClinicianB => Ok,
            _ => Denied,
        };
        Outcome Administrators(Actor a) => a switch
        {
            Actor.Anonymous or Actor.DeactivatedClinician => Login,
            Actor.FacilityAdminA or Actor.SystemAdmin => Ok,
            _ => Denied,
        };

        Add("/", "/", SignedInOnly);
        Add("/not-found", "/not-found", SignedInOnly);
        Add("/Error", "/Error", SignedInOnly);
        Add("/account/login", "/account/login", _ => Ok);
        Add("/account/access-denied", "/account/access-denied", SignedInOnly);
        // Entra ID mode's page; in the local mode it only explains, and shows nothing of anyone.
        Add("/account/not-registered", "/account/not-registered", SignedInOnly);
        // Without a pending password step the code pages go back to the sign-in page.
        Add("/account/login-2fa", "/account/login-2fa", _ => Login);
        Add("/account/login-recovery", "/account/login-recovery", _ => Login);
        Add("/account/two-factor", "/account/two-factor", SignedInOnly);

        Add("/patients", "/patients", Clinicians);
        Add("/patients/{Id}", $"/patients/{AnyGuid}", Clinicians);
        Add("/patients/{Id}/emergency", $"/patients/{AnyGuid}/emergency", Clinicians);
        Add("/referrals/inbox", "/referrals/inbox", Clinicians);
        Add("/referrals/outbox", "/referrals/outbox", Clinicians);
        Add("/referrals/new", "/referrals/new", Clinicians);
        Add("/referrals/drafts", "/referrals/drafts", Clinicians);
        Add("/referrals/drafts/{DraftId:guid}", $"/referrals/drafts/{AnyGuid}", Clinicians);

        // A letter is facility-sensitive: A to B is both facilities' correspondence; A to the regional hospital is only A's.
        Add("/letters/{Id}", $"/letters/{portal.LetterAtoB}", a => Clinicians(a) == Ok ? Ok with { Contains = "data-testid=\"document-viewer\"" } : Clinicians(a));
        Add("/letters/{Id}", $"/letters/{portal.LetterAtoRegional}", a => a switch
        {
            Actor.ClinicianA => Ok with { Contains = "data-testid=\"document-viewer\"" },
            Actor.ClinicianB => Ok with { Contains = "data-testid=\"letter-not-found\"", Lacks = "data-testid=\"document-viewer\"" },
            _ => Clinicians(a),
        });
        // A patient list is not an id (issue 11, item 2): the request is refused as a whole, even for the letter's own facility.
        Add("/letters/{Id}", $"/letters/{portal.LetterAtoRegional}?patient={portal.PatientId(DemoPatients.SatoKenichi)},{portal.PatientId(DemoPatients.SuzukiTome)}", a =>
            Clinicians(a) == Ok ? Ok with { Contains = "data-testid=\"letter-not-found\"", Lacks = "data-testid=\"document-viewer\"" } : Clinicians(a));

        Add("/admin/accounts", "/admin/accounts", Administrators);
        Add("/admin/accounts/new", "/admin/accounts/new", Administrators);
        // Own facility's record vs another's is decided by the services, which these pages load only once live:
        // ServiceMatrixTests asks them directly.
        Add("/admin/accounts/{Id}", $"/admin/accounts/{portal.IdOf(Actor.ClinicianB)}", Administrators);
        Add("/admin/facilities", "/admin/facilities", Administrators);
        Add("/admin/facilities/new", "/admin/facilities/new", Administrators);
        Add("/admin/facilities/{Code}", $"/admin/facilities/{DemoFacilities.ClinicCode}", Administrators);
        Add("/admin/audit", "/admin/audit", Administrators);
        Add("/admin/notifications", "/admin/notifications", a => a switch
        {
            Actor.Anonymous or Actor.DeactivatedClinician => Login,
            Actor.FacilityAdminA => Ok,
            _ => Denied,
        });

        // Endpoints.
        Add("/culture/set", "/culture/set?culture=en&redirectUri=%2Fpatients", _ => new Outcome(HttpStatusCode.Redirect, "/patients"));
        Add("/health", "/health", a => a == Actor.SystemAdmin
            ? Ok with { Contains = "\"entries\"" }
            : Ok with { Contains = "Healthy", Lacks = "entries" });
        // Without an antiforgery token a signed-in sign-out is refused (a cross-site form cannot end a session); anonymous: the sign-in page.
        Add("/account/logout", "/account/logout", a => a is Actor.Anonymous or Actor.DeactivatedClinician
            ? new Outcome(HttpStatusCode.Redirect, "/account/login")
            : new Outcome(HttpStatusCode.BadRequest), HttpMethod.Post);
        Add("/account/activity", "/account/activity", a => a is Actor.Anonymous or Actor.DeactivatedClinician
            ? new Outcome(HttpStatusCode.Unauthorized)
            : new Outcome(HttpStatusCode.NoContent), HttpMethod.Post, activityHeader: true);
        // The circuit: no session, no circuit.
        Add("/_blazor/negotiate", "/_blazor/negotiate?negotiateVersion=1", a => SignedIn.Contains(a) ? Ok : Refused, HttpMethod.Post);
        Add("/_blazor", "/_blazor", a => SignedIn.Contains(a) ? new Outcome(HttpStatusCode.BadRequest) : Refused);
        Add("/_blazor/disconnect", "/_blazor/disconnect", a => SignedIn.Contains(a) ? new Outcome(HttpStatusCode.BadRequest) : Refused, HttpMethod.Post);
        Add("/_blazor/initializers", "/_blazor/initializers", a => SignedIn.Contains(a) ? Ok : Refused);
        // Blazor's redirect helper for enhanced navigation: it only redirects, to a local address.
        Add("/_framework/opaque-redirect", "/_framework/opaque-redirect", a => SignedIn.Contains(a) ? Refused : Refused);
        // Static files (scripts, styles, fonts: no data) for anyone; a missing one is a 404 for anyone.
        Add("/{**path:file}", "/no-such-file.css", a => SignedIn.Contains(a) ? new Outcome(HttpStatusCode.NotFound) : Login);
        return cases;
    }

    [Fact]
    public void Every_route_of_the_app_has_an_expectation()
    {
        var declared = Cases().Select(c => c.Pattern).ToHashSet(StringComparer.Ordinal);
        var missing = AppRoutes().Where(r => !declared.Contains(r) && !r.StartsWith(CentralBasePrefix + "/", StringComparison.Ordinal) && r != CentralBasePrefix)
            .ToList();

        Assert.True(missing.Count == 0, "Routes without an expectation in the security matrix: " + string.Join(", ", missing));
        // And no row for a route that no longer exists.
        var routes = AppRoutes().ToHashSet(StringComparer.Ordinal);
        var stale = declared.Where(d => !routes.Contains(d)).ToList();
        Assert.True(stale.Count == 0, "Rows for routes the app no longer has: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Every_page_and_endpoint_answers_every_role_as_declared()
    {
        var browsers = new Dictionary<Actor, PortalBrowser>();
        try
        {
            foreach (var actor in Everyone)
            {
                browsers[actor] = await portal.BrowserAsync(actor);
            }

            await portal.DeactivateFacilityDAsync();
            var failures = new List<string>();
            foreach (var c in Cases())
            {
                foreach (var (actor, expected) in c.Expected)
                {
                    using var request = new HttpRequestMessage(c.Method, new Uri(c.Path, UriKind.Relative));
                    if (c.ActivityHeader)
                    {
                        request.Headers.Add(MedNetPortal.Web.Features.Account.AccountExtensions.ActivityHeader, "1");
                    }

                    if (c.Method == HttpMethod.Post)
                    {
                        request.Content = new FormUrlEncodedContent([]);
                    }

                    using var response = await browsers[actor].Client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    var location = PortalBrowser.LocationOf(response);
                    var ok = (expected.Status == 0 ? (int)response.StatusCode is >= 300 and < 500 : response.StatusCode == expected.Status)
                             && (expected.LocationStartsWith is null || location?.StartsWith(expected.LocationStartsWith, StringComparison.Ordinal) == true)
                             && (expected.Contains is null || body.Contains(expected.Contains, StringComparison.Ordinal))
                             && (expected.Lacks is null || !body.Contains(expected.Lacks, StringComparison.Ordinal));
                    if (!ok)
                    {
                        failures.Add($"{c.Method} {c.Path} as {actor}: expected {expected}, got {(int)response.StatusCode} {location}");
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            foreach (var browser in browsers.Values)
            {
                browser.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_portal_session_grants_nothing_on_the_central_base()
    {
        using var anonymous = portal.Factory.CreatePortalClient();
        using var clinician = await portal.BrowserAsync(Actor.ClinicianA);
        var failures = new List<string>();
        foreach (var path in new[] { "/fhir/metadata", "/fhir/Patient", "/fhir/Patient/x", "/fhir/Patient/x/_history", "/fhir/_history", "/fhir/Consent/_history" })
        {
            using var a = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            using var c = await clinician.Client.GetAsync(new Uri(path, UriKind.Relative));
            if (a.StatusCode != c.StatusCode)
            {
                failures.Add($"{path}: anonymous {(int)a.StatusCode}, with a clinician's session {(int)c.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Every base route is under the base's path, where only the base's own rules apply.
        Assert.All(AppRoutes().Where(r => r.StartsWith(CentralBasePrefix, StringComparison.Ordinal)), r => Assert.StartsWith(CentralBasePrefix, r, StringComparison.Ordinal));
    }

    /// <summary>The app's routes: routable components' templates and every route endpoint that is not a static file.</summary>
    private IEnumerable<string> AppRoutes()
    {
        var components = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => Normal(r.Template));
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !IsStaticFile(e))
            .Select(e => Normal(e.RoutePattern.RawText ?? string.Empty));
        return components.Concat(endpoints).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    private static string Normal(string template) => "/" + template.Trim('/');

    /// <summary>Static files are public by design (CSS, scripts, fonts; no data): MapStaticAssets and the framework's scripts.</summary>
    private static bool IsStaticFile(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().FullName?.StartsWith("Microsoft.AspNetCore.StaticAssets.", StringComparison.Ordinal) == true)
        || endpoint.DisplayName?.StartsWith("Blazor static files", StringComparison.Ordinal) == true;
}
