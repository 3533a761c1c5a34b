// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using System.Net;
using Hl7.Fhir.Model;
using MedNetPortal.IntegrationTests.Infrastructure;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>Each malformed or invalid request gets its 4xx and an OperationOutcome, and leaves the store exactly as it was.</summary>
public sealed class BadInputTests(EmbeddedFhirBaseFixture fixture) : IClassFixture<EmbeddedFhirBaseFixture>
{
    private const string Target = "bad-input-target";
    private const string Patient = """{"resourceType":"Patient","name":[{"family":"山田"}]}""";
    private const string Tx = """{"resourceType":"Bundle","type":"transaction","entry":[""";
    private const string GoodEntry = """{"fullUrl":"urn:uuid:11111111-1111-1111-1111-111111111111","resource":{"resourceType":"Patient","name":[{"family":"良い"}]},"request":{"method":"POST","url":"Patient"}}""";

    public static TheoryData<string, string, string, string?, string?, string?, int> Cases() => new()
    {
        // name, method, url, body, content type, "Header: value", expected status
        { "malformed JSON", "POST", "Patient", """{"resourceType":"Patient",""", null, null, 400 },
        { "JSON array", "POST", "Patient", "[1]", null, null, 400 },
        { "empty body", "POST", "Patient", "", null, null, 400 },
        { "no resourceType", "POST", "Patient", """{"id":"x"}""", null, null, 400 },
        { "invalid UTF-8", "POST", "Patient", "\uFFFD", null, null, 400 },
        { "unknown type in URL", "POST", "Foo", Patient, null, null, 404 },
        { "unknown type in body", "POST", "Patient", """{"resourceType":"Foo"}""", null, null, 400 },
        { "body type differs from URL", "POST", "Patient", """{"resourceType":"Observation","status":"final","code":{"text":"x"}}""", null, null, 400 },
        { "invalid gender", "POST", "Patient", """{"resourceType":"Patient","gender":"x"}""", null, null, 400 },
        { "invalid date", "POST", "Patient", """{"resourceType":"Patient","birthDate":"2024-13-40"}""", null, null, 400 },
        { "unknown element", "POST", "Patient", """{"resourceType":"Patient","foo":1}""", null, null, 400 },
        { "missing required element", "POST", "Condition", """{"resourceType":"Condition","code":{"text":"x"}}""", null, null, 400 },
        { "invalid id in body", "PUT", $"Patient/{Target}", """{"resourceType":"Patient","id":"a b"}""", null, null, 400 },
        { "id mismatch on update", "PUT", $"Patient/{Target}", """{"resourceType":"Patient","id":"other"}""", null, null, 400 },
        { "update without id", "PUT", $"Patient/{Target}", Patient, null, null, 400 },
        { "If-Match stale version", "PUT", $"Patient/{Target}", $$"""{"resourceType":"Patient","id":"{{Target}}"}""", null, "If-Match: W/\"999\"", 412 },
        { "If-Match not an ETag", "PUT", $"Patient/{Target}", $$"""{"resourceType":"Patient","id":"{{Target}}"}""", null, "If-Match: banana", 412 },
        { "text/plain body", "POST", "Patient", Patient, "text/plain", null, 415 },
        { "XML body", "POST", "Patient", "<Patient xmlns=\"http://hl7.org/fhir\"/>", "application/fhir+xml", null, 415 },
        { "form body to create", "POST", "Patient", "a=b", "application/x-www-form-urlencoded", null, 415 },
        { "JSON body to _search", "POST", "Patient/_search", "{}", "application/json", null, 415 },
        { "unknown parameter, strict", "GET", "Patient?foo=bar", null, null, "Prefer: handling=strict", 400 },
        { "bad date value", "GET", "Patient?birthdate=abc", null, null, null, 400 },
        { "bad date prefix", "GET", "Patient?birthdate=xx2024", null, null, null, 400 },
        { "bad _lastUpdated", "GET", "Patient?_lastUpdated=2024-99", null, null, null, 400 },
        { "_count not a number", "GET", "Patient?_count=abc", null, null, null, 400 },
        { "_count negative", "GET", "Patient?_count=-1", null, null, null, 400 },
        { "_sort on a non-date", "GET", "Patient?_sort=name", null, null, null, 400 },
        { "_include of another type", "GET", "Patient?_include=Condition:patient", null, null, null, 400 },
        { "_revinclude unknown", "GET", "Patient?_revinclude=Foo:bar", null, null, null, 400 },
        { "_summary unsupported", "GET", "Patient?_summary=true", null, null, null, 400 },
        { "unsupported modifier", "GET", "Patient?identifier:below=1", null, null, null, 400 },
        { "plain Bundle composition", "GET", "Bundle?composition=Composition/1", null, null, null, 400 },
        { "forged paging token", "GET", "Patient?_page=forged", null, null, null, 410 },
        { "XML _format", "GET", "Patient?_format=xml", null, null, null, 406 },
        { "XML Accept", "GET", "Patient", null, null, "Accept: application/fhir+xml", 406 },
        { "unknown id", "GET", "Patient/does-not-exist", null, null, null, 404 },
        { "unknown version", "GET", $"Patient/{Target}/_history/999", null, null, null, 404 },
        { "unknown type search", "GET", "Foo", null, null, null, 404 },
        { "DELETE on a type", "DELETE", "Patient", null, null, null, 405 },
        { "PATCH", "PATCH", $"Patient/{Target}", Patient, null, null, 405 },
        { "GET _search", "GET", "Patient/_search", null, null, null, 405 },
        { "conditional create, several match", "POST", "Patient", Patient, null, "If-None-Exist: family=%E9%87%8D%E8%A4%87", 412 },
        { "conditional create, unknown parameter", "POST", "Patient", Patient, null, "If-None-Exist: foo=bar", 400 },
        { "Patient POSTed to the base", "POST", "", Patient, null, null, 400 },
        { "collection Bundle POSTed to the base", "POST", "", """{"resourceType":"Bundle","type":"collection"}""", null, null, 400 },
        { "transaction entry without request", "POST", "", Tx + """{"resource":{"resourceType":"Patient"}}]}""", null, null, 400 },
        { "transaction with a bad urn reference", "POST", "", Tx + GoodEntry + """,{"resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:99999999-9999-9999-9999-999999999999"}},"request":{"method":"POST","url":"Condition"}}]}""", null, null, 400 },
        { "transaction with an invalid later entry", "POST", "", Tx + GoodEntry + $$$""",{"resource":{"resourceType":"Patient","id":"other"},"request":{"method":"PUT","url":"Patient/{{{Target}}}"}}]}""", null, null, 400 },
        { "transaction with an invalid element", "POST", "", Tx + GoodEntry + """,{"resource":{"resourceType":"Patient","gender":"x"},"request":{"method":"POST","url":"Patient"}}]}""", null, null, 400 },
        { "transaction with a stale If-Match", "POST", "", Tx + GoodEntry + $$$""",{"resource":{"resourceType":"Patient","id":"{{{Target}}}"},"request":{"method":"PUT","url":"Patient/{{{Target}}}","ifMatch":"W/\"999\""}}]}""", null, null, 412 },
        { "transaction with an ambiguous ifNoneExist", "POST", "", Tx + GoodEntry + """,{"resource":{"resourceType":"Patient","active":true},"request":{"method":"POST","url":"Patient","ifNoneExist":"family=重複"}}]}""", null, null, 412 },
        { "transaction entry of an unknown type", "POST", "", Tx + GoodEntry + """,{"request":{"method":"GET","url":"Foo/1"}}]}""", null, null, 404 },
        { "transaction reading an unknown id", "POST", "", Tx + GoodEntry + """,{"request":{"method":"GET","url":"Patient/does-not-exist"}}]}""", null, null, 404 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async System.Threading.Tasks.Task Bad_request_gets_its_4xx_and_an_OperationOutcome_and_changes_nothing(
        string name, string method, string url, string? body, string? contentType, string? header, int expected)
    {
        await EnsureSetupAsync();
        var before = await fixture.Http.StoreSnapshotAsync();
        var headers = header is null ? null : new Dictionary<string, string> { [header[..header.IndexOf(':')]] = header[(header.IndexOf(':') + 2)..] };
        using var response = await fixture.Http.SendAsync(new HttpMethod(method), url, body, headers, contentType ?? "application/fhir+json");

        Assert.True((int)response.StatusCode == expected, $"{name}: expected {expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = await response.ReadAsync<OperationOutcome>();
        var issue = Assert.Single(outcome.Issue.Take(1));
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.NotNull(issue.Code);
        Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics), name);
        Assert.Equal(before, await fixture.Http.StoreSnapshotAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task Invalid_element_is_reported_with_its_path()
    {
        using var response = await fixture.Http.SendAsync(HttpMethod.Post, "Patient", """{"resourceType":"Patient","birthDate":"2024-13-40"}""");
        var outcome = await response.ReadAsync<OperationOutcome>();
        Assert.Contains(outcome.Issue, i => i.Expression.Contains("Patient.birthDate"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Failed_transaction_names_the_failing_entry()
    {
        using var response = await fixture.Http.SendAsync(HttpMethod.Post, "",
            Tx + GoodEntry + """,{"resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:99999999-9999-9999-9999-999999999999"}},"request":{"method":"POST","url":"Condition"}}]}""");
        var outcome = await response.ReadAsync<OperationOutcome>();
        Assert.StartsWith("Bundle.entry[1]", outcome.Issue[0].Expression.First(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Body_over_the_limit_is_refused_with_413_and_nothing_stored()
    {
        await EnsureSetupAsync();
        var before = await fixture.Http.StoreSnapshotAsync();
        var big = """{"resourceType":"Patient","name":[{"family":""" + "\"" + new string('あ', 4 * 1024 * 1024) + "\"}]}";
        using var response = await fixture.Http.SendAsync(HttpMethod.Post, "Patient", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.NotEmpty((await response.ReadAsync<OperationOutcome>()).Issue);
        Assert.Equal(before, await fixture.Http.StoreSnapshotAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task Unknown_parameter_is_ignored_and_reported_when_lenient()
    {
        using var response = await fixture.Http.GetAsync("Patient?foo=bar&_count=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bundle = await response.ReadAsync<Bundle>();
        var outcome = Assert.Single(bundle.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Outcome);
        Assert.Contains("foo", ((OperationOutcome)outcome.Resource).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    private async System.Threading.Tasks.Task EnsureSetupAsync()
    {
        using var target = await fixture.Http.GetAsync($"Patient/{Target}");
        if (target.StatusCode == HttpStatusCode.OK)
        {
            return;
        }
        using var put = await fixture.Http.SendAsync(HttpMethod.Put, $"Patient/{Target}", $$"""{"resourceType":"Patient","id":"{{Target}}"}""");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await fixture.Http.CreateAsync(new Patient { Name = [new HumanName { Family = "重複" }] });
        await fixture.Http.CreateAsync(new Patient { Name = [new HumanName { Family = "重複" }] });
    }
}
