using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>
/// Makes a stored document Bundle findable with standard resources, the way a sender that follows the portal's convention
/// would: a <c>DocumentReference</c> (identifier = the Bundle identifier; subject the Patient; content and
/// <c>context.related</c> the Bundle) and, for a letter with a 910 紹介先情報 Organization, a routing <c>Task</c> (same
/// identifier; focus the Bundle, for the Patient, requester the 920 sender and owner the 910 destination Organization).
/// Patients and Organizations are those of the base with the document's identifiers (exactly one each), else logical
/// references by identifier, made literal by <see cref="ReferenceRelinker"/> once that Organization or Patient is written. Each is written only when none with the Bundle's identifier exists, after the writes of the
/// request that stored the document are committed (so a sender's own DocumentReference and Task, written in the same
/// transaction, are found and nothing is doubled), and at start-up for stored documents that have none.
/// </summary>
internal sealed partial class DocumentRegistrar(ResourceStore store, SearchExecutor search, IOptions<FhirBaseOptions> options, ILogger<DocumentRegistrar> logger)
{
    private const string MedicalInstitutionCodeSystem = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";
    private const string SectionSystem = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";
    private const string EReferralSectionSystem = "http://jpfhir.jp/fhir/eReferral/CodeSystem/document-section";

    /// <summary>Registers the documents the request wrote. Never throws: the document is stored; start-up tries again.</summary>
    public async System.Threading.Tasks.Task RegisterWrittenAsync(CancellationToken cancellationToken)
    {
        var ids = store.WrittenDocuments.Distinct(StringComparer.Ordinal).ToList();
        store.WrittenDocuments.Clear();
        foreach (var id in ids)
        {
            try
            {
                if (await store.ReadAsync("Bundle", id, cancellationToken) is { Deleted: false, Json: { } json } && FhirJson.Parse(json) is Bundle bundle)
                {
                    await RegisterAsync(bundle, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                store.Db.ChangeTracker.Clear();
                Log.Failed(logger, id, ex.GetType().Name);
            }
        }
    }

    /// <summary>Writes what is missing of the document's DocumentReference and Task; the number of resources written.</summary>
    public async Task<int> RegisterAsync(Bundle bundle, CancellationToken cancellationToken)
    {
        if (bundle is not { Type: Bundle.BundleType.Document, Id: { } id, Identifier: { System: { Length: > 0 } system, Value: { Length: > 0 } value } }
            || bundle.Entry.FirstOrDefault()?.Resource is not Composition composition)
        {
            return 0;
        }

        var identifier = new Identifier(system, value);
        return await store.InTransactionAsync(async () =>
        {
            var written = 0;
            var documentReference = "Bundle/" + id;
            var patient = await ReferenceByIdentifiersAsync("Patient", Resolve(bundle, composition.Subject) is Patient p ? p.Identifier : []);
            var sender = SectionOrganization(bundle, composition, "920") ?? Resolve(bundle, composition.Custodian) as Organization;
            var senderReference = await OrganizationReferenceAsync(sender);
            if (!await ExistsAsync("DocumentReference", identifier, cancellationToken))
            {
                await store.CreateAsync(new DocumentReference
                {
                    Identifier = [(Identifier)identifier.DeepCopy()],
                    Status = DocumentReferenceStatus.Current,
                    Type = (CodeableConcept?)composition.Type?.DeepCopy(),
                    Subject = patient,
                    DateElement = bundle.TimestampElement is { } timestamp ? (Instant)timestamp.DeepCopy() : null,
                    Author = senderReference is null ? [] : [senderReference],
                    Custodian = (ResourceReference?)senderReference?.DeepCopy(),
                    Description = composition.Title,
                    Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "application/fhir+json", Url = documentReference, Title = composition.Title } }],
                    Context = new DocumentReference.ContextComponent { Related = [new ResourceReference(documentReference)] },
                }, cancellationToken);
                written++;
            }

            var destination = SectionOrganization(bundle, composition, "910");
            if (destination is not null && !await ExistsAsync("Task", identifier, cancellationToken))
            {
                await store.CreateAsync(new FhirTask
                {
                    Identifier = [(Identifier)identifier.DeepCopy()],
                    Status = FhirTask.TaskStatus.Requested,
                    Intent = FhirTask.TaskIntent.Order,
                    Focus = new ResourceReference(documentReference),
                    For = (ResourceReference?)patient?.DeepCopy(),
                    AuthoredOn = bundle.TimestampElement?.Value?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
                    Requester = senderReference,
                    Owner = await OrganizationReferenceAsync(destination),
                }, cancellationToken);
                written++;
            }

            return written;
        }, cancellationToken);

        async Task<ResourceReference?> OrganizationReferenceAsync(Organization? organization)
        {
            if (organization is null)
            {
                return null;
            }

            var reference = await ReferenceByIdentifiersAsync("Organization", organization.Identifier.Where(i => i.System == MedicalInstitutionCodeSystem));
            if (reference is not null)
            {
                reference.Display = organization.Name;
            }

            return reference;
        }

        async Task<ResourceReference?> ReferenceByIdentifiersAsync(string type, IEnumerable<Identifier> identifiers)
        {
            Identifier? first = null;
            foreach (var candidate in identifiers.Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value)))
            {
                first ??= candidate;
                var matches = await (await search.FilterAsync(Query(type, candidate), cancellationToken)).Select(r => r.Id).Take(2).ToListAsync(cancellationToken);
                if (matches.Count == 1)
                {
                    return new ResourceReference($"{type}/{matches[0]}") { Identifier = new Identifier(candidate.System, candidate.Value) };
                }
            }

            // Not (or not uniquely) in the base: a logical reference, by identifier.
            return first is null ? null : new ResourceReference { Type = type, Identifier = new Identifier(first.System, first.Value) };
        }
    }

    private async Task<bool> ExistsAsync(string type, Identifier identifier, CancellationToken cancellationToken) =>
        await (await search.FilterAsync(Query(type, identifier), cancellationToken)).AnyAsync(cancellationToken);

    private SearchRequest Query(string type, Identifier identifier) =>
        SearchRequest.Parse(type, [new("identifier", $"{Escape(identifier.System ?? string.Empty)}|{Escape(identifier.Value ?? string.Empty)}")], strict: true, options.Value);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal);

    private static Organization? SectionOrganization(Bundle bundle, Composition composition, string code) =>
        Flatten(composition.Section)
            .Where(s => s.Code?.Coding.Any(c => c.Code == code && (c.System is null or SectionSystem or EReferralSectionSystem)) == true)
            .SelectMany(s => s.Entry)
            .Select(e => Resolve(bundle, e))
            .OfType<Organization>()
            .FirstOrDefault();

    private static IEnumerable<Composition.SectionComponent> Flatten(IEnumerable<Composition.SectionComponent> sections) =>
        sections.SelectMany(s => Flatten(s.Section).Prepend(s));

    private static Resource? Resolve(Bundle bundle, ResourceReference? reference)
    {
        var target = reference?.Reference;
        return string.IsNullOrEmpty(target)
            ? null
            : bundle.Entry.FirstOrDefault(e => e.Resource is not null && (e.FullUrl == target
                || (e.FullUrl is not null && e.FullUrl.EndsWith("/" + target, StringComparison.Ordinal))
                || $"{e.Resource.TypeName}/{e.Resource.Id}" == target))?.Resource;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Registering document Bundle/{Id} (DocumentReference, Task) failed ({Exception}); retried at the next start.")]
        public static partial void Failed(ILogger logger, string id, string exception);
    }
}
