using Refit;

namespace MedNetPortal.Fhir;

/// <summary>
/// An ordered list of FHIR search parameters where a name may repeat (<c>_revinclude</c>, <c>date=ge…&amp;date=le…</c>).
/// Values are raw FHIR search values (commas mean OR); encoding for the URL or form body is done when sending.
/// </summary>
public sealed class FhirSearchParameters : List<KeyValuePair<string, string>>
{
    /// <summary>Creates an empty list.</summary>
    public FhirSearchParameters()
    {
    }

    /// <summary>Creates a list from pairs.</summary>
    public FhirSearchParameters(IEnumerable<KeyValuePair<string, string>> parameters)
        : base(parameters)
    {
    }

    /// <summary>Appends a parameter; returns this list for chaining.</summary>
    public FhirSearchParameters Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        Add(new KeyValuePair<string, string>(name, value));
        return this;
    }

    /// <summary>The parameters as a form body for <see cref="IFhirApi.SearchPostAsync"/>, keeping order and repeats.</summary>
    public FormUrlEncodedContent ToFormContent() => new(this);
}

/// <summary>Writes <see cref="FhirSearchParameters"/> into the query string in order, repeats kept, each name and value escaped.</summary>
public sealed class FhirSearchQueryConverter : IQueryConverter<FhirSearchParameters>
{
    /// <inheritdoc />
    public void Flatten(FhirSearchParameters value, string keyPrefix, ref GeneratedQueryStringBuilder builder, RefitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var (name, parameterValue) in value)
        {
            builder.Add(keyPrefix + name, parameterValue, preEncoded: false);
        }
    }
}
