using System.Net;
using System.Net.Http;
using MedNetPortal.Web.Features.Health;

namespace MedNetPortal.UnitTests.Web.Features.Health;

public sealed class CentralFhirBaseHealthCheckTests
{
    [Fact]
    public void Connection_failures_give_a_short_reason_without_the_exception_message()
    {
        var error = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (secret-host.internal:443)");

        var reason = CentralFhirBaseHealthCheck.Describe(error);

        Assert.Equal("cannot reach the central base (ConnectionError)", reason);
    }

    [Fact]
    public void Http_errors_give_the_status_code()
    {
        var error = new HttpRequestException("boom", null, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("the central base answered HTTP 503", CentralFhirBaseHealthCheck.Describe(error));
    }

    [Fact]
    public void Wrapped_http_errors_are_unwrapped_and_others_give_only_the_type_name()
    {
        var wrapped = new TaskCanceledException("x", new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"));

        Assert.Equal("cannot reach the central base (NameResolutionError)", CentralFhirBaseHealthCheck.Describe(wrapped));
        Assert.Equal("the central base check failed (FormatException)", CentralFhirBaseHealthCheck.Describe(new FormatException("details")));
    }
}
