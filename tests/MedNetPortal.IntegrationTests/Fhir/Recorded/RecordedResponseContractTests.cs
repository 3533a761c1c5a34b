using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Fhir.Recorded;

/// <summary>The typed client against responses in the shapes other FHIR R4 servers send; asserts results and exact requests.</summary>
public sealed class RecordedResponseContractTests
{
    private const string Base = "https://fhir.example.org/r4/";

    private static (RecordedServer Server, ServiceProvider Services, CentralFhirClient Client) Start(string baseUrl = "https://fhir.example.org/r4")
    {
        var server = new RecordedServer();
        var services = server.BuildServices(baseUrl);
        return (server, services, services.GetRequiredService<CentralFhirClient>());
    }

    [Fact]
    public async System.Threading.Tasks.Task Get_search_sends_fhir_accept_and_exact_query_then_follows_hapi_next_link_on_the_base()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "hapi-searchset-page1.json").Then(HttpStatusCode.OK, "hapi-searchset-page2.json");

        var entries = await client.SearchAllAsync<Condition>(
            new FhirSearchParameters().Add("patient", "Patient/p1").Add("_count", "2").Add("_revinclude", "Provenance:target").Add("_revinclude", "AuditEvent:entity"),
            usePost: false, maxPages: 10, CancellationToken.None);

        Assert.Equal(["c1", "c2", "c3"], entries.Select(e => e.Resource!.Id));
        Assert.Equal(2, server.Requests.Count);
        var first = server.Requests[0];
        Assert.Equal(HttpMethod.Get, first.Method);
        Assert.Equal(Base + "Condition?patient=Patient%2Fp1&_count=2&_revinclude=Provenance%3Atarget&_revinclude=AuditEvent%3Aentity", first.Uri.AbsoluteUri);
        Assert.Equal("application/fhir+json", first.Header("Accept"));
        Assert.Null(first.Body);
        var second = server.Requests[1];
        Assert.Equal(HttpMethod.Get, second.Method);
        Assert.Equal("https://fhir.example.org/r4?_getpages=3b1c9a6e-7d0f-4a51-9a1e-2f1a3c5d7e90&_getpagesoffset=2&_count=2&_pretty=true&_bundletype=searchset", second.Uri.AbsoluteUri);
        Assert.Equal("application/fhir+json", second.Header("Accept"));
    }

    [Fact]
    public async System.Threading.Tasks.Task NextPage_is_one_round_trip_and_null_at_the_end()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "hapi-searchset-page2.json");
        var page1 = FhirJson.Deserialize<Bundle>(TestText.Utf8("hapi-searchset-page1.json"));

        var page2 = await client.NextPageAsync(page1, CancellationToken.None);
        var page3 = await client.NextPageAsync(page2!, CancellationToken.None);

        Assert.Equal("c3", Assert.Single(page2!.Entry).Resource!.Id);
        Assert.Null(page3);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("searchset-next-elsewhere.json")]
    [InlineData("searchset-next-other-path.json")]
    public async System.Threading.Tasks.Task Next_links_off_the_base_are_refused_without_sending(string file)
    {
        var (server, services, client) = Start();
        using var _ = services;
        var page = FhirJson.Deserialize<Bundle>(TestText.Utf8(file));

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.NextPageAsync(page, CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.UntrustedLink, ex.Reason);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async System.Threading.Tasks.Task Post_search_puts_parameters_in_a_form_body_not_the_url()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "hapi-searchset-page2.json");

        var bundle = await client.SearchPostAsync<Patient>(
            new FhirSearchParameters().Add("identifier", "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|00012345:あいう:１８７:05,http://x|y").Add("_count", "5"),
            CancellationToken.None);

        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Base + "Patient/_search", request.Uri.AbsoluteUri);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(
            "identifier=http%3A%2F%2Fjpfhir.jp%2Ffhir%2Fclins%2FIdsystem%2FJP_Insurance_memberID%7C00012345%3A%E3%81%82%E3%81%84%E3%81%86%3A%EF%BC%91%EF%BC%98%EF%BC%97%3A05%2Chttp%3A%2F%2Fx%7Cy&_count=5",
            request.Body);
        Assert.Equal("application/fhir+json", request.Header("Accept"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Conditional_create_sends_fhir_json_and_if_none_exist_and_reads_201_location_without_body()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.Created, configure: r =>
        {
            r.Headers.Location = new Uri(Base + "Patient/p42/_history/1");
            r.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"1\"", isWeak: true);
        });
        var patient = new Patient { Gender = AdministrativeGender.Female };

        var result = await client.CreateAsync(patient, "identifier=http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|00012345::187:", CancellationToken.None);

        Assert.True(result.Created);
        Assert.Null(result.Resource);
        Assert.Equal("p42", result.Id);
        Assert.Equal("1", result.VersionId);
        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Base + "Patient", request.Uri.AbsoluteUri);
        Assert.Equal("application/fhir+json; charset=utf-8", request.ContentType);
        Assert.Equal("identifier=http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID|00012345::187:", request.Header("If-None-Exist"));
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("Patient", body.RootElement.GetProperty("resourceType").GetString());
        Assert.Equal("female", body.RootElement.GetProperty("gender").GetString());
    }

    [Fact]
    public async System.Threading.Tasks.Task Create_without_condition_sends_no_if_none_exist_and_reads_201_body()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.Created, "patient-created.json", configure: r => r.Headers.Location = new Uri(Base + "Patient/p42/_history/1"));

        var result = await client.CreateAsync(new Patient(), null, CancellationToken.None);

        Assert.True(result.Created);
        Assert.Equal("p42", result.Resource!.Id);
        Assert.Equal("テスト", result.Resource.Name[0].Family);
        Assert.Equal("1", result.VersionId);
        Assert.Null(Assert.Single(server.Requests).Header("If-None-Exist"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Conditional_create_matching_an_existing_resource_is_200_not_created()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "patient-created.json");

        var result = await client.CreateAsync(new Patient(), "identifier=a|b", CancellationToken.None);

        Assert.False(result.Created);
        Assert.Equal("p42", result.Id);
    }

    [Fact]
    public async System.Threading.Tasks.Task Raw_interface_create_also_sends_fhir_content_type()
    {
        var (server, services, _) = Start();
        using var __ = services;
        server.Then(HttpStatusCode.Created, "patient-created.json");
        var api = services.GetRequiredService<IFhirApi>();

        using var response = await api.CreateAsync("Patient", new Patient(), null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.IsType<Patient>(response.Content);
        Assert.StartsWith("application/fhir+json", Assert.Single(server.Requests).ContentType, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "outcome-400-invalid.json", FhirApiErrorReason.BadRequest, "HAPI-0450")]
    [InlineData(HttpStatusCode.NotFound, "outcome-404-not-found.json", FhirApiErrorReason.NotFound, "HAPI-2001")]
    [InlineData(HttpStatusCode.Gone, "outcome-410-gone.json", FhirApiErrorReason.Gone, "HAPI-2244")]
    [InlineData(HttpStatusCode.UnprocessableEntity, "outcome-422-unprocessable.json", FhirApiErrorReason.Unprocessable, "does not match the profile")]
    public async System.Threading.Tasks.Task OperationOutcome_errors_become_one_typed_exception_with_safe_message(HttpStatusCode status, string file, FhirApiErrorReason reason, string serverText)
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(status, file);

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.ReadAsync<Patient>("p1", CancellationToken.None));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(reason, ex.Reason);
        Assert.NotNull(ex.Outcome);
        Assert.Contains(serverText, ex.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain(serverText, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("山田", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("あいう", ex.Message, StringComparison.Ordinal);
        Assert.Equal(FhirApiException.DefaultMessage(reason), ex.UserMessage);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async System.Threading.Tasks.Task Update_sends_if_match_and_a_412_is_precondition_failed()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.PreconditionFailed, "outcome-412-version-conflict.json");

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.UpdateAsync(new Patient { Id = "p1" }, "1", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.PreconditionFailed, ex.Reason);
        Assert.Equal(HttpStatusCode.PreconditionFailed, ex.StatusCode);
        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal(Base + "Patient/p1", request.Uri.AbsoluteUri);
        Assert.Equal("W/\"1\"", request.Header("If-Match"));
        Assert.Equal("application/fhir+json; charset=utf-8", request.ContentType);
    }

    [Fact]
    public async System.Threading.Tasks.Task Update_reads_new_version_from_body()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "patient-created.json");

        var result = await client.UpdateAsync(new Patient { Id = "p42" }, null, CancellationToken.None);

        Assert.False(result.Created);
        Assert.Equal("1", result.VersionId);
        Assert.Null(Assert.Single(server.Requests).Header("If-Match"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Html_502_from_a_proxy_is_server_unavailable_without_outcome_after_get_retries()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.BadGateway, "proxy-502.html", "text/html")
            .Then(HttpStatusCode.BadGateway, "proxy-502.html", "text/html")
            .Then(HttpStatusCode.BadGateway, "proxy-502.html", "text/html");

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.ReadAsync<Patient>("p1", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.ServerUnavailable, ex.Reason);
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Null(ex.Outcome);
        Assert.Contains("text/html", ex.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("nginx", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async System.Threading.Tasks.Task Empty_error_body_is_still_a_typed_exception()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.Forbidden);

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.ReadAsync<Patient>("p1", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.Forbidden, ex.Reason);
        Assert.Null(ex.Outcome);
    }

    [Fact]
    public async System.Threading.Tasks.Task Malformed_json_200_on_read_is_malformed_response()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "malformed-truncated.json");

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.ReadAsync<Patient>("p1", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.MalformedResponse, ex.Reason);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async System.Threading.Tasks.Task Malformed_json_201_on_create_is_malformed_response_and_not_retried()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.Created, "malformed-truncated.json");

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.CreateAsync(new Patient(), null, CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.MalformedResponse, ex.Reason);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async System.Threading.Tasks.Task Html_200_on_search_is_malformed_response()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "proxy-502.html", "text/html");

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.SearchAsync<Patient>(new FhirSearchParameters().Add("_id", "p1"), CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.MalformedResponse, ex.Reason);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_read_returning_another_resource_type_is_malformed_response()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "wrong-resource-type.json");

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.ReadAsync<Patient>("p1", CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.MalformedResponse, ex.Reason);
    }

    [Fact]
    public async System.Threading.Tasks.Task Post_create_is_never_retried_on_503()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.Created, "patient-created.json");

        var ex = await Assert.ThrowsAsync<FhirApiException>(() => client.CreateAsync(new Patient(), null, CancellationToken.None));

        Assert.Equal(FhirApiErrorReason.ServerUnavailable, ex.Reason);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async System.Threading.Tasks.Task Transaction_post_is_never_retried_on_503()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK, "transaction-response.json");

        await Assert.ThrowsAsync<FhirApiException>(() => client.TransactionAsync(new Bundle { Type = Bundle.BundleType.Transaction }, CancellationToken.None));

        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Base, request.Uri.AbsoluteUri);
    }

    [Fact]
    public async System.Threading.Tasks.Task Put_update_is_never_retried_on_503()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK, "patient-created.json");

        await Assert.ThrowsAsync<FhirApiException>(() => client.UpdateAsync(new Patient { Id = "p42" }, "1", CancellationToken.None));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async System.Threading.Tasks.Task Get_is_retried_on_503_and_succeeds()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK, "patient-created.json");

        var patient = await client.ReadAsync<Patient>("p42", CancellationToken.None);

        Assert.Equal("p42", patient.Id);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(Base + "Patient/p42", r.Uri.AbsoluteUri));
    }

    [Fact]
    public async System.Threading.Tasks.Task Post_search_is_retried_on_503_with_the_same_body()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK, "hapi-searchset-page2.json");

        await client.SearchPostAsync<Patient>(new FhirSearchParameters().Add("_id", "p1"), CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("_id=p1", r.Body));
    }

    [Fact]
    public async System.Threading.Tasks.Task Transaction_posts_to_the_base_root_with_fhir_json_and_returns_the_response_bundle()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.OK, "transaction-response.json");
        var tx = new Bundle { Type = Bundle.BundleType.Transaction };
        tx.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:0c3e9d2a-1111-4c3b-9a55-7d7a1f0e0001",
            Resource = new Patient(),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient", IfNoneExist = "identifier=a|b" },
        });

        var response = await client.TransactionAsync(tx, CancellationToken.None);

        Assert.Equal(Bundle.BundleType.TransactionResponse, response.Type);
        Assert.Equal(2, response.Entry.Count);
        var request = Assert.Single(server.Requests);
        Assert.Equal("application/fhir+json; charset=utf-8", request.ContentType);
        Assert.Contains("\"ifNoneExist\":\"identifier=a|b\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Read_vread_history_and_metadata_hit_the_exact_paths()
    {
        var (server, services, client) = Start("https://fhir.example.org/r4/");
        using var _ = services;
        server.Then(HttpStatusCode.OK, "patient-created.json")
            .Then(HttpStatusCode.OK, "patient-created.json")
            .Then(HttpStatusCode.OK, "hapi-searchset-page2.json")
            .Then(HttpStatusCode.OK, "patient-created.json");

        await client.ReadAsync<Patient>("p42", CancellationToken.None);
        await client.VReadAsync<Patient>("p42", "1", CancellationToken.None);
        await client.HistoryAsync<Patient>("p42", 10, CancellationToken.None);
        await Assert.ThrowsAsync<FhirApiException>(() => client.GetCapabilitiesAsync(CancellationToken.None));

        Assert.Equal(
            [Base + "Patient/p42", Base + "Patient/p42/_history/1", Base + "Patient/p42/_history?_count=10", Base + "metadata"],
            server.Requests.Select(r => r.Uri.AbsoluteUri));
        Assert.All(server.Requests, r => Assert.Equal(HttpMethod.Get, r.Method));
    }

    [Fact]
    public async System.Threading.Tasks.Task Path_segments_are_escaped()
    {
        var (server, services, client) = Start();
        using var _ = services;
        server.Then(HttpStatusCode.NotFound, "outcome-404-not-found.json");

        await Assert.ThrowsAsync<FhirApiException>(() => client.ReadAsync<Patient>("../Observation/x", CancellationToken.None));

        Assert.StartsWith(Base + "Patient/", Assert.Single(server.Requests).Uri.AbsoluteUri, StringComparison.Ordinal);
    }
}
