using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Consent;

/// <summary>
/// How a consent to share the record with one facility is written in the central base (docs/fhir-base.md, "Consent"):
/// status active, scope patient-privacy, category LOINC 59284-0, the Patient, <c>provision.actor.reference</c> carrying the
/// facility's 医療機関コード as a logical identifier (so the check needs no Organization lookup), and the provision period.
/// An outpatient consent confirmed at reception also carries the category <see cref="ReceptionCategorySystem"/>|
/// <see cref="ReceptionCategoryCode"/> and is valid 24 hours from its start, whatever its period says.
/// </summary>
public static class ConsentFhir
{
    public const string LoincSystem = "http://loinc.org";
    public const string PatientConsentLoinc = "59284-0";
    public const string ScopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope";
    public const string ScopePrivacy = "patient-privacy";
    public const string ReceptionCategorySystem = "urn:mednetportal:consent-category";
    public const string ReceptionCategoryCode = "outpatient-reception";
    public const string ActorRoleSystem = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public const string ActorRoleCode = "IRCP";

    /// <summary>How long an outpatient consent given at reception lasts.</summary>
    public static readonly TimeSpan ReceptionWindow = TimeSpan.FromHours(24);

    /// <summary>Whether the consent is the 24-hour kind confirmed at reception.</summary>
    public static bool IsReception(Hl7.Fhir.Model.Consent consent) =>
        consent.Category.Any(c => c.Coding.Any(x => x.System == ReceptionCategorySystem && x.Code == ReceptionCategoryCode));

    /// <summary>Whether a provision actor, at any depth, names the facility with this 医療機関コード.</summary>
    public static bool NamesFacility(Hl7.Fhir.Model.Consent consent, string facilityCode) =>
        consent.Provision is { } root && Provisions(root).Any(p => p.Actor.Any(a => a.Reference?.Identifier is { } id
                                                                               && id.System == JpFhir.Systems.MedicalInstitutionCode
                                                                               && id.Value == facilityCode));

    private static IEnumerable<Hl7.Fhir.Model.Consent.provisionComponent> Provisions(Hl7.Fhir.Model.Consent.provisionComponent provision) =>
        provision.Provision.SelectMany(Provisions).Prepend(provision);

    /// <summary>A consent for <paramref name="facilityCode"/>; <paramref name="reception"/> marks the 24-hour outpatient kind.</summary>
    public static Hl7.Fhir.Model.Consent Build(
        string patientReference, string facilityCode, string facilityName, DateTimeOffset start, DateTimeOffset? end, bool reception,
        string? performerDisplay, Identifier? identifier = null)
    {
        var category = new List<CodeableConcept> { new(LoincSystem, PatientConsentLoinc, "Patient Consent") };
        if (reception)
        {
            category.Add(new CodeableConcept(ReceptionCategorySystem, ReceptionCategoryCode, "本日受付で同意を確認"));
        }

        var organization = new ResourceReference
        {
            Identifier = new Identifier(JpFhir.Systems.MedicalInstitutionCode, facilityCode),
            Display = facilityName,
        };
        var consent = new Hl7.Fhir.Model.Consent
        {
            Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
            Scope = new CodeableConcept(ScopeSystem, ScopePrivacy),
            Category = category,
            Patient = new ResourceReference(patientReference),
            DateTimeElement = new FhirDateTime(start),
            Organization = [organization],
            PolicyRule = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"),
            Provision = new Hl7.Fhir.Model.Consent.provisionComponent
            {
                Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
                Period = new Period(new FhirDateTime(start), end is { } e ? new FhirDateTime(e) : null),
                Actor =
                [
                    new Hl7.Fhir.Model.Consent.provisionActorComponent
                    {
                        Role = new CodeableConcept(ActorRoleSystem, ActorRoleCode),
                        Reference = new ResourceReference
                        {
                            Identifier = new Identifier(JpFhir.Systems.MedicalInstitutionCode, facilityCode),
                            Display = facilityName,
                        },
                    },
                ],
            },
        };
        if (performerDisplay is not null)
        {
            consent.Performer = [new ResourceReference { Display = performerDisplay }];
        }

        if (identifier is not null)
        {
            consent.Identifier = [identifier];
        }

        return consent;
    }
}

/// <summary>The consent rules, without I/O (unit-tested).</summary>
/// <remarks>
/// What FHIR R4 says a Consent means, applied to one facility: only an active Consent counts; its provision tree is read from
/// the root down, a provision without a type taking its parent's, a nested provision being an exception to its parent; a
/// provision applies to the facility when it names the facility among its actors or names no actor at all, and only while
/// its period (if any) holds. A permit counts only where the facility is named on the way down (no blanket permits). A deny
/// naming the facility, a nested deny that applies to it, or an opt-out Consent (<c>OPTOUT</c>/<c>OPTOUTE</c>) that applies to
/// it at all, wins over any permit, in the same Consent or another: the portal shows the whole record or nothing, so a deny
/// of part of the record closes all of it. Only a blanket deny (no actor) can be excepted by a nested permit naming the
/// facility ("nobody but this clinic").
/// </remarks>
public static class ConsentRules
{
    private const string ActCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /// <summary>What one Consent says about one facility now.</summary>
    internal enum Decision
    {
        None,
        Permit,
        Deny,
    }

    /// <summary>
    /// The consent decision for one facility among a patient's Consents: refused when any valid one denies; else granted until
    /// the latest end among the permits valid now (null = open-ended); else expired when one for the facility has ended; else
    /// no consent.
    /// </summary>
    public static PatientAccess Evaluate(IEnumerable<Hl7.Fhir.Model.Consent> consents, string facilityCode, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(consents);
        var expired = false;
        var granted = false;
        var refused = false;
        DateTimeOffset? until = null;
        var openEnded = false;
        foreach (var consent in consents)
        {
            if (consent.Status != Hl7.Fhir.Model.Consent.ConsentState.Active)
            {
                continue;
            }

            var (start, end) = Window(consent);
            if (start is { } s && s > now)
            {
                continue;
            }

            if (end is { } e && e <= now)
            {
                expired |= ConsentFhir.NamesFacility(consent, facilityCode);
                continue;
            }

            switch (Decide(consent, facilityCode, now))
            {
                case Decision.Deny:
                    refused = true;
                    break;
                case Decision.Permit:
                    granted = true;
                    if (end is null)
                    {
                        openEnded = true;
                    }
                    else if (until is null || end > until)
                    {
                        until = end;
                    }

                    break;
            }
        }

        if (refused)
        {
            return PatientAccess.Denied(PatientAccessDenial.ConsentRefused);
        }

        if (granted)
        {
            return new PatientAccess(PatientAccessKind.Consent, openEnded ? null : until, null);
        }

        return PatientAccess.Denied(expired ? PatientAccessDenial.ConsentExpired : PatientAccessDenial.NoConsent);
    }

    /// <summary>What one active Consent, within its window, says about the facility now.</summary>
    internal static Decision Decide(Hl7.Fhir.Model.Consent consent, string facilityCode, DateTimeOffset now)
    {
        var optOut = consent.PolicyRule?.Coding.Any(c => c.System == ActCodeSystem && c.Code is "OPTOUT" or "OPTOUTE") == true;
        if (consent.Provision is not { } root)
        {
            // An opt-out with no provision refuses everyone; an opt-in with none permits no one in particular.
            return optOut ? Decision.Deny : Decision.None;
        }

        var decision = Walk(root, inherited: null, named: false, facilityCode, now);
        return optOut && decision != Decision.None ? Decision.Deny : decision;
    }

    private static Decision Walk(
        Hl7.Fhir.Model.Consent.provisionComponent provision, Hl7.Fhir.Model.Consent.ConsentProvisionType? inherited, bool named,
        string facilityCode, DateTimeOffset now)
    {
        var namesFacility = provision.Actor.Any(a => NamesFacility(a, facilityCode));
        if ((provision.Actor.Count > 0 && !namesFacility) || !Covers(provision.Period, now))
        {
            return Decision.None;
        }

        named |= namesFacility;
        var type = provision.Type ?? inherited;
        var own = type switch
        {
            Hl7.Fhir.Model.Consent.ConsentProvisionType.Deny => Decision.Deny,
            Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit when named => Decision.Permit,
            _ => Decision.None,
        };
        if (own == Decision.Deny && namesFacility)
        {
            return Decision.Deny;
        }

        // A nested provision is an exception to its parent: where one applies it decides (a deny among them wins).
        var nested = provision.Provision.Select(p => Walk(p, type, named, facilityCode, now)).ToList();
        return nested.Contains(Decision.Deny) ? Decision.Deny
            : nested.Contains(Decision.Permit) ? Decision.Permit
            : own;
    }

    private static bool NamesFacility(Hl7.Fhir.Model.Consent.provisionActorComponent actor, string facilityCode) =>
        actor.Reference?.Identifier is { } id && id.System == JpFhir.Systems.MedicalInstitutionCode && id.Value == facilityCode;

    private static bool Covers(Period? period, DateTimeOffset now) =>
        period is null
        || ((Parse(period.StartElement) is not { } start || start <= now) && (Parse(period.EndElement) is not { } end || end > now));

    /// <summary>The consent's validity window; a reception consent without a start is never valid.</summary>
    internal static (DateTimeOffset? Start, DateTimeOffset? End) Window(Hl7.Fhir.Model.Consent consent)
    {
        var start = Parse(consent.Provision?.Period?.StartElement) ?? Parse(consent.DateTimeElement);
        var end = Parse(consent.Provision?.Period?.EndElement);
        if (ConsentFhir.IsReception(consent))
        {
            if (start is not { } s)
            {
                return (DateTimeOffset.MaxValue, DateTimeOffset.MinValue);
            }

            var windowEnd = s + ConsentFhir.ReceptionWindow;
            end = end is { } e && e < windowEnd ? e : windowEnd;
        }

        return (start, end);
    }

    private static DateTimeOffset? Parse(FhirDateTime? value) =>
        value?.TryToDateTimeOffset(out var parsed) == true ? parsed : null;
}
