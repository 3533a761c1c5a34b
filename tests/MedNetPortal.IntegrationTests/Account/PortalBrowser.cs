using System.Net;
using System.Text.RegularExpressions;
using MedNetPortal.IntegrationTests.Web;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Account;

/// <summary>
/// An HTTP client that behaves like a browser for the portal's static forms: keeps cookies, does not follow redirects, and posts
/// forms with their antiforgery token. <see cref="SignInAsync"/> signs in through the real sign-in form.
/// </summary>
public sealed partial class PortalBrowser : IDisposable
{
    private PortalBrowser(Uri root)
    {
        Root = root;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true })
        {
            BaseAddress = root,
        };
    }

    public Uri Root { get; }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client { get; }

    public static PortalBrowser Open(PortalFactory factory) => new(factory.RootUri);

    /// <summary>A browser already signed in as <paramref name="email"/> (an account made with <see cref="TestAccounts.CreateAsync"/>).</summary>
    public static async Task<PortalBrowser> SignedInAsync(PortalFactory factory, string email, string password = TestAccounts.Password)
    {
        var browser = Open(factory);
        using var response = await browser.SignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {response.StatusCode}");
        }

        return browser;
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>GETs <paramref name="pagePath"/>, then posts the named form (Blazor's <c>_handler</c>) with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string formName, IReadOnlyDictionary<string, string> fields, string? action = null)
    {
        var (_, html) = await GetAsync(pagePath);
        var token = TokenInput().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {pagePath}");
        }

        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value };
        if (formName.Length > 0)
        {
            form["_handler"] = formName;
        }

        using var content = new FormUrlEncodedContent(form);
        return await Client.PostAsync(new Uri(action ?? pagePath, UriKind.Relative), content);
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password, string? returnUrl = null) =>
        PostFormAsync(
            returnUrl is null ? AccountExtensions.LoginPath : $"{AccountExtensions.LoginPath}?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            "login",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>Posts the sign-out form the app bar's user menu holds (its token comes from <paramref name="fromPage"/>).</summary>
    public Task<HttpResponseMessage> SignOutAsync(string fromPage = "/", string? reason = null, string? returnUrl = null)
    {
        var fields = new Dictionary<string, string>();
        if (reason is not null)
        {
            fields["Reason"] = reason;
        }

        if (returnUrl is not null)
        {
            fields["ReturnUrl"] = returnUrl;
        }

        return PostFormAsync(fromPage, string.Empty, fields, AccountExtensions.LogoutPath);
    }

    /// <summary>A redirect's target as path and query (Blazor's redirects are absolute, the cookie handler's relative).</summary>
    public static string? LocationOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        return location is null ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}

/// <summary>Accounts made directly in the portal database for tests.</summary>
public static class TestAccounts
{
    public const string Password = "Test-Passw0rd!";

    public static async Task<string> CreateAsync(
        IServiceProvider services,
        string email,
        string role = PortalRoles.Clinician,
        DemoFacility? facility = null,
        string password = Password,
        Action<PortalUser>? configure = null)
    {
        facility ??= role == PortalRoles.SystemAdmin ? null : DemoFacilities.Hospital;
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "試験 太郎",
            DisplayNameKana = "シケン タロウ",
            FacilityCode = facility?.Code,
            FacilityName = facility?.Name,
            Profession = Profession.Doctor,
        };
        configure?.Invoke(user);
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
        return user.Id;
    }

    public static async Task UpdateAsync(IServiceProvider services, string email, Action<PortalUser> change)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
        change(user);
        Check(await users.UpdateAsync(user));
    }

    public static async Task<PortalUser?> FindAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
