using System.Net;
using MedNetPortal.Fhir;

namespace MedNetPortal.UnitTests.Fhir.Client;

public sealed class FhirApiExceptionTests
{
    [Theory]
    [InlineData(400, FhirApiErrorReason.BadRequest)]
    [InlineData(401, FhirApiErrorReason.Unauthorized)]
    [InlineData(403, FhirApiErrorReason.Forbidden)]
    [InlineData(404, FhirApiErrorReason.NotFound)]
    [InlineData(405, FhirApiErrorReason.NotSupported)]
    [InlineData(409, FhirApiErrorReason.Conflict)]
    [InlineData(410, FhirApiErrorReason.Gone)]
    [InlineData(412, FhirApiErrorReason.PreconditionFailed)]
    [InlineData(413, FhirApiErrorReason.TooLarge)]
    [InlineData(422, FhirApiErrorReason.Unprocessable)]
    [InlineData(429, FhirApiErrorReason.TooManyRequests)]
    [InlineData(500, FhirApiErrorReason.ServerUnavailable)]
    [InlineData(502, FhirApiErrorReason.ServerUnavailable)]
    [InlineData(503, FhirApiErrorReason.ServerUnavailable)]
    [InlineData(504, FhirApiErrorReason.Timeout)]
    [InlineData(418, FhirApiErrorReason.Unexpected)]
    public void Status_maps_to_reason(int status, FhirApiErrorReason reason) =>
        Assert.Equal(reason, FhirApiException.ReasonFor((HttpStatusCode)status));

    [Fact]
    public void Every_reason_has_its_own_plain_message()
    {
        var messages = Enum.GetValues<FhirApiErrorReason>().Select(FhirApiException.DefaultMessage).ToList();

        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.Equal(messages.Count, messages.Distinct().Count());
    }

    [Fact]
    public void Message_is_the_user_message_and_diagnostics_stay_apart()
    {
        var ex = new FhirApiException(FhirApiErrorReason.BadRequest, FhirApiException.DefaultMessage(FhirApiErrorReason.BadRequest), HttpStatusCode.BadRequest, diagnostics: "patient 山田 太郎 invalid");

        Assert.Equal(ex.UserMessage, ex.Message);
        Assert.DoesNotContain("山田", ex.ToString(), StringComparison.Ordinal);
    }
}
