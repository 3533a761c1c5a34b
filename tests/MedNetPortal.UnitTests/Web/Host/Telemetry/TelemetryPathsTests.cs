using System.ComponentModel.DataAnnotations;
using MedNetPortal.Web.Host.Telemetry;

namespace MedNetPortal.UnitTests.Web.Host.Telemetry;

public sealed class TelemetryPathsTests
{
    private static readonly string[] Fhir = ["/fhir"];

    [Theory]
    [InlineData("/fhir/Patient/0e07a3b2fdb64d6f87b54a8697865c24", "/fhir/Patient/{id}")]
    [InlineData("/fhir/Patient/EHR-0001/_history/3", "/fhir/Patient/{id}/_history/{vid}")]
    [InlineData("/fhir/Consent/_search", "/fhir/Consent/_search")]
    [InlineData("/fhir/Condition?patient=Patient/abc&_count=10", "/fhir/Condition")]
    [InlineData("/fhir/", "/fhir/")]
    [InlineData("/fhir", "/fhir/")]
    [InlineData("/fhir/metadata", "/fhir/metadata")]
    [InlineData("/fhir/auth/token", "/fhir/auth/token")]
    [InlineData("/fhir/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration")]
    [InlineData("/fhir/Bundle/abc/$validate", "/fhir/Bundle/{id}/$validate")]
    // A client-chosen id that looks like a word is still in an id's place.
    [InlineData("/fhir/Patient/sato", "/fhir/Patient/{id}")]
    [InlineData("/fhir/01137116", "/fhir/{id}")]
    public void FHIR_paths_keep_types_and_operations_and_lose_ids_and_queries(string path, string expected) =>
        Assert.Equal(expected, TelemetryPaths.Template(path, routePattern: "/fhir/{**rest}", Fhir));

    [Theory]
    [InlineData("/patients/{Id}", "/patients/{Id}")]
    [InlineData("/referrals/drafts/{DraftId:guid}", "/referrals/drafts/{DraftId}")]
    [InlineData("/fhir/{type:regex(^[A-Z][A-Za-z]{{1,63}}$)}/{id:regex(^[A-Za-z0-9\\-\\.]{{1,64}}$)}", "/fhir/{type}/{id}")]
    [InlineData("/{**rest}", "/{rest}")]
    [InlineData("patients/{Id?}", "/patients/{Id}")]
    public void Route_patterns_lose_their_constraints(string pattern, string expected) =>
        Assert.Equal(expected, TelemetryPaths.RouteTemplate(pattern));

    [Fact]
    public void A_portal_path_takes_its_route_and_an_unrouted_one_keeps_only_words()
    {
        Assert.Equal("/patients/{Id}", TelemetryPaths.Template("/patients/0e07a3b2fdb64d6f87b54a8697865c24", "/patients/{Id}", Fhir));
        Assert.Equal("/patients/{path}/emergency", TelemetryPaths.Template("/patients/0e07a3b2fdb64d6f87b54a8697865c24/emergency", null, Fhir));
        Assert.Equal("/letters/{path}", TelemetryPaths.Template("/letters/ABC-123?x=01137116", null, Fhir));
    }

    [Fact]
    public void A_URL_keeps_scheme_host_and_port_and_loses_user_info_ids_and_query()
    {
        Assert.Equal("https://fhir.example.jp:8443/r4/Patient/{id}",
            TelemetryPaths.TemplateUrl("https://user:secret@fhir.example.jp:8443/r4/Patient/123?identifier=01137116", ["/r4/"]));
        Assert.Equal("http://127.0.0.1:5080/fhir/Consent/_search", TelemetryPaths.TemplateUrl("http://127.0.0.1:5080/fhir/Consent/_search", Fhir));
    }

    [Fact]
    public void A_bare_path_is_not_taken_for_a_URL() => Assert.False(TelemetryPaths.IsHttpUrl("/fhir/Patient/1"));
}

public sealed class TelemetryOptionsTests
{
    [Fact]
    public void Off_by_default_and_valid_without_an_endpoint()
    {
        var options = new TelemetryOptions();

        Assert.False(options.Enabled);
        Assert.Empty(options.Validate(new ValidationContext(options)));
    }

    [Theory]
    [InlineData("", "Telemetry:Enabled is true")]
    [InlineData("otel-collector:4317", "absolute http or https URL")]
    [InlineData("ftp://collector/", "absolute http or https URL")]
    [InlineData("http://collector:4318/?token=x", "without a query")]
    public void Enabled_needs_an_http_endpoint_named_in_the_message(string endpoint, string expected)
    {
        var options = new TelemetryOptions { Enabled = true, OtlpEndpoint = endpoint };

        var problem = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Equal([nameof(TelemetryOptions.OtlpEndpoint)], problem.MemberNames);
        Assert.Contains(expected, problem.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_without_a_key_is_refused_by_position_never_quoting_its_value()
    {
        var options = new TelemetryOptions { OtlpHeaders = "api-key=s3cret, =s3cret-too" };

        var problem = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Contains("entry 2", problem.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", problem.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Headers_are_passed_on_trimmed() =>
        Assert.Equal("api-key=abc,x-tenant=t1", new TelemetryOptions { OtlpHeaders = " api-key = abc , x-tenant=t1 " }.ExporterHeaders);
}
