using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using MedNetPortal.FhirBase.Http;

namespace MedNetPortal.FhirBase.Search;

/// <summary>
/// Paging links carry the search as an encrypted <c>_page</c> token rather than the parameters themselves, because search
/// parameters hold identifiers and names and links end up in URLs, proxies and logs.
/// </summary>
internal sealed class PageLinks(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("MedNetPortal.FhirBase.PageLinks.v1");

    public string Link(FhirContext context, string type, IReadOnlyList<KeyValuePair<string, string>> query, int offset)
    {
        var pairs = query.Where(p => p.Key is not ("_offset" or "_page" or "_format"))
            .Append(new KeyValuePair<string, string>("_offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var text = QueryString.Create(pairs!).ToUriComponent();
        return $"{context.BaseUrl}/{type}?_page={Uri.EscapeDataString(_protector.Protect(text))}";
    }

    /// <summary>The search a <c>_page</c> token stands for; other parameters next to it are refused.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Resolve(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var token = query.FirstOrDefault(p => p.Key == "_page").Value;
        if (token is null)
        {
            return query;
        }
        if (query.Any(p => p.Key is not ("_page" or "_format")))
        {
            throw FhirException.BadRequest("_page cannot be combined with other search parameters.", "_page");
        }
        string text;
        try
        {
            text = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            throw new FhirException(410, Hl7.Fhir.Model.OperationOutcome.IssueType.NotFound,
                "This paging link is invalid or has expired; repeat the search.", "_page");
        }
        return QueryHelpers.ParseQuery(text)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty)))
            .ToList();
    }
}
