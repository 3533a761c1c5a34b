using System.Net;
using System.Text.RegularExpressions;

namespace MedNetPortal.CircuitDriver;

/// <summary>
/// A signed-in browser session without a browser: the sign-in page's form (its hidden antiforgery and handler fields), posted
/// with the email and password, leaves the authentication cookie in <see cref="Cookies"/>.
/// </summary>
internal sealed partial class SignInSession : IDisposable
{
    private SignInSession(Uri root, CookieContainer cookies, HttpClient http)
    {
        Root = root;
        Cookies = cookies;
        Http = http;
    }

    public Uri Root { get; }

    public CookieContainer Cookies { get; }

    /// <summary>An HTTP client carrying the session's cookies (for the pages' prerendered HTML).</summary>
    public HttpClient Http { get; }

    public static async Task<SignInSession> SignInAsync(Uri root, string email, string password, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var form = await http.GetStringAsync("account/login", cancellationToken);
            var fields = HiddenInputs().Matches(form)
                .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
                .ToList();
            fields.Add(new("Input.Email", email));
            fields.Add(new("Input.Password", password));
            using var body = new FormUrlEncodedContent(fields);
            using var response = await http.PostAsync("account/login", body, cancellationToken);
            // Success is a redirect away from the sign-in page, with the authentication cookie set.
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
                || response.Headers.Location?.ToString().Contains("account/login", StringComparison.Ordinal) == true)
            {
                throw new InvalidOperationException($"Sign-in as {email} failed: HTTP {(int)response.StatusCode} {response.Headers.Location}");
            }

            return new SignInSession(root, cookies, http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex HiddenInputs();
}
