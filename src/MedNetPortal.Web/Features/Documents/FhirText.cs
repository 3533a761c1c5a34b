using Hl7.Fhir.Model;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>The text a document shows for a coded value or a blank string.</summary>
internal static class FhirText
{
    internal static string ConceptText(CodeableConcept? concept) =>
        NullIfBlank(concept?.Text) ?? NullIfBlank(concept?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d)))
        ?? concept?.Coding.FirstOrDefault()?.Code ?? string.Empty;

    internal static string? CodeOf(CodeableConcept? concept) => concept?.Coding.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Code))?.Code;

    internal static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
