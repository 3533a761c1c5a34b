using System.Text.Json;

namespace MedNetPortal.Web.Features.Facilities;

/// <summary>A clinical department (SS-MIX2 診療科コード and its name).</summary>
public sealed record FacilityDepartment(string Code, string Name);

/// <summary>Reads and writes <see cref="PortalFacility.DepartmentsJson"/>.</summary>
public static class FacilityDepartments
{
    public static IReadOnlyList<FacilityDepartment> Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<FacilityDepartment>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static string? Write(IReadOnlyCollection<FacilityDepartment> departments) =>
        departments.Count == 0 ? null : JsonSerializer.Serialize(departments);
}
