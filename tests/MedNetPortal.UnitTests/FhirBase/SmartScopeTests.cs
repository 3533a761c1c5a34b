using MedNetPortal.FhirBase.Security;

namespace MedNetPortal.UnitTests.FhirBase;

public sealed class SmartScopeTests
{
    [Theory]
    [InlineData("system/Patient.rs", "Patient", "rs")]
    [InlineData("system/*.cruds", "*", "cruds")]
    [InlineData("system/AuditEvent.c", "AuditEvent", "c")]
    [InlineData("system/Bundle.crs", "Bundle", "crs")]
    [InlineData("system/*.read", "*", "rs")]
    [InlineData("system/Observation.write", "Observation", "cud")]
    [InlineData("system/*.*", "*", "cruds")]
    public void System_scopes_of_SMART_v2_and_v1_parse(string text, string type, string letters)
    {
        Assert.True(SmartScope.TryParse(text, out var scope));
        Assert.Equal(type, scope.Type);
        Assert.Equal(letters, SmartScope.LettersOf(scope.Permissions));
    }

    [Theory]
    [InlineData("patient/*.rs")]
    [InlineData("user/Patient.read")]
    [InlineData("system/Patient.sr")]
    [InlineData("system/Patient.rr")]
    [InlineData("system/Patient.x")]
    [InlineData("system/Patient.")]
    [InlineData("system/.rs")]
    [InlineData("system/patient.rs")]
    [InlineData("system/Observation.rs?category=laboratory")]
    [InlineData("openid")]
    [InlineData("")]
    public void Anything_else_is_not_a_system_scope(string text) => Assert.False(SmartScope.TryParse(text, out _));

    [Fact]
    public void Access_is_the_union_of_the_tokens_scopes_and_ignores_what_it_does_not_understand()
    {
        var access = FhirAccess.From(["system/Patient.r", "system/*.s", "patient/*.cruds", "roles-of-something-else"], "c");

        Assert.True(access.Allows("Patient", SmartPermissions.Read | SmartPermissions.Search));
        Assert.True(access.Allows("Condition", SmartPermissions.Search));
        Assert.False(access.Allows("Condition", SmartPermissions.Read));
        Assert.False(access.Allows("Patient", SmartPermissions.Create));
        Assert.False(access.AllowsEveryType(SmartPermissions.Read));
    }

    [Theory]
    [InlineData("system/*.cruds", "system/*.rs system/AuditEvent.c", "system/*.rs system/AuditEvent.c")]
    [InlineData("system/Patient.cruds", "system/*.rs system/AuditEvent.c", "system/Patient.rs")]
    [InlineData("system/AuditEvent.cud", "system/*.rs system/AuditEvent.c", "system/AuditEvent.c")]
    [InlineData("system/*.read", "system/*.cruds", "system/*.read")]
    [InlineData("system/Patient.rs system/Condition.rs", "system/Patient.rs", "system/Patient.rs")]
    [InlineData("", "system/*.rs system/Consent.c", "system/*.rs system/Consent.c")]
    [InlineData("system/Condition.d", "system/*.rs", "")]
    public void The_token_endpoint_grants_what_was_asked_narrowed_to_what_is_registered(string requested, string allowed, string granted)
    {
        var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var registered = new FhirBaseClientOptions { Scopes = allowed }.AllowedScopes();

        var result = SmartScopeGrant.Grant(asked, registered, out var unknown);

        Assert.Null(unknown);
        Assert.Equal(granted.Split(' ', StringSplitOptions.RemoveEmptyEntries), result);
    }

    [Fact]
    public void An_unknown_scope_in_the_request_is_named()
    {
        var result = SmartScopeGrant.Grant(["system/*.rs", "launch"], new FhirBaseClientOptions { Scopes = "system/*.rs" }.AllowedScopes(), out var unknown);

        Assert.Empty(result);
        Assert.Equal("launch", unknown);
    }
}
