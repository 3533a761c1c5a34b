namespace MedNetPortal.IntegrationTests.Infrastructure;

// TODO(fhirbase helper): a fixture that starts a minimal WebApplication with AddFhirBase + MapFhirBase on Kestrel,
// bound to http://127.0.0.1:0, with a fresh temp Storage:DataDirectory, FhirBase:Enabled=true; exposes
// `Uri BaseUri` (ending in "/fhir/"), `HttpClient Http` (BaseAddress = BaseUri), and `Task RestartAsync()` keeping the data folder.
internal static class EmbeddedFhirBaseFixturePlaceholder;
