using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Search;

namespace MedNetPortal.IntegrationTests.FhirBase.Security;

/// <summary>
/// Who may do what at the base: no token → 401 on every interaction but metadata and the SMART configuration; a token
/// without the scope an interaction needs → 403; nothing is written by a refused request.
/// </summary>
public sealed class BaseAccessTests(SecuredBaseFixture fixture) : IClassFixture<SecuredBaseFixture>
{
    /// <summary>Every route of Http/FhirEndpoints.cs, for every resource type the base serves, plus the catch-all.</summary>
    public static TheoryData<string, string, string?> EveryInteraction()
    {
        var data = new TheoryData<string, string, string?>
        {
            { "POST", "", """{"resourceType":"Bundle","type":"transaction","entry":[]}""" },
            { "POST", "", """{"resourceType":"Bundle","type":"batch","entry":[]}""" },
            { "GET", "_history", null },
            { "GET", "no/such/route/at/all", null },
            { "PATCH", "Patient/p1", "{}" },
        };
        foreach (var type in SearchParameterRegistry.All.Keys.Order(StringComparer.Ordinal))
        {
            data.Add("GET", type, null);
            data.Add("GET", $"{type}?_id=x&_include=*", null);
            data.Add("POST", $"{type}/_search", null);
            data.Add("POST", type, $$"""{"resourceType":"{{type}}"}""");
            data.Add("GET", $"{type}/_history", null);
            data.Add("GET", $"{type}/x1", null);
            data.Add("PUT", $"{type}/x1", $$"""{"resourceType":"{{type}}","id":"x1"}""");
            data.Add("DELETE", $"{type}/x1", null);
            data.Add("GET", $"{type}/x1/_history", null);
            data.Add("GET", $"{type}/x1/_history/1", null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryInteraction))]
    public async System.Threading.Tasks.Task Anonymous_calls_are_refused_with_401_an_OperationOutcome_and_a_bearer_challenge(string method, string url, string? body)
    {
        await fixture.SeedAsync();
        var before = await fixture.Full.StoreSnapshotAsync();

        using var response = await fixture.Anonymous().SendAsync(new HttpMethod(method), url, body);

        await AssertUnauthorizedAsync(response, invalidToken: false);
        Assert.Equal(before, await fixture.Full.StoreSnapshotAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task Anonymous_paging_links_are_refused()
    {
        var seeded = await fixture.SeedAsync();

        using var response = await fixture.Anonymous().GetAsync(seeded.PatientPageLink);

        await AssertUnauthorizedAsync(response, invalidToken: false);
    }

    [Theory]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzY29wZSI6InN5c3RlbS8qLmNydWRzIn0.")]
    public async System.Threading.Tasks.Task A_request_without_a_valid_bearer_token_is_refused(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "Patient");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await fixture.Anonymous().SendAsync(request);

        await AssertUnauthorizedAsync(response, invalidToken: authorization.StartsWith("Bearer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("metadata")]
    [InlineData(".well-known/smart-configuration")]
    public async System.Threading.Tasks.Task Metadata_and_the_smart_configuration_are_anonymous(string url)
    {
        using var response = await fixture.Anonymous().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_smart_configuration_names_the_token_endpoint_grant_auth_methods_scopes_and_capabilities()
    {
        using var response = await fixture.Anonymous().GetAsync(".well-known/smart-configuration");
        var json = await response.ReadJsonAsync();

        Assert.Equal(new Uri(fixture.Base.BaseUri, "auth/token").ToString(), (string?)json["token_endpoint"]);
        Assert.Equal(["client_credentials"], Strings(json["grant_types_supported"]));
        Assert.Contains("client_secret_basic", Strings(json["token_endpoint_auth_methods_supported"]));
        Assert.Contains("system/*.cruds", Strings(json["scopes_supported"]));
        Assert.Contains("system/Patient.rs", Strings(json["scopes_supported"]));
        Assert.Contains("permission-v2", Strings(json["capabilities"]));
        Assert.Contains("client-confidential-symmetric", Strings(json["capabilities"]));
    }

    [Fact]
    public async System.Threading.Tasks.Task Metadata_declares_SMART_security_with_the_token_endpoint()
    {
        using var response = await fixture.Anonymous().GetAsync("metadata");
        var statement = await response.ReadAsync<CapabilityStatement>();

        var security = statement.Rest.Single().Security!;
        Assert.Contains(security.Service, s => s.Coding.Any(c => c.Code == "SMART-on-FHIR"));
        var uris = security.GetExtension("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris")!;
        Assert.Equal(new Uri(fixture.Base.BaseUri, "auth/token").ToString(), ((FhirUri)uris.GetExtension("token")!.Value!).Value);
    }

    public static TheoryData<string, string, string, string?, string> WrongScope() => new()
    {
        // client, method, url ({p} = Patient id, {c} = Condition id), body, scope the refusal names
        { "patient-r", "GET", "Condition/{c}", null, "system/Condition.r" },
        { "patient-r", "GET", "Condition/{c}/_history/1", null, "system/Condition.r" },
        { "patient-r", "GET", "Condition/{c}/_history", null, "system/Condition.r" },
        { "patient-r", "GET", "Condition/_history", null, "system/Condition.r" },
        { "patient-rs", "GET", "_history", null, "system/*.r" },
        { "patient-r", "GET", "Patient?gender=male", null, "system/Patient.s" },
        { "patient-r", "POST", "Patient/_search", null, "system/Patient.s" },
        { "patient-r", "POST", "Patient", "patient", "system/Patient.c" },
        { "reader", "POST", "Patient", "patient", "system/Patient.c" },
        { "patient-r", "PUT", "Patient/{p}", "patient", "system/Patient.u" },
        { "reader", "PUT", "Patient/{p}", "patient", "system/Patient.u" },
        { "patient-r", "DELETE", "Patient/{p}", null, "system/Patient.d" },
        { "reader", "DELETE", "Patient/{p}", null, "system/Patient.d" },
        { "patient-rs", "GET", "Patient?_revinclude=Condition:patient", null, "system/Condition.s" },
        { "condition-rs", "GET", "Condition?_include=Condition:patient", null, "system/Patient.r" },
        { "reader", "POST", "Consent", "consent", "system/Consent.c" },
        { "reader", "POST", "Communication", "communication", "system/Communication.c" },
        { "portal", "DELETE", "AuditEvent/{c}", null, "system/AuditEvent.d" },
        { "patient-r", "POST", "", "transaction-read-condition", "system/Condition.r" },
    };

    [Theory]
    [MemberData(nameof(WrongScope))]
    public async System.Threading.Tasks.Task A_token_without_the_scope_an_interaction_needs_is_refused_with_403(
        string client, string method, string url, string? body, string neededScope)
    {
        var seeded = await fixture.SeedAsync();
        url = url.Replace("{p}", seeded.PatientId, StringComparison.Ordinal).Replace("{c}", seeded.ConditionId, StringComparison.Ordinal);
        var before = await fixture.Full.StoreSnapshotAsync();

        using var response = await fixture.As(client).SendAsync(new HttpMethod(method), url, Body(body, seeded));

        await AssertForbiddenAsync(response, neededScope);
        Assert.Equal(before, await fixture.Full.StoreSnapshotAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_paging_link_needs_the_search_scope_too()
    {
        var seeded = await fixture.SeedAsync();

        using var allowed = await fixture.As("patient-rs").GetAsync(seeded.PatientPageLink);
        using var refused = await fixture.As("patient-r").GetAsync(seeded.PatientPageLink);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await AssertForbiddenAsync(refused, "system/Patient.s");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_conditional_create_needs_search_as_well_as_create()
    {
        var patient = FhirTestClient.NewPatient("SEC-COND-" + Guid.NewGuid().ToString("N"));
        var headers = new Dictionary<string, string> { ["If-None-Exist"] = "identifier=" + patient.Identifier[0].System + "|" + patient.Identifier[0].Value };

        using var refused = await fixture.As("patient-cr").SendAsync(HttpMethod.Post, "Patient", FhirJson(patient), headers);
        using var plain = await fixture.As("patient-cr").SendAsync(HttpMethod.Post, "Patient", FhirJson(patient));
        using var allowed = await fixture.As("patient-cruds").SendAsync(HttpMethod.Post, "Patient", FhirJson(patient), headers);

        await AssertForbiddenAsync(refused, "system/Patient.cs");
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_scopes_granted_are_enough_for_their_interactions()
    {
        var seeded = await fixture.SeedAsync();
        var patient = fixture.As("patient-cruds");

        using var read = await patient.GetAsync($"Patient/{seeded.PatientId}");
        using var vread = await patient.GetAsync($"Patient/{seeded.PatientId}/_history/1");
        using var history = await patient.GetAsync($"Patient/{seeded.PatientId}/_history");
        using var search = await patient.GetAsync("Patient?gender=male");
        using var v1 = await fixture.As("v1-reader").GetAsync($"Condition?patient=Patient/{seeded.PatientId}&_include=Condition:patient");
        using var system = await fixture.As("reader").GetAsync("_history?_count=1");

        Assert.All(new[] { read, vread, history, search, v1, system }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_with_one_entry_the_client_may_not_perform_is_refused_whole_and_writes_nothing()
    {
        var identifier = "SEC-TX-" + Guid.NewGuid().ToString("N");
        var transaction = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new() { FullUrl = "urn:uuid:8c1f0a52-5a4b-4a43-9b51-6f6d0a0c1f01", Resource = FhirTestClient.NewPatient(identifier), Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } },
                new()
                {
                    Resource = new Condition { Subject = new ResourceReference("urn:uuid:8c1f0a52-5a4b-4a43-9b51-6f6d0a0c1f01"), Code = new CodeableConcept { Text = "腰痛" } },
                    Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Condition" },
                },
            ],
        };
        var before = await fixture.Full.StoreSnapshotAsync();

        using var response = await fixture.As("patient-cruds").PostAsync("", FhirTestClient.Json(transaction));

        var outcome = await AssertForbiddenAsync(response, "system/Condition.c");
        Assert.Equal("Bundle.entry[1]", outcome.Issue.Single().Expression.Single());
        Assert.Equal(before, await fixture.Full.StoreSnapshotAsync());
        using var found = await fixture.Full.GetAsync($"Patient?identifier={identifier}&_summary=count");
        Assert.Equal(0, (await found.ReadAsync<Bundle>()).Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_batch_refuses_only_the_entries_the_client_may_not_perform()
    {
        var seeded = await fixture.SeedAsync();
        var batch = new Bundle
        {
            Type = Bundle.BundleType.Batch,
            Entry =
            [
                new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = $"Patient/{seeded.PatientId}" } },
                new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = $"Condition/{seeded.ConditionId}" } },
                new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = $"Condition?patient=Patient/{seeded.PatientId}" } },
            ],
        };

        using var response = await fixture.As("patient-r").PostAsync("", FhirTestClient.Json(batch));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadAsync<Bundle>();
        Assert.Equal(["200 OK", "403", "403"], result.Entry.Select(e => e.Response!.Status));
        Assert.Equal(OperationOutcome.IssueType.Forbidden, ((OperationOutcome)result.Entry[1].Response!.Outcome!).Issue.Single().Code);
    }

    internal static async Task<OperationOutcome> AssertForbiddenAsync(HttpResponseMessage response, string neededScope)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = await response.ReadAsync<OperationOutcome>();
        Assert.Equal(OperationOutcome.IssueType.Forbidden, outcome.Issue.Single().Code);
        Assert.Contains(neededScope, outcome.Issue.Single().Diagnostics, StringComparison.Ordinal);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("insufficient_scope", challenge.Parameter, StringComparison.Ordinal);
        return outcome;
    }

    internal static async System.Threading.Tasks.Task AssertUnauthorizedAsync(HttpResponseMessage response, bool invalidToken)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = await response.ReadAsync<OperationOutcome>();
        Assert.Equal(OperationOutcome.IssueType.Login, outcome.Issue.Single().Code);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal(invalidToken, challenge.Parameter?.Contains("error=\"invalid_token\"", StringComparison.Ordinal) == true);
    }

    private static string FhirJson(Resource resource) => MedNetPortal.FhirBase.FhirJson.Serialize(resource);

    private static string? Body(string? kind, SecuredBaseFixture.Seeded seeded) => kind switch
    {
        null => null,
        "patient" => FhirJson(new Patient { Id = seeded.PatientId, Gender = AdministrativeGender.Female }),
        "consent" => FhirJson(new Hl7.Fhir.Model.Consent
        {
            Id = seeded.PatientId,
            Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
            Category = [new CodeableConcept("http://loinc.org", "59284-0")],
            Patient = new ResourceReference($"Patient/{seeded.PatientId}"),
            Policy = [new Hl7.Fhir.Model.Consent.PolicyComponent { Uri = "urn:example:policy" }],
        }),
        "communication" => FhirJson(new Communication { Status = EventStatus.Completed }),
        "transaction-read-condition" => FhirJson(new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry = [new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = $"Condition/{seeded.ConditionId}" } }],
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static List<string?> Strings(JsonNode? node) => node!.AsArray().Select(n => (string?)n).ToList();
}
