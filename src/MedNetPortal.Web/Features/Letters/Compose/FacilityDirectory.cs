using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Facilities;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>A facility a letter can be addressed to, as the directory lists it.</summary>
/// <param name="OrganizationId">The base's Organization id.</param>
/// <param name="Name">医療機関名.</param>
/// <param name="Kana">The name in kana (Organization.alias), if any.</param>
/// <param name="Code">医療機関コード, if the Organization carries one.</param>
/// <param name="Address">The address as one line.</param>
/// <param name="PostalCode">郵便番号.</param>
/// <param name="Phone">The first phone number.</param>
/// <param name="Departments">Departments known from the facility's PractitionerRoles (and its department extension), distinct, in order.</param>
/// <param name="AcceptsElectronicLetters">From the portal's facility record: true when registered, active and accepting
/// electronic letters; false when registered but not accepting or inactive (offer the printed letter); null when the
/// portal has no record of the facility (unknown).</param>
public sealed record FacilitySummary(
    string OrganizationId,
    string Name,
    string? Kana,
    string? Code,
    string? Address,
    string? PostalCode,
    string? Phone,
    IReadOnlyList<string> Departments,
    bool? AcceptsElectronicLetters);

/// <summary>The facilities found, and whether there were more than the directory looked at.</summary>
/// <param name="Facilities">The matches, in the base's order.</param>
/// <param name="Incomplete">True when the base had more matching (or, for phone and postcode, more scanned) Organizations
/// than one page of <see cref="FacilityDirectory.PageSize"/>: the UI must say so and ask for a narrower query.</param>
public sealed record FacilitySearchResult(IReadOnlyList<FacilitySummary> Facilities, bool Incomplete);

/// <summary>
/// Finds destination facilities among the base's Organizations, in one request per search: by 医療機関コード (10 digits →
/// <c>identifier</c>), by name or kana (<c>name</c>, which the base matches against Organization.name and .alias as a
/// case-, width-insensitive prefix; a hiragana query is also tried as katakana), or by phone or postcode.
/// </summary>
/// <remarks>
/// The base has no Organization <c>phone</c> or <c>address-postalcode</c> search parameter (docs/fhir-base.md), so phone and
/// postcode queries read one page of up to <see cref="ScanLimit"/> Organizations and filter them here by digits;
/// beyond that the result says <see cref="FacilitySearchResult.Incomplete"/>. Searches go by POST <c>_search</c>.
/// The connection flag of every facility found comes from the portal's facility records in one database query per search.
/// </remarks>
public sealed partial class FacilityDirectory(CentralFhirClient client, IFacilityRegistry registry) : IFacilityDirectory
{
    /// <summary>At most this many matching Organizations (with their PractitionerRoles) per name or code search.</summary>
    public const int PageSize = 50;

    /// <summary>At most this many Organizations are scanned for a phone or postcode query.</summary>
    public const int ScanLimit = 500;

    /// <summary>Searches the directory; an empty query lists the first page of facilities.</summary>
    public async Task<FacilitySearchResult> SearchAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Normalize(NormalizationForm.FormKC).Trim();
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());

        if (TenDigits().IsMatch(text))
        {
            return await SearchPageAsync(new FhirSearchParameters().Add("identifier", FhirSearchValue.Token(JpFhir.Systems.MedicalInstitutionCode, text)), cancellationToken).ConfigureAwait(false);
        }

        if (PostalCode().IsMatch(text) || PhoneNumber().IsMatch(text))
        {
            var isPostal = PostalCode().IsMatch(text);
            var page = await client.SearchPostAsync<Organization>(
                new FhirSearchParameters().Add("_count", ScanLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            var all = Summaries(page);
            var matches = all.Where(f => isPostal ? Digits(f.PostalCode) == digits : Digits(f.Phone) == digits).ToList();
            return await WithConnectionsAsync(new FacilitySearchResult(matches, HasMore(page, all.Count)), cancellationToken).ConfigureAwait(false);
        }

        var term = SearchEscapes().Replace(text, string.Empty);
        var parameters = new FhirSearchParameters();
        if (term.Length > 0)
        {
            var katakana = ToKatakana(term);
            // Two values, one OR: each escaped, the comma between them the only syntax.
            parameters.Add("name", katakana == term ? FhirSearchValue.Escape(term) : $"{FhirSearchValue.Escape(term)},{FhirSearchValue.Escape(katakana)}");
        }

        return await SearchPageAsync(parameters, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FacilitySearchResult> SearchPageAsync(FhirSearchParameters parameters, CancellationToken cancellationToken)
    {
        parameters.Add("_revinclude", "PractitionerRole:organization");
        // _count bounds matches and included roles together; a page that ends early has a next link, reported as Incomplete.
        parameters.Add("_count", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var page = await client.SearchPostAsync<Organization>(parameters, cancellationToken).ConfigureAwait(false);
        var summaries = Summaries(page);
        return await WithConnectionsAsync(new FacilitySearchResult(summaries, HasMore(page, summaries.Count)), cancellationToken).ConfigureAwait(false);
    }

    private async Task<FacilitySearchResult> WithConnectionsAsync(FacilitySearchResult result, CancellationToken cancellationToken)
    {
        var codes = result.Facilities.Select(f => f.Code).OfType<string>().ToList();
        if (codes.Count == 0)
        {
            return result;
        }

        var connections = await registry.GetConnectionsAsync(codes, cancellationToken).ConfigureAwait(false);
        return result with
        {
            Facilities = result.Facilities
                .Select(f => f with { AcceptsElectronicLetters = f.Code is not null && connections.TryGetValue(f.Code, out var connected) ? connected : null })
                .ToList(),
        };
    }

    private static bool HasMore(Bundle page, int matchesRead) =>
        page.Link.Any(l => l.Relation == "next") || (page.Total is int total && total > matchesRead);

    private static List<FacilitySummary> Summaries(Bundle page)
    {
        var roles = page.Entry.Select(e => e.Resource).OfType<PractitionerRole>().ToList();
        return page.Entry
            .Where(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match)
            .Select(e => e.Resource)
            .OfType<Organization>()
            .Select(o => ToSummary(o, roles))
            .ToList();
    }

    private static FacilitySummary ToSummary(Organization organization, List<PractitionerRole> roles)
    {
        var reference = "Organization/" + organization.Id;
        var departments = organization.Extension
            .Select(x => x.Value).OfType<CodeableConcept>()
            .Where(c => c.Coding.Any(cd => cd.System == JpFhir.Systems.ClinicalDepartment))
            .Concat(roles.Where(r => r.Organization?.Reference == reference).SelectMany(r => r.Specialty))
            .Select(c => c.Text ?? c.Coding.FirstOrDefault()?.Display)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var address = organization.Address.FirstOrDefault();
        return new FacilitySummary(
            organization.Id ?? string.Empty,
            organization.Name ?? string.Empty,
            organization.Alias.FirstOrDefault(),
            organization.Identifier.FirstOrDefault(i => i.System == JpFhir.Systems.MedicalInstitutionCode)?.Value,
            address?.Text ?? (address is null ? null : $"{address.State}{address.City}{string.Concat(address.Line)}"),
            address?.PostalCode,
            organization.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone)?.Value,
            departments,
            AcceptsElectronicLetters: null);
    }

    private static string Digits(string? value) => new((value ?? string.Empty).Where(char.IsAsciiDigit).ToArray());

    /// <summary>Hiragana to katakana (kana aliases are usually katakana; users often type hiragana).</summary>
    internal static string ToKatakana(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= '\u3041' and <= '\u3096' ? (char)(c + 0x60) : c;
            }
        });

    [GeneratedRegex(@"^\d{10}$")]
    private static partial Regex TenDigits();

    [GeneratedRegex(@"^〒?\s*\d{3}-\d{4}$|^〒\s*\d{7}$")]
    private static partial Regex PostalCode();

    [GeneratedRegex(@"^0\d{1,4}-\d{1,4}-\d{3,4}$|^0\d{8,9}$|^0\d{11}$")]
    private static partial Regex PhoneNumber();

    /// <summary>Characters with a meaning in FHIR search values (OR, escapes, composite, token separator).</summary>
    [GeneratedRegex(@"[,\\$|]")]
    private static partial Regex SearchEscapes();
}
