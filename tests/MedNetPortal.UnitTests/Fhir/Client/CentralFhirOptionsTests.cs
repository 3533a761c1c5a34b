using MedNetPortal.Fhir;

namespace MedNetPortal.UnitTests.Fhir.Client;

/// <summary>The record asks a base for its own <c>institution</c> include only when that base is the embedded one or it is configured.</summary>
public sealed class CentralFhirOptionsTests
{
    [Theory]
    [InlineData("", null, true)]
    [InlineData("https://fhir.example.jp/r4/", null, false)]
    [InlineData("https://fhir.example.jp/r4/", true, true)]
    [InlineData("", false, false)]
    public void Facility_names_are_asked_for_only_from_the_embedded_base_unless_set(string baseUrl, bool? setting, bool expected)
    {
        var options = new CentralFhirOptions { BaseUrl = baseUrl, IncludeFacilityNames = setting };

        Assert.Equal(expected, options.AsksForFacilityNames);
    }
}
