using System.Globalization;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir.Identifiers;

namespace MedNetPortal.Fhir.Letters;

/// <summary>The letter's Patient, Practitioners and Organizations as JP-CLINS resources, built from the form.</summary>
internal static class ReferralParticipants
{
    internal static Patient ToPatient(ReferralPatient patient, Meta meta)
    {
        // A patient the base knows keeps the base's identifier exactly (an all-digit 番号 may be stored in either width, and
        // the base finds a patient's letters by identifier); a typed-in one is written in its canonical form.
        var memberId = string.IsNullOrWhiteSpace(patient.BasePatientId)
            ? InsuranceMemberId.ParsePasted(patient.MemberId, verifyCheckDigit: false).Value?.Value ?? patient.MemberId.Trim()
            : patient.MemberId.Trim();
        var resource = new Patient
        {
            Id = string.IsNullOrWhiteSpace(patient.BasePatientId) ? null : patient.BasePatientId.Trim(),
            Meta = meta,
            Language = "ja",
            Identifier = [new Identifier(JpFhir.Systems.InsuranceMemberId, memberId)],
            Name = [Name(patient.NameKanji, "IDE"), Name(patient.NameKana, "SYL")],
            Gender = patient.Sex switch
            {
                ReferralSex.Male => AdministrativeGender.Male,
                ReferralSex.Female => AdministrativeGender.Female,
                ReferralSex.Other => AdministrativeGender.Other,
                _ => AdministrativeGender.Unknown,
            },
            BirthDate = patient.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrWhiteSpace(patient.Address))
        {
            resource.Address.Add(new Address { Text = patient.Address.Trim(), Country = "JP" });
        }

        return resource;
    }

    private static HumanName Name(string text, string representation)
    {
        var trimmed = text.Trim();
        var name = new HumanName
        {
            Extension = [new Extension(JpFhir.Extensions.NameRepresentation, new Code(representation))],
            Use = HumanName.NameUse.Official,
            Text = trimmed,
        };
        var parts = trimmed.Split([' ', '\u3000'], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 2)
        {
            name.Family = parts[0];
            name.Given = [parts[1]];
        }

        return name;
    }

    internal static Practitioner ToPractitioner(string name, string? kana, Meta meta)
    {
        var practitioner = new Practitioner
        {
            Meta = meta,
            Language = "ja",
            Name = [Name(name, "IDE")],
        };
        if (!string.IsNullOrWhiteSpace(kana))
        {
            practitioner.Name.Add(Name(kana, "SYL"));
        }

        return practitioner;
    }

    internal static Organization ToOrganization(string name, string code, string? phone, string? address, string? departmentCode, string? departmentName, Meta meta)
    {
        var parsed = MedicalInstitutionCode.Parse(code, requireJpClinsPattern: false).Value;
        var organization = new Organization
        {
            Meta = meta,
            Language = "ja",
            Identifier = [new Identifier(JpFhir.Systems.MedicalInstitutionCode, parsed?.Value ?? code.Trim())],
            Type = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/organization-type", "prov")],
            Name = name.Trim(),
        };
        if (parsed is not null)
        {
            organization.Extension.Add(new Extension(JpFhir.Extensions.OrganizationPrefectureNo,
                new Coding("http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits", parsed.Value[..2])));
            organization.Extension.Add(new Extension(JpFhir.Extensions.OrganizationInsuranceCategory,
                new Coding("http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationFeeScoreType", parsed.Value[2..3])));
            organization.Extension.Add(new Extension(JpFhir.Extensions.OrganizationInsuranceNo,
                new Identifier("http://jpfhir.jp/fhir/core/mhlw/IdSystem/MedicalOrganizationID", parsed.FacilityNumber)));
        }

        if (!string.IsNullOrWhiteSpace(departmentCode) || !string.IsNullOrWhiteSpace(departmentName))
        {
            var department = new CodeableConcept { Text = string.IsNullOrWhiteSpace(departmentName) ? null : departmentName.Trim() };
            if (!string.IsNullOrWhiteSpace(departmentCode))
            {
                department.Coding.Add(new Coding(JpFhir.Systems.ClinicalDepartment, departmentCode.Trim(), department.Text));
            }

            organization.Extension.Add(new Extension(JpFhir.Extensions.Department, department));
        }

        if (!string.IsNullOrWhiteSpace(phone))
        {
            organization.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, phone.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(address))
        {
            organization.Address.Add(new Address { Text = address.Trim(), Country = "JP" });
        }

        return organization;
    }
}
