using MedNetPortal.Web.Features.Consent;
using FhirConsent = Hl7.Fhir.Model.Consent;

namespace MedNetPortal.UnitTests.Consent;

public sealed class ConsentRulesTests
{
    private const string Hospital = "1310123455";
    private const string Clinic = "1310267898";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    private static FhirConsent Standing(string code, DateTimeOffset start, DateTimeOffset? end) =>
        ConsentFhir.Build("Patient/p1", code, "施設", start, end, reception: false, performerDisplay: null);

    private static FhirConsent Reception(string code, DateTimeOffset start, DateTimeOffset? end) =>
        ConsentFhir.Build("Patient/p1", code, "施設", start, end, reception: true, performerDisplay: "医師");

    [Fact]
    public void A_consent_within_its_period_grants_until_its_end()
    {
        var access = ConsentRules.Evaluate([Standing(Hospital, Now.AddDays(-10), Now.AddDays(5))], Hospital, Now);

        Assert.Equal(PatientAccessKind.Consent, access.Kind);
        Assert.Equal(Now.AddDays(5), access.Until);
    }

    [Fact]
    public void An_open_ended_consent_grants_without_end()
    {
        var access = ConsentRules.Evaluate([Standing(Hospital, Now.AddYears(-1), null)], Hospital, Now);

        Assert.True(access.Allowed);
        Assert.Null(access.Until);
    }

    [Fact]
    public void A_consent_whose_period_ended_is_expired_and_one_not_yet_started_is_none()
    {
        Assert.Equal(PatientAccessDenial.ConsentExpired,
            ConsentRules.Evaluate([Standing(Hospital, Now.AddDays(-10), Now.AddSeconds(-1))], Hospital, Now).Denial);
        Assert.Equal(PatientAccessDenial.NoConsent,
            ConsentRules.Evaluate([Standing(Hospital, Now.AddDays(1), null)], Hospital, Now).Denial);
    }

    [Fact]
    public void A_reception_consent_lasts_24_hours_even_when_its_period_says_longer()
    {
        var consent = Reception(Hospital, Now.AddHours(-23), Now.AddDays(30));

        var within = ConsentRules.Evaluate([consent], Hospital, Now);
        var after = ConsentRules.Evaluate([consent], Hospital, Now.AddHours(1));

        Assert.Equal(Now.AddHours(1), within.Until);
        Assert.Equal(PatientAccessDenial.ConsentExpired, after.Denial);
    }

    [Fact]
    public void An_inactive_consent_or_one_for_another_organisation_does_not_count()
    {
        var inactive = Standing(Hospital, Now.AddDays(-1), null);
        inactive.Status = FhirConsent.ConsentState.Inactive;
        var other = Standing(Clinic, Now.AddDays(-1), null);

        var access = ConsentRules.Evaluate([inactive, other], Hospital, Now);

        Assert.Equal(PatientAccessDenial.NoConsent, access.Denial);
        Assert.True(ConsentRules.Evaluate([other], Clinic, Now).Allowed);
    }

    [Fact]
    public void The_latest_end_among_valid_consents_wins()
    {
        var access = ConsentRules.Evaluate(
            [Standing(Hospital, Now.AddDays(-1), Now.AddHours(2)), Reception(Hospital, Now.AddHours(-1), null)], Hospital, Now);

        Assert.Equal(Now.AddHours(23), access.Until);
    }

    [Fact]
    public void The_written_consent_has_the_documented_coding()
    {
        var consent = Reception(Hospital, Now, Now.AddHours(24));

        Assert.Equal(FhirConsent.ConsentState.Active, consent.Status);
        Assert.Equal("patient-privacy", consent.Scope.Coding[0].Code);
        Assert.Contains(consent.Category, c => c.Coding[0].Code == "59284-0");
        Assert.True(ConsentFhir.IsReception(consent));
        Assert.True(ConsentFhir.NamesFacility(consent, Hospital));
        Assert.Equal("医師", consent.Performer[0].Display);
    }
}
