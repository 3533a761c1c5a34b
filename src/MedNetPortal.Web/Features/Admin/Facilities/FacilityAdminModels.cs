using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Facilities;

namespace MedNetPortal.Web.Features.Admin.Facilities;

/// <summary>What a facility-admin call came to.</summary>
public enum FacilityAdminOutcome
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>The user may not do this (not an administrator, or another facility's record, or a SystemAdmin-only action).</summary>
    Forbidden,

    /// <summary>No such facility.</summary>
    NotFound,

    /// <summary>The form has problems (<see cref="FacilitySaveResult.Problems"/>); nothing was written.</summary>
    Invalid,

    /// <summary>A facility with that 医療機関コード is already registered; nothing was written.</summary>
    Duplicate,
}

/// <summary>One row of the facility list.</summary>
public sealed record FacilityListItem(
    string Code, string Name, string? NameKana, string? Address, string? Phone, bool AcceptsElectronicLetters, bool Active, bool MirrorPending);

/// <summary>A page of the facility list and how many match in all.</summary>
public sealed record FacilityPage(FacilityAdminOutcome Outcome, IReadOnlyList<FacilityListItem> Items, int Total);

/// <summary>A facility as the admin pages show it.</summary>
public sealed record FacilityDetails(
    string Code,
    string Name,
    string? NameKana,
    string? PostalCode,
    string? Address,
    string? Phone,
    IReadOnlyList<FacilityDepartment> Departments,
    bool HasEhr,
    bool AcceptsElectronicLetters,
    bool IsEmergencyHospital,
    bool Active,
    bool MirrorPending,
    DateTimeOffset UpdatedAt);

/// <summary>A facility read: the details, or why not.</summary>
public sealed record FacilityReadResult(FacilityAdminOutcome Outcome, FacilityDetails? Facility);

/// <summary>The form fields a problem can belong to (the page shows it under that field).</summary>
public enum FacilityField
{
    Code,
    Name,
    NameKana,
    PostalCode,
    Address,
    Phone,
    Departments,
}

/// <summary>What is wrong with a field.</summary>
public enum FacilityProblemCode
{
    /// <summary>医療機関コード refused; <see cref="FacilityProblem.CodeProblem"/> says why.</summary>
    InstitutionCode,

    /// <summary>Required field empty.</summary>
    Required,

    /// <summary>Longer than the field allows (<see cref="FacilityProblem.Limit"/>).</summary>
    TooLong,

    /// <summary>郵便番号 is not 7 digits (123-4567).</summary>
    PostalCodeFormat,

    /// <summary>Phone is not 10–11 digits with optional hyphens.</summary>
    PhoneFormat,

    /// <summary>A 診療科 line is not "code name" with a 2–3 digit SS-MIX2 code (<see cref="FacilityProblem.Line"/>).</summary>
    DepartmentFormat,
}

/// <summary>One problem with the form, as data; the page localises it.</summary>
public sealed record FacilityProblem(FacilityField Field, FacilityProblemCode Code, IdentifierProblem? CodeProblem = null, int? Limit = null, int? Line = null);

/// <summary>
/// The outcome of a create, edit, activation change or mirror retry. <paramref name="Facility"/> is the saved record when
/// <see cref="FacilityAdminOutcome.Ok"/>; its <see cref="FacilityDetails.MirrorPending"/> says whether the base has it.
/// </summary>
public sealed record FacilitySaveResult(FacilityAdminOutcome Outcome, FacilityDetails? Facility, IReadOnlyList<FacilityProblem> Problems)
{
    public static FacilitySaveResult Of(FacilityAdminOutcome outcome) => new(outcome, null, []);
}

/// <summary>The facility form as the page edits it (mutable for binding). <see cref="Departments"/>: one "code name" per line.</summary>
public sealed class FacilityForm
{
    public string? Code { get; set; }

    public string? Name { get; set; }

    public string? NameKana { get; set; }

    public string? PostalCode { get; set; }

    public string? Address { get; set; }

    public string? Phone { get; set; }

    public string? Departments { get; set; }

    public bool HasEhr { get; set; }

    public bool AcceptsElectronicLetters { get; set; } = true;

    public bool IsEmergencyHospital { get; set; }

    public static FacilityForm From(FacilityDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new FacilityForm
        {
            Code = details.Code,
            Name = details.Name,
            NameKana = details.NameKana,
            PostalCode = details.PostalCode,
            Address = details.Address,
            Phone = details.Phone,
            Departments = string.Join('\n', details.Departments.Select(d => $"{d.Code} {d.Name}")),
            HasEhr = details.HasEhr,
            AcceptsElectronicLetters = details.AcceptsElectronicLetters,
            IsEmergencyHospital = details.IsEmergencyHospital,
        };
    }
}
