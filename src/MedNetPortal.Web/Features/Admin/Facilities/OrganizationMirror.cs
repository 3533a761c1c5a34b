using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Web.Features.Facilities;

namespace MedNetPortal.Web.Features.Admin.Facilities;

/// <summary>
/// Writes a facility record to the central base as an Organization carrying its 医療機関コード. The embedded base has no
/// conditional update (docs/fhir-base.md), so: search by identifier (POST _search), then update the match with
/// <c>If-Match</c> on the version read, or create with <c>If-None-Exist</c> on the identifier (two concurrent first saves
/// still give one Organization). Elements the portal does not manage (type, PractitionerRoles' references, other
/// extensions) are kept from the Organization found.
/// </summary>
public sealed partial class OrganizationMirror(CentralFhirClient client, ILogger<OrganizationMirror> logger)
{
    /// <summary>True when the base now has the facility as given; false when the base failed (logged by reason only).</summary>
    public async Task<bool> TryMirrorAsync(PortalFacility facility, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facility);
        var token = FhirSearchValue.Token(JpFhir.Systems.MedicalInstitutionCode, facility.Code);
        try
        {
            var page = await client.SearchPostAsync<Organization>(
                new FhirSearchParameters().Add("identifier", token).Add("_count", "2"), cancellationToken).ConfigureAwait(false);
            var existing = page.Entry.Select(e => e.Resource).OfType<Organization>().FirstOrDefault();
            if (existing is null)
            {
                await client.CreateAsync(Apply(New(facility), facility), "identifier=" + token, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var version = existing.Meta?.VersionId;
                await client.UpdateAsync(Apply(existing, facility), version, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (FhirApiException ex)
        {
            Log.MirrorFailed(logger, ex.Reason);
            return false;
        }
    }

    private static Organization New(PortalFacility facility) => new()
    {
        Meta = new Meta { Profile = [JpFhir.Profiles.OrganizationECS] },
        Language = "ja",
        Identifier = [new Identifier(JpFhir.Systems.MedicalInstitutionCode, facility.Code)],
        Type = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/organization-type", "prov")],
        Extension =
        [
            new Extension(JpFhir.Extensions.OrganizationPrefectureNo, new Coding("http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits", facility.Code[..2])),
            new Extension(JpFhir.Extensions.OrganizationInsuranceCategory, new Coding("http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationFeeScoreType", facility.Code[2..3])),
        ],
    };

    /// <summary>Sets what the registry owns: name, kana alias, address, phone, departments, active.</summary>
    internal static Organization Apply(Organization organization, PortalFacility facility)
    {
        organization.Name = facility.Name;
        organization.Alias = string.IsNullOrEmpty(facility.NameKana) ? [] : [facility.NameKana];
        organization.Active = facility.Active;
        organization.Telecom = string.IsNullOrEmpty(facility.Phone)
            ? []
            : [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Work, facility.Phone)];
        var current = organization.Address.FirstOrDefault();
        if (current is null || current.Text != facility.Address || current.PostalCode != facility.PostalCode)
        {
            organization.Address = string.IsNullOrEmpty(facility.Address) && string.IsNullOrEmpty(facility.PostalCode)
                ? []
                : [new Address { Text = facility.Address, PostalCode = facility.PostalCode, Country = "JP" }];
        }

        organization.Extension.RemoveAll(x => x.Url == JpFhir.Extensions.Department);
        foreach (var department in FacilityDepartments.Read(facility.DepartmentsJson))
        {
            organization.Extension.Add(new Extension(
                JpFhir.Extensions.Department,
                new CodeableConcept(JpFhir.Systems.ClinicalDepartment, department.Code, department.Name, department.Name)));
        }

        return organization;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Facility mirror to the central base failed ({Reason}); marked pending.")]
        public static partial void MirrorFailed(ILogger logger, FhirApiErrorReason reason);
    }
}
