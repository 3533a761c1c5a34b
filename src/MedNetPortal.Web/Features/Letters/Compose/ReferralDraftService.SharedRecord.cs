using MedNetPortal.Web.Features.Audit;
using System.Globalization;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Documents;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Patients;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>What a draft takes from outside it: copies from the shared record, the sender facility, the prefill.</summary>
public sealed partial class ReferralDraftService
{
    /// <summary>
    /// A copy of one of the patient's shared diagnoses or allergies, as FHIR JSON. Through the consent gate like every read of
    /// clinical data (<see cref="MedNetPortal.Web.Features.Consent.PatientAccessDeniedException"/> when refused), and only a
    /// resource the base finds to be that patient's: one search by id and patient, never a bare read by id.
    /// </summary>
    public async Task<PickedSharedResource> CopySharedAsync(
        string basePatientId, SharedResourceKind kind, string resourceId, string label, CancellationToken cancellationToken)
    {
        _ = await UserAsync(cancellationToken) ?? throw new InvalidOperationException("No facility.");
        if (!FhirSearchValue.IsValidId(basePatientId) || !FhirSearchValue.IsValidId(resourceId))
        {
            throw new FhirApiException(FhirApiErrorReason.NotFound, FhirApiException.DefaultMessage(FhirApiErrorReason.NotFound), System.Net.HttpStatusCode.NotFound);
        }

        await gate.EnsureAsync(basePatientId, cancellationToken);
        var parameters = new FhirSearchParameters()
            .Add("_id", resourceId)
            .Add("patient", FhirSearchValue.Reference("Patient", basePatientId));
        var page = kind == SharedResourceKind.Diagnosis
            ? await client.SearchPostAsync<Condition>(parameters, cancellationToken)
            : await client.SearchPostAsync<AllergyIntolerance>(parameters, cancellationToken);
        var resource = page.Entry.Select(e => e.Resource)
                           // Checked after loading: this id, and this patient's (a lenient server may ignore "patient").
                           .FirstOrDefault(r => r is not null && r.Id == resourceId && r switch
                           {
                               Condition c => FhirReferences.RefersTo(c.Subject, "Patient", basePatientId),
                               AllergyIntolerance a => FhirReferences.RefersTo(a.Patient, "Patient", basePatientId),
                               _ => false,
                           })
                       ?? throw new FhirApiException(FhirApiErrorReason.NotFound, FhirApiException.DefaultMessage(FhirApiErrorReason.NotFound), System.Net.HttpStatusCode.NotFound);
        return new PickedSharedResource(resourceId, label, FhirJson.Serialize(resource));
    }

    /// <summary>The sender facility (name, code from the account; address and phone from the directory) and doctor.</summary>
    public async Task<ReferralSenderInfo> SenderAsync(CancellationToken cancellationToken)
    {
        if (senderInfo is not null)
        {
            return senderInfo;
        }

        var user = await UserAsync(cancellationToken) ?? throw new InvalidOperationException("No facility.");
        FacilitySummary? facility = null;
        try
        {
            facility = (await directory.SearchAsync(user.FacilityCode!, cancellationToken)).Facilities.FirstOrDefault(f => f.Code == user.FacilityCode);
        }
        catch (FhirApiException)
        {
            // Address and phone are optional in the letter; the name and code come from the account.
        }

        var address = facility?.PostalCode is { Length: > 0 } postcode ? $"〒{postcode} {facility.Address}" : facility?.Address;
        senderInfo = new ReferralSenderInfo(facility?.Name ?? user.FacilityName ?? string.Empty, user.FacilityCode!, address, facility?.Phone, user.DisplayName);
        return senderInfo;
    }

    private async Task PrefillAsync(ReferralForm form, string basePatientId, CancellationToken cancellationToken)
    {
        var record = await records.LoadAsync(basePatientId, cancellationToken);
        var patient = record.Patient;
        var parts = (patient.MemberIdentifier ?? ":::").Split(':');
        form.Patient = new ReferralFormPatient
        {
            BasePatientId = patient.Id,
            Insurer = parts.ElementAtOrDefault(0),
            Symbol = parts.ElementAtOrDefault(1),
            Number = parts.ElementAtOrDefault(2),
            Branch = parts.ElementAtOrDefault(3),
            NameKanji = patient.NameKanji,
            NameKana = patient.NameKana,
            BirthDate = patient.BirthDate,
            Address = patient.Address,
            Sex = patient.Sex switch
            {
                PatientSex.Male => ReferralSex.Male,
                PatientSex.Female => ReferralSex.Female,
                PatientSex.Other => ReferralSex.Other,
                _ => ReferralSex.Unknown,
            },
        };

        var allergies = record.Allergies.ToList();
        var page = record.AllergiesPage;
        while (page.NextLink is { } next && record.AllergiesError is null)
        {
            var more = await records.MoreAllergiesAsync(basePatientId, next, allergies.Count, cancellationToken);
            allergies.AddRange(more.Items);
            page = more.Page;
        }

        var lines = allergies.Where(a => !a.EnteredInError && a.ClinicalStatus is not ("inactive" or "resolved"))
            .Select(AllergyLine).ToList();
        form.Allergies = lines.Count == 0 ? null : string.Join('\n', lines);
    }

    internal static string AllergyLine(Allergy allergy)
    {
        var reactions = string.Join("、", allergy.Reactions.Select(r => r.Manifestation).Where(m => !string.IsNullOrWhiteSpace(m)));
        var line = allergy.Substance;
        if (reactions.Length > 0)
        {
            line += "（" + reactions + "）";
        }

        return allergy.HighCriticality ? line + "【重篤】" : line;
    }
}
