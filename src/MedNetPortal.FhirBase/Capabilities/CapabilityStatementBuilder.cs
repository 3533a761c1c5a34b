using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Search;

namespace MedNetPortal.FhirBase.Capabilities;

/// <summary>Describes exactly what the base serves, generated from the same registry the search code uses.</summary>
internal sealed class CapabilityStatementBuilder(TimeProvider time)
{
    private static readonly CapabilityStatement.TypeRestfulInteraction[] TypeInteractions =
    [
        CapabilityStatement.TypeRestfulInteraction.Read,
        CapabilityStatement.TypeRestfulInteraction.Vread,
        CapabilityStatement.TypeRestfulInteraction.Update,
        CapabilityStatement.TypeRestfulInteraction.Delete,
        CapabilityStatement.TypeRestfulInteraction.HistoryInstance,
        CapabilityStatement.TypeRestfulInteraction.HistoryType,
        CapabilityStatement.TypeRestfulInteraction.Create,
        CapabilityStatement.TypeRestfulInteraction.SearchType,
    ];

    /// <summary>The statement; <paramref name="tokenEndpoint"/> goes into <c>rest.security</c> (SMART-on-FHIR, oauth-uris).</summary>
    public CapabilityStatement Build(string tokenEndpoint)
    {
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "MedNetPortal embedded central FHIR base. JSON only. _count bounds matches and _revinclude'd resources together; " +
                "_include'd resources are those of the page's matches, on the same page, not counted; " +
                "paging links carry an opaque _page token. Dates without a time zone are taken as UTC. Search handling (Prefer header): " +
                "with 'Prefer: handling=strict' an unknown or unsupported search parameter is refused with 400 and an OperationOutcome; " +
                "otherwise (lenient, the default) it is ignored and named in an OperationOutcome entry of the searchset. A stored document " +
                "Bundle gets a DocumentReference and, for a letter with a 910 destination, a routing Task when none with its identifier exists.",
            Interaction =
            [
                new() { Code = CapabilityStatement.SystemRestfulInteraction.Transaction },
                new() { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
                new() { Code = CapabilityStatement.SystemRestfulInteraction.HistorySystem },
            ],
            Security = new CapabilityStatement.SecurityComponent
            {
                Service =
                [
                    new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR"),
                ],
                Description = "OAuth 2.0 client credentials (SMART Backend Services) with SMART system scopes; every interaction but " +
                    "metadata and .well-known/smart-configuration needs a bearer token. See [base]/.well-known/smart-configuration.",
            },
        };
        rest.Security.Extension.Add(new Extension
        {
            Url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
            Extension = [new Extension("token", new FhirUri(tokenEndpoint))],
        });
        foreach (var definition in SearchParameterRegistry.All.Values.OrderBy(d => d.Type, StringComparer.Ordinal))
        {
            var resource = new CapabilityStatement.ResourceComponent
            {
                Type = definition.Type,
                Interaction = TypeInteractions.Select(i => new CapabilityStatement.ResourceInteractionComponent { Code = i }).ToList(),
                Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
                ReadHistory = true,
                UpdateCreate = true,
                ConditionalCreate = true,
                ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
                ConditionalUpdate = false,
                ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
                SearchInclude = definition.Includes.Order(StringComparer.Ordinal).ToList(),
                SearchRevInclude = SearchParameterRegistry.RevIncludesFor(definition.Type).ToList(),
            };
            resource.SearchParam.Add(new() { Name = "_id", Type = SearchParamType.Token, Definition = "http://hl7.org/fhir/SearchParameter/Resource-id" });
            resource.SearchParam.Add(new() { Name = "_lastUpdated", Type = SearchParamType.Date, Definition = "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated" });
            foreach (var p in definition.Parameters.Values.Where(p => p.Declared).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                resource.SearchParam.Add(new() { Name = p.Name, Type = p.FhirType, Definition = p.Definition, Documentation = p.Documentation });
            }
            rest.Resource.Add(resource);
        }
        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "MedNetPortal.FhirBase" },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "MedNetPortal embedded central FHIR base" },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["application/fhir+json", "application/json"],
            Rest = [rest],
        };
    }
}
