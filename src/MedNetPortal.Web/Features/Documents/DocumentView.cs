using System.Text.Json.Serialization;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.Web.Features.Documents;

/// <summary>Which of the three documents a Composition is.</summary>
public enum DocumentKind
{
    /// <summary>A type the portal does not know by name; its display text is shown.</summary>
    Other,

    /// <summary>診療情報提供書 (57133-1).</summary>
    ReferralLetter,

    /// <summary>退院時サマリー (18842-5).</summary>
    DischargeSummary,

    /// <summary>健診結果報告書 (53576-5).</summary>
    HealthCheckReport,
}

/// <summary>What a section entry is, so the viewer can show it with the right icon and labels.</summary>
public enum EntryKind
{
    Other,
    Condition,
    Allergy,
    Medication,
    Observation,
    Organization,
    Practitioner,
    Patient,
    Encounter,
    Attachment,

    /// <summary>The reference points at nothing inside the document.</summary>
    Unresolved,
}

/// <summary>
/// A clinical document (a FHIR document Bundle) as the viewer shows it; no FHIR types. <c>Id</c> is the base's id of the
/// stored Bundle, <c>TypeCode</c> the Composition.type code (e.g. 57133-1), <c>Date</c> Composition.date or else
/// event.period.start (a FHIR date/dateTime string). <c>Routing</c> names sender and destination by 医療機関コード (read receipts).
/// </summary>
public sealed record DocumentView(
    string Id,
    DocumentKind Kind,
    string? TypeCode,
    string? TypeDisplay,
    string Title,
    string? Date,
    string? Version,
    DocumentParty Author,
    DocumentParty? Sender,
    DocumentParty? Destination,
    DocumentPatient? Patient,
    IReadOnlyList<DocumentSection> Sections,
    DocumentRouting? Routing = null)
{
    /// <summary>
    /// The base's Patient id this document was shown as belonging to (checked against the document on loading; null when
    /// unknown): what an audit entry about the document names, never a patient id taken from the URL.
    /// </summary>
    public string? BasePatientId { get; init; }

    /// <summary>Every section, depth first, in document order.</summary>
    [JsonIgnore]
    public IEnumerable<DocumentSection> AllSections => Sections.SelectMany(s => s.SelfAndDescendants);
}

/// <summary>
/// An organisation (with department) and a doctor; any part may be missing. <c>Address</c> is one line with the postcode
/// (〒…) when the Organization has one, <c>Phone</c> the organisation's first phone number: the paper letter's sender block.
/// </summary>
public sealed record DocumentParty(string? Organization, string? Department, string? Doctor, string? Address = null, string? Phone = null)
{
    [JsonIgnore]
    public static DocumentParty Empty { get; } = new(null, null, null);

    [JsonIgnore]
    public bool IsEmpty => Organization is null && Department is null && Doctor is null && Address is null && Phone is null;
}

/// <summary>The patient as the document names them. Sex is the FHIR code (male, female, other, unknown).</summary>
public sealed record DocumentPatient(string? NameKanji, string? NameKana, string? BirthDate, string? Sex)
{
    /// <summary>The name to print in running headers.</summary>
    [JsonIgnore]
    public string DisplayName => NameKanji ?? NameKana ?? string.Empty;
}

/// <summary>One section: its code, title, sanitised narrative (safe HTML), entries and sub-sections, in order.</summary>
public sealed record DocumentSection(
    string? Code,
    string Title,
    string NarrativeHtml,
    IReadOnlyList<DocumentEntry> Entries,
    IReadOnlyList<DocumentSection> Sections)
{
    [JsonIgnore]
    public IEnumerable<DocumentSection> SelfAndDescendants => Sections.SelectMany(s => s.SelfAndDescendants).Prepend(this);
}

/// <summary>
/// A structured entry summarised: what it is, its main text, a code and a few labelled facts. <c>Indication</c> is
/// UNINFORMED or UNDELIVERED when the resource is tagged so (see DOMAIN.md).
/// </summary>
public sealed record DocumentEntry(
    EntryKind Kind,
    string ResourceType,
    string Text,
    string? Code,
    IReadOnlyList<EntryFact> Facts,
    string? Indication = null);

/// <summary>A labelled value. <c>LabelKey</c> is a resource key; a value marked <c>Localize</c> is one too.</summary>
public sealed record EntryFact(string LabelKey, string Value, bool Localize = false);
