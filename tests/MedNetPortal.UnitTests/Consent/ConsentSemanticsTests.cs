using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Consent;
using FhirConsent = Hl7.Fhir.Model.Consent;

namespace MedNetPortal.UnitTests.Consent;

/// <summary>
/// Issue 11, item 3: a Consent means what FHIR R4 says. Only a permit opens the record; a deny or an opt-out that applies to
/// the facility wins over any permit; nested provisions are exceptions to their parent.
/// </summary>
public sealed class ConsentSemanticsTests
{
    private const string Hospital = "1310123455";
    private const string Clinic = "1310267898";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    private static FhirConsent Permit(string code) =>
        ConsentFhir.Build("Patient/p1", code, "施設", Now.AddDays(-1), null, reception: false, performerDisplay: null);

    private static FhirConsent.provisionActorComponent Actor(string code) => new()
    {
        Role = new CodeableConcept(ConsentFhir.ActorRoleSystem, ConsentFhir.ActorRoleCode),
        Reference = new ResourceReference { Identifier = new Identifier(JpFhir.Systems.MedicalInstitutionCode, code) },
    };

    private static FhirConsent With(FhirConsent.ConsentProvisionType? type, string? actor, params FhirConsent.provisionComponent[] nested)
    {
        var consent = Permit(Hospital);
        consent.Provision = Provision(type, actor, nested);
        consent.Provision.Period = new Period(new FhirDateTime(Now.AddDays(-1)), null);
        return consent;
    }

    private static FhirConsent.provisionComponent Provision(FhirConsent.ConsentProvisionType? type, string? actor, params FhirConsent.provisionComponent[] nested)
    {
        var provision = new FhirConsent.provisionComponent { Type = type, Provision = [.. nested] };
        if (actor is not null)
        {
            provision.Actor.Add(Actor(actor));
        }

        return provision;
    }

    [Fact]
    public void A_deny_consent_naming_the_facility_refuses_the_record()
    {
        var access = ConsentRules.Evaluate([With(FhirConsent.ConsentProvisionType.Deny, Hospital)], Hospital, Now);

        Assert.False(access.Allowed);
        Assert.Equal(PatientAccessDenial.ConsentRefused, access.Denial);
    }

    [Fact]
    public void A_deny_wins_over_a_permit_in_another_consent()
    {
        var access = ConsentRules.Evaluate([Permit(Hospital), With(FhirConsent.ConsentProvisionType.Deny, Hospital)], Hospital, Now);

        Assert.Equal(PatientAccessDenial.ConsentRefused, access.Denial);
    }

    [Fact]
    public void A_deny_of_another_facility_leaves_the_permit_standing()
    {
        var access = ConsentRules.Evaluate([Permit(Hospital), With(FhirConsent.ConsentProvisionType.Deny, Clinic)], Hospital, Now);

        Assert.True(access.Allowed);
    }

    [Fact]
    public void A_provision_without_a_type_opens_nothing()
    {
        Assert.Equal(PatientAccessDenial.NoConsent, ConsentRules.Evaluate([With(null, Hospital)], Hospital, Now).Denial);
    }

    [Fact]
    public void A_blanket_permit_naming_no_facility_opens_nothing()
    {
        Assert.Equal(PatientAccessDenial.NoConsent, ConsentRules.Evaluate([With(FhirConsent.ConsentProvisionType.Permit, null)], Hospital, Now).Denial);
    }

    [Fact]
    public void An_opt_out_policy_naming_the_facility_refuses_whatever_its_provision_says()
    {
        var optOut = Permit(Hospital);
        optOut.PolicyRule = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTOUT");

        Assert.Equal(PatientAccessDenial.ConsentRefused, ConsentRules.Evaluate([optOut, Permit(Hospital)], Hospital, Now).Denial);
        Assert.Equal(PatientAccessDenial.NoConsent, ConsentRules.Evaluate([optOut], Clinic, Now).Denial);
    }

    [Fact]
    public void A_nested_deny_under_a_permit_closes_the_record()
    {
        var consent = With(FhirConsent.ConsentProvisionType.Permit, Hospital, Provision(FhirConsent.ConsentProvisionType.Deny, null));

        Assert.Equal(PatientAccessDenial.ConsentRefused, ConsentRules.Evaluate([consent], Hospital, Now).Denial);
    }

    [Fact]
    public void A_nested_permit_naming_the_facility_is_the_exception_to_a_blanket_deny()
    {
        var consent = With(FhirConsent.ConsentProvisionType.Deny, null, Provision(FhirConsent.ConsentProvisionType.Permit, Hospital));

        Assert.True(ConsentRules.Evaluate([consent], Hospital, Now).Allowed);
        Assert.Equal(PatientAccessDenial.ConsentRefused, ConsentRules.Evaluate([consent], Clinic, Now).Denial);
    }

    [Fact]
    public void A_nested_provision_inherits_its_parents_type_and_honours_its_own_period()
    {
        var inherited = With(FhirConsent.ConsentProvisionType.Permit, null, Provision(null, Hospital));
        var ended = Provision(FhirConsent.ConsentProvisionType.Deny, Hospital);
        ended.Period = new Period(new FhirDateTime(Now.AddDays(-3)), new FhirDateTime(Now.AddDays(-2)));
        var pastDeny = With(FhirConsent.ConsentProvisionType.Permit, Hospital, ended);

        Assert.True(ConsentRules.Evaluate([inherited], Hospital, Now).Allowed);
        Assert.True(ConsentRules.Evaluate([pastDeny], Hospital, Now).Allowed);
    }

    [Fact]
    public void An_inactive_deny_refuses_nothing()
    {
        var deny = With(FhirConsent.ConsentProvisionType.Deny, Hospital);
        deny.Status = FhirConsent.ConsentState.Inactive;

        Assert.True(ConsentRules.Evaluate([Permit(Hospital), deny], Hospital, Now).Allowed);
    }
}
