using System.Globalization;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.Fhir.Letters;

/// <summary>
/// How a letter travels through any FHIR R4 base, with standard resources and search parameters only. Sending is ONE
/// transaction of conditional creates (so repeating it after a timeout stores exactly one of each):
/// <list type="bullet">
/// <item>the Patient, when the base does not know them yet (by the insured-person identifier);</item>
/// <item>the sending and the receiving Organization (by 医療機関コード; the base's own record wins when it has one);</item>
/// <item>the JP-CLINS document Bundle itself (by its Bundle identifier), as JP-CLINS requires;</item>
/// <item>a <c>DocumentReference</c> for the patient's document list (identifier = the Bundle identifier; <c>subject</c> the
/// Patient, <c>content.attachment.url</c> and <c>context.related</c> the Bundle);</item>
/// <item>a <c>Task</c> for routing (identifier = the Bundle identifier; <c>focus</c> the Bundle, <c>for</c> the Patient,
/// <c>requester</c> the sender, <c>owner</c> the destination, status <c>requested</c>, later <c>received</c> when the
/// destination opens it).</item>
/// </list>
/// </summary>
public static class LetterDelivery
{
    /// <summary>The attachment content type of a DocumentReference that points at a FHIR document Bundle.</summary>
    public const string AttachmentContentType = "application/fhir+json";

    /// <summary>
    /// The send transaction for <paramref name="document"/>. With <paramref name="basePatientId"/> the Patient is referenced
    /// as <c>Patient/{id}</c>; without it, the document's Patient is created conditionally on its identifier.
    /// </summary>
    /// <exception cref="ArgumentException">The document lacks what routing needs (identifier, patient identifier, the two Organizations with their codes).</exception>
    public static Bundle BuildTransaction(Bundle document, string? basePatientId, DateTimeOffset authoredOn)
    {
        ArgumentNullException.ThrowIfNull(document);
        var identifier = document.Identifier is { System: JpFhir.Systems.BundleIdentifier, Value: { Length: > 0 } value }
            ? value
            : throw new ArgumentException("The document has no Bundle identifier.", nameof(document));
        var sender = DocumentRouting.SectionOrganization(document, JpFhir.Sections.Sender);
        var destination = DocumentRouting.SectionOrganization(document, JpFhir.Sections.Destination);
        var senderCode = DocumentRouting.Code(sender) ?? throw new ArgumentException("The document names no sending facility code.", nameof(document));
        var destinationCode = DocumentRouting.Code(destination) ?? throw new ArgumentException("The document names no receiving facility code.", nameof(document));

        var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
        ResourceReference patientReference;
        if (!string.IsNullOrWhiteSpace(basePatientId))
        {
            patientReference = new ResourceReference(FhirSearchValue.Reference("Patient", basePatientId.Trim()));
        }
        else
        {
            var patient = NewPatient(document);
            var patientIdentifier = patient.Identifier.First(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value));
            var patientUrn = Urn(document, "patient");
            transaction.Entry.Add(ConditionalCreate(patientUrn, patient, patientIdentifier.System!, patientIdentifier.Value!));
            patientReference = new ResourceReference(patientUrn);
        }

        var senderUrn = Urn(document, "sender");
        var destinationUrn = Urn(document, "destination");
        transaction.Entry.Add(ConditionalCreate(senderUrn, DirectoryOrganization(sender!, senderCode), JpFhir.Systems.MedicalInstitutionCode, senderCode));
        if (destinationCode != senderCode)
        {
            transaction.Entry.Add(ConditionalCreate(destinationUrn, DirectoryOrganization(destination!, destinationCode), JpFhir.Systems.MedicalInstitutionCode, destinationCode));
        }
        else
        {
            destinationUrn = senderUrn;
        }

        var documentUrn = Urn(document, "document");
        var stored = (Bundle)document.DeepCopy();
        stored.Id = null;
        transaction.Entry.Add(ConditionalCreate(documentUrn, stored, JpFhir.Systems.BundleIdentifier, identifier));
        var composition = document.Entry.FirstOrDefault()?.Resource as Composition;
        transaction.Entry.Add(ConditionalCreate(Urn(document, "document-reference"),
            NewDocumentReference(identifier, composition, document.Timestamp ?? authoredOn, patientReference, documentUrn, senderUrn, sender!.Name),
            JpFhir.Systems.BundleIdentifier, identifier));
        transaction.Entry.Add(ConditionalCreate(Urn(document, "task"),
            NewTask(identifier, authoredOn, patientReference, documentUrn, senderUrn, sender.Name, senderCode, destinationUrn, destination!.Name, destinationCode),
            JpFhir.Systems.BundleIdentifier, identifier));
        return transaction;
    }

    /// <summary>The index of the document Bundle's entry in a transaction from <see cref="BuildTransaction"/> (and in its response).</summary>
    public static int DocumentEntryIndex(Bundle transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Entry.FindIndex(e => e.Resource is Bundle);
    }

    /// <summary>The If-None-Exist query for an identifier (value escaped for search, then for the query string).</summary>
    public static string IfNoneExist(string system, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(system);
        ArgumentNullException.ThrowIfNull(value);
        return $"identifier={system}|{Uri.EscapeDataString(FhirSearchValue.Escape(value))}";
    }

    /// <summary>The routing Task of a letter, as <see cref="BuildTransaction"/> writes it.</summary>
    public static FhirTask NewTask(
        string bundleIdentifier, DateTimeOffset authoredOn, ResourceReference patient, string documentReference,
        string senderReference, string? senderName, string senderCode, string destinationReference, string? destinationName, string destinationCode)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return new FhirTask
        {
            Identifier = [new Identifier(JpFhir.Systems.BundleIdentifier, bundleIdentifier)],
            Status = FhirTask.TaskStatus.Requested,
            Intent = FhirTask.TaskIntent.Order,
            Description = "診療情報提供書の送付",
            Focus = new ResourceReference(documentReference),
            For = new ResourceReference(patient.Reference),
            AuthoredOnElement = new FhirDateTime(authoredOn),
            Requester = OrganizationReference(senderReference, senderName, senderCode),
            Owner = OrganizationReference(destinationReference, destinationName, destinationCode),
        };
    }

    /// <summary>The patient's document-list entry for a letter, as <see cref="BuildTransaction"/> writes it.</summary>
    public static DocumentReference NewDocumentReference(
        string bundleIdentifier, Composition? composition, DateTimeOffset date, ResourceReference patient, string documentReference,
        string authorReference, string? authorName)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var typeCoding = composition?.Type?.Coding.FirstOrDefault(c => c.System == JpFhir.Systems.DocumentTypeCodes)
                         ?? new Coding(JpFhir.Systems.DocumentTypeCodes, "57133-1", "診療情報提供書");
        var author = new ResourceReference(authorReference) { Display = authorName };
        return new DocumentReference
        {
            Identifier = [new Identifier(JpFhir.Systems.BundleIdentifier, bundleIdentifier)],
            Status = DocumentReferenceStatus.Current,
            DocStatus = CompositionStatus.Final,
            Type = new CodeableConcept { Coding = [new Coding(typeCoding.System, typeCoding.Code, typeCoding.Display)], Text = composition?.Title ?? typeCoding.Display },
            Subject = new ResourceReference(patient.Reference),
            DateElement = new Instant(date),
            Author = [author],
            Custodian = new ResourceReference(authorReference) { Display = authorName },
            Description = composition?.Title,
            Content =
            [
                new DocumentReference.ContentComponent
                {
                    Attachment = new Attachment
                    {
                        ContentType = AttachmentContentType,
                        Url = documentReference,
                        Title = composition?.Title,
                        Language = "ja",
                    },
                },
            ],
            Context = new DocumentReference.ContextComponent { Related = [new ResourceReference(documentReference)] },
        };
    }

    /// <summary>True when the Task has moved past <c>requested</c>: someone at the destination opened the letter.</summary>
    public static bool IsOpened(FhirTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Status is not (null or FhirTask.TaskStatus.Draft or FhirTask.TaskStatus.Requested
            or FhirTask.TaskStatus.Cancelled or FhirTask.TaskStatus.EnteredInError);
    }

    /// <summary>When the Task was marked opened (<c>lastModified</c>, else its last update), when <see cref="IsOpened"/>; else null.</summary>
    public static DateTimeOffset? OpenedAt(FhirTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!IsOpened(task))
        {
            return null;
        }

        return DateTimeOffset.TryParse(task.LastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : task.Meta?.LastUpdated ?? DateTimeOffset.MinValue;
    }

    /// <summary>A copy of the Task with status <c>received</c> and <c>lastModified</c> = <paramref name="openedAt"/>.</summary>
    public static FhirTask Received(FhirTask task, DateTimeOffset openedAt)
    {
        ArgumentNullException.ThrowIfNull(task);
        var copy = (FhirTask)task.DeepCopy();
        copy.Status = FhirTask.TaskStatus.Received;
        copy.LastModifiedElement = new FhirDateTime(openedAt);
        return copy;
    }

    /// <summary>The document Bundle id a DocumentReference points at (its attachment URL, else <c>context.related</c>), or null.</summary>
    public static string? DocumentIdOf(DocumentReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Content.Select(c => FhirReferences.IdOf(c.Attachment?.Url, "Bundle")).FirstOrDefault(id => id is not null)
               ?? reference.Context?.Related.Select(r => FhirReferences.IdOf(r.Reference, "Bundle")).FirstOrDefault(id => id is not null);
    }

    /// <summary>The identifier value with the Bundle identifier system, or null.</summary>
    public static string? BundleIdentifierOf(IEnumerable<Identifier> identifiers) =>
        identifiers.FirstOrDefault(i => i.System == JpFhir.Systems.BundleIdentifier && !string.IsNullOrEmpty(i.Value))?.Value;

    private static ResourceReference OrganizationReference(string reference, string? name, string code) =>
        new(reference)
        {
            Type = "Organization",
            Identifier = new Identifier(JpFhir.Systems.MedicalInstitutionCode, code),
            Display = name,
        };

    /// <summary>The document's Patient without the document's id: created only when the base has none with its identifier.</summary>
    private static Patient NewPatient(Bundle document)
    {
        var patient = DocumentRouting.SubjectPatient(document)
                      ?? throw new ArgumentException("The document's Composition has no Patient subject inside the document.", nameof(document));
        if (!patient.Identifier.Any(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value)))
        {
            throw new ArgumentException("The document's Patient has no identifier to create it by.", nameof(document));
        }

        var copy = (Patient)patient.DeepCopy();
        copy.Id = null;
        return copy;
    }

    /// <summary>
    /// The facility as a directory entry, created only when the base has no Organization with its code: identifier, name,
    /// address and telephone (not the letter's department, which belongs to this letter only).
    /// </summary>
    private static Organization DirectoryOrganization(Organization inDocument, string code) => new()
    {
        Identifier = [new Identifier(JpFhir.Systems.MedicalInstitutionCode, code)],
        Active = true,
        Name = inDocument.Name,
        Telecom = [.. inDocument.Telecom.Select(t => (ContactPoint)t.DeepCopy())],
        Address = [.. inDocument.Address.Select(a => (Address)a.DeepCopy())],
    };

    private static Bundle.EntryComponent ConditionalCreate(string fullUrl, Resource resource, string system, string value) => new()
    {
        FullUrl = fullUrl,
        Resource = resource,
        Request = new Bundle.RequestComponent
        {
            Method = Bundle.HTTPVerb.POST,
            Url = resource.TypeName,
            IfNoneExist = IfNoneExist(system, value),
        },
    };

    /// <summary>Stable per document and role, so that the same letter always makes the same transaction.</summary>
    private static string Urn(Bundle document, string role) =>
        "urn:uuid:" + ReferralDocumentBuilder.DeterministicGuid($"{document.Identifier?.Value}|delivery|{role}").ToString();

}
