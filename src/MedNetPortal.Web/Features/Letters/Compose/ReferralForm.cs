using System.Globalization;
using System.Text.Json;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>
/// The compose form (別紙様式11) as the user fills it; stored in a draft as JSON. Mutable because the page binds to it;
/// the service copies it in and out, so no instance is shared between a page and the database.
/// </summary>
public sealed class ReferralForm
{
    public ReferralFormPatient Patient { get; set; } = new();

    public ReferralFormDestination Destination { get; set; } = new();

    /// <summary>The letter category (doc-subtypecodes; 外来 by default). Drafts saved before it existed load with the default.</summary>
    public string Category { get; set; } = JpFhir.DocumentSubTypes.Outpatient;

    /// <summary>紹介元診療科 (optional; the facility and doctor come from the account).</summary>
    public string? SenderDepartment { get; set; }

    public string? Purpose { get; set; }

    public string? Diagnoses { get; set; }

    public List<PickedSharedResource> DiagnosisPicks { get; set; } = [];

    public string? PresentIllness { get; set; }

    /// <summary>既往歴 (section 370). Named from when it also held 家族歴; drafts store it under this name.</summary>
    public string? PastAndFamilyHistory { get; set; }

    /// <summary>家族歴 (section 550).</summary>
    public string? FamilyHistory { get; set; }

    public string? Allergies { get; set; }

    public List<PickedSharedResource> AllergyPicks { get; set; } = [];

    public string? CurrentMedication { get; set; }

    public string? ClinicalCourse { get; set; }

    public string? TestResults { get; set; }

    public string? Remarks { get; set; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReferralForm FromJson(string json) => JsonSerializer.Deserialize<ReferralForm>(json, Json) ?? new ReferralForm();

    /// <summary>A deep copy (through JSON).</summary>
    public ReferralForm Clone() => FromJson(ToJson());
}

/// <summary>The patient: a base patient (<see cref="BasePatientId"/> set, fields read-only) or one typed in.</summary>
public sealed class ReferralFormPatient
{
    public string? BasePatientId { get; set; }

    public string? Insurer { get; set; }

    public string? Symbol { get; set; }

    public string? Number { get; set; }

    public string? Branch { get; set; }

    public string? NameKanji { get; set; }

    public string? NameKana { get; set; }

    /// <summary>yyyy-MM-dd.</summary>
    public string? BirthDate { get; set; }

    public ReferralSex Sex { get; set; }

    /// <summary>The patient's address (住所), one line; prefilled from the base when it has one, editable either way.</summary>
    public string? Address { get; set; }

    public bool IsFromBase => !string.IsNullOrEmpty(BasePatientId);

    public string MemberIdValue => $"{Insurer?.Trim()}:{Symbol?.Trim()}:{Number?.Trim()}:{Branch?.Trim()}";
}

/// <summary>The destination facility as picked from the directory, and the optional department and doctor.</summary>
public sealed class ReferralFormDestination
{
    public string? OrganizationId { get; set; }

    public string? Name { get; set; }

    public string? Code { get; set; }

    public string? Address { get; set; }

    public string? Phone { get; set; }

    /// <summary>From the directory when picked: false = not connected (print only), null = unknown.</summary>
    public bool? AcceptsElectronicLetters { get; set; }

    public string? DepartmentName { get; set; }

    public string? DoctorName { get; set; }
}

/// <summary>A diagnosis or allergy picked from the shared record, with the resource JSON kept so the preview is what is sent.</summary>
public sealed record PickedSharedResource(string SourceId, string Label, string ResourceJson);

/// <summary>The sender as the account and the facility directory give it.</summary>
public sealed record ReferralSenderInfo(string FacilityName, string FacilityCode, string? Address, string? Phone, string DoctorName);

/// <summary>Form → <see cref="ReferralLetterContent"/>. Problems the content cannot even express (no birth date) come back as problems.</summary>
public static class ReferralFormMapper
{
    /// <summary>The result: content when it could be built (it may still have validator problems), and the form's own problems.</summary>
    public sealed record Mapped(ReferralLetterContent? Content, IReadOnlyList<ReferralProblem> Problems);

    public static Mapped ToContent(ReferralForm form, ReferralSenderInfo sender, string localId, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(sender);
        var problems = new List<ReferralProblem>();
        var p = form.Patient;
        var birthDate = ParseDate(p.BirthDate);
        if (birthDate is null)
        {
            problems.Add(new(ReferralProblemCode.Required, ReferralField.Patient, "Patient.BirthDate"));
        }

        var memberId = p.IsFromBase
            ? InsuranceMemberId.Parse(p.Insurer, p.Symbol, p.Number, p.Branch, verifyCheckDigit: false)
            : InsuranceMemberId.Parse(p.Insurer, p.Symbol, p.Number, p.Branch, verifyCheckDigit: true);
        var destination = form.Destination;
        var content = new ReferralLetterContent
        {
            Sender = new ReferralSender(sender.FacilityName, sender.FacilityCode, sender.Address, sender.Phone, null,
                Blank(form.SenderDepartment), sender.DoctorName, null),
            Destination = new ReferralDestination(destination.Name ?? string.Empty, destination.Code ?? string.Empty, null,
                Blank(destination.DepartmentName), Blank(destination.DoctorName)),
            Patient = new ReferralPatient(
                memberId.Value?.Value ?? p.MemberIdValue,
                p.NameKanji?.Trim() ?? string.Empty,
                p.NameKana?.Trim() ?? string.Empty,
                birthDate ?? DateOnly.MinValue,
                p.Sex,
                Blank(p.BasePatientId),
                Blank(p.Address)?.Trim()),
            Purpose = form.Purpose ?? string.Empty,
            Diagnoses = form.Diagnoses ?? string.Empty,
            DiagnosisCopies = [.. form.DiagnosisPicks.Select(d => new SharedResourceCopy(d.ResourceJson))],
            PresentIllness = form.PresentIllness ?? string.Empty,
            PastAndFamilyHistory = Blank(form.PastAndFamilyHistory),
            FamilyHistory = Blank(form.FamilyHistory),
            Allergies = Blank(form.Allergies),
            AllergyCopies = [.. form.AllergyPicks.Select(a => new SharedResourceCopy(a.ResourceJson))],
            CurrentMedication = Blank(form.CurrentMedication),
            ClinicalCourse = Blank(form.ClinicalCourse),
            TestResults = Blank(form.TestResults),
            Remarks = Blank(form.Remarks),
            LocalId = localId,
            IssuedAt = issuedAt,
            Category = string.IsNullOrWhiteSpace(form.Category) ? JpFhir.DocumentSubTypes.Outpatient : form.Category.Trim(),
        };
        return new Mapped(birthDate is null ? null : content, problems);
    }

    /// <summary>The form's problems and the validator's, in the form's order.</summary>
    public static IReadOnlyList<ReferralProblem> Validate(ReferralForm form, ReferralSenderInfo sender, string localId, DateTimeOffset issuedAt)
    {
        var mapped = ToContent(form, sender, localId, issuedAt);
        var problems = mapped.Problems.ToList();
        if (mapped.Content is { } content)
        {
            problems.AddRange(ReferralDocumentValidator.Validate(content));
        }

        return problems;
    }

    public static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>A pick or un-pick of one shared-record item.</summary>
public sealed record SharedPickToggle(SharedResourceKind Kind, string SourceId, string Label);
