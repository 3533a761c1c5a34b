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

    [Fact]
    public void The_log_summary_holds_the_status_codes_and_paths_but_no_server_words()
    {
        var outcome = new Hl7.Fhir.Model.OperationOutcome
        {
            Issue =
            [
                new() { Severity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Error, Code = Hl7.Fhir.Model.OperationOutcome.IssueType.Processing,
                    Diagnostics = "Patient 佐藤 健一 01137116:A12:3456789: has no address", Expression = ["Bundle.entry[1].resource.address"] },
                new() { Severity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Error, Code = Hl7.Fhir.Model.OperationOutcome.IssueType.Invalid,
                    Expression = ["Patient.identifier.where(value='01137116:A12:3456789:')"] },
            ],
        };
        var error = new FhirApiException(FhirApiErrorReason.Unprocessable, "x", HttpStatusCode.UnprocessableEntity, outcome, "diagnostics");

        Assert.Equal("HTTP 422 (processing at Bundle.entry[1].resource.address; invalid)", error.LogSummary);
    }

    [Fact]
    public void Without_an_answer_the_log_summary_names_the_reason()
    {
        Assert.Equal("Timeout", new FhirApiException(FhirApiErrorReason.Timeout, "x").LogSummary);
    }
}
