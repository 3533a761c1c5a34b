using System.Text;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// An <see cref="AuditEntry"/> as a FHIR R4 AuditEvent in the shape of IHE Basic Audit Log Patterns: type/subtype/action,
/// recorded, outcome, the user as requestor agent with the client's network address, the facility as a second agent, the
/// portal as source observer, and the patient (a reference) or, for a lookup, the query as its keyed hash — never the
/// identifier typed. The id is derived from the entry's chain hash, so sending it twice (PUT) stores it once.
/// </summary>
internal static class AuditEventMapper
{
    public const string ActionSystem = "urn:mednet-portal:audit-action";
    public const string AccountSystem = "urn:mednet-portal:account";
    public const string SystemSystem = "urn:mednet-portal:system";
    public const string PortalObserver = "mednet-portal";
    private const string Dcm = "http://dicom.nema.org/resources/ontology/DCM";
    private const string EventType = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private const string Restful = "http://hl7.org/fhir/restful-interaction";

    /// <summary>The AuditEvent id: the entry's hash (64 hex characters, a valid FHIR id).</summary>
    public static string IdOf(AuditEntry entry) => entry.Hash;

    public static AuditEvent Map(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (type, subtype, action) = Classify(entry.Action);
        var audit = new AuditEvent
        {
            Id = IdOf(entry),
            Type = type,
            Action = action,
            Recorded = new DateTimeOffset(DateTime.SpecifyKind(entry.RecordedAtUtc, DateTimeKind.Utc)),
            Outcome = entry.Outcome == AuditOutcome.Success ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N4,
            OutcomeDesc = entry.Outcome == AuditOutcome.Success ? null : entry.Outcome.ToString(),
            Source = new AuditEvent.SourceComponent
            {
                Observer = new ResourceReference { Identifier = new Identifier(SystemSystem, PortalObserver), Display = "MedNetPortal" },
                Type = [new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
            },
        };
        audit.Subtype.Add(new Coding(ActionSystem, entry.Action.ToString()));
        if (subtype is not null)
        {
            audit.Subtype.Add(subtype);
        }

        if (entry.Emergency)
        {
            audit.PurposeOfEvent.Add(new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActReason", "ETREAT", "Emergency Treatment"));
        }

        var user = new AuditEvent.AgentComponent
        {
            Requestor = true,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user"),
            Who = entry.ActorUserId is null
                ? new ResourceReference { Display = "unknown account" }
                : new ResourceReference { Identifier = new Identifier(AccountSystem, entry.ActorUserId), Display = entry.ActorName },
        };
        if (!string.IsNullOrEmpty(entry.Roles))
        {
            user.Role.Add(new CodeableConcept { Text = entry.Roles });
        }

        if (entry.ClientAddress is not null)
        {
            user.Network = new AuditEvent.NetworkComponent { Address = entry.ClientAddress, Type = AuditEvent.AuditEventAgentNetworkType.N2 };
        }

        audit.Agent.Add(user);
        if (entry.FacilityCode is not null)
        {
            audit.Agent.Add(new AuditEvent.AgentComponent
            {
                Requestor = false,
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "PROV", "healthcare provider"),
                Who = new ResourceReference { Identifier = new Identifier(JpFhir.Systems.MedicalInstitutionCode, entry.FacilityCode) },
            });
        }

        if (entry.PatientId is not null)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference($"Patient/{entry.PatientId}"),
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            });
        }

        if (entry.LookupKeyHash is not null)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"),
                Query = Encoding.ASCII.GetBytes(entry.LookupKeyHash),
                Description = "HMAC-SHA256 of the identifier searched",
            });
        }

        if (entry.Detail is not null)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
                Detail = [new AuditEvent.DetailComponent { Type = "detail", Value = new FhirString(entry.Detail) }],
            });
        }

        return audit;
    }

    private static (Coding Type, Coding? Subtype, AuditEvent.AuditEventAction Action) Classify(AuditAction action) => action switch
    {
        AuditAction.SignIn or AuditAction.SignInFailed =>
            (new Coding(Dcm, "110114", "User Authentication"), new Coding(Dcm, "110122", "Login"), AuditEvent.AuditEventAction.E),
        AuditAction.SignOut =>
            (new Coding(Dcm, "110114", "User Authentication"), new Coding(Dcm, "110123", "Logout"), AuditEvent.AuditEventAction.E),
        AuditAction.PatientLookup =>
            (new Coding(Dcm, "110112", "Query"), new Coding(Restful, "search", "search"), AuditEvent.AuditEventAction.E),
        AuditAction.RecordViewed or AuditAction.DocumentOpened or AuditAction.LetterRead or AuditAction.AccessDenied =>
            (new Coding(EventType, "rest", "RESTful Operation"), new Coding(Restful, "read", "read"), AuditEvent.AuditEventAction.R),
        AuditAction.LetterSent or AuditAction.ConsentRecorded =>
            (new Coding(EventType, "rest", "RESTful Operation"), new Coding(Restful, "create", "create"), AuditEvent.AuditEventAction.C),
        AuditAction.LetterPrinted or AuditAction.AuditExported =>
            (new Coding(Dcm, "110106", "Export"), null, AuditEvent.AuditEventAction.R),
        AuditAction.EmergencyAccessStarted or AuditAction.EmergencyAccessRefused =>
            (new Coding(Dcm, "110113", "Security Alert"), null, AuditEvent.AuditEventAction.E),
        AuditAction.TwoFactorChanged =>
            (new Coding(Dcm, "110114", "User Authentication"), null, AuditEvent.AuditEventAction.U),
        AuditAction.AuditPurged =>
            (new Coding(EventType, "rest", "RESTful Operation"), new Coding(Restful, "delete", "delete"), AuditEvent.AuditEventAction.D),
        _ => (new Coding(EventType, "rest", "RESTful Operation"), new Coding(Restful, "update", "update"), AuditEvent.AuditEventAction.U),
    };
}
