using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.UnitTests.Demo;

public sealed partial class DemoIdentifierTests
{
    [GeneratedRegex(@"^(?<insurer>[0-9]{8}):(?<symbol>[^:]*):(?<number>[^:]+):(?<branch>[0-9]{2})?$")]
    private static partial Regex QualificationFormat();

    [GeneratedRegex("^[0-4][0-9][1-3][0-9]{7}$")]
    private static partial Regex FacilityCodeFormat();

    public static TheoryData<string> PatientKeys()
    {
        var data = new TheoryData<string>();
        foreach (var patient in DemoPatients.All)
        {
            data.Add(patient.Key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PatientKeys))]
    public void Every_demo_qualification_identifier_is_valid(string key)
    {
        var value = DemoPatients.ByKey(key).QualificationIdentifier;

        var match = QualificationFormat().Match(value);
        Assert.True(match.Success, $"{key}: format 保険者番号:記号:番号:枝番");
        var insurer = match.Groups["insurer"].Value;
        var digits = insurer.StartsWith("00", StringComparison.Ordinal) ? insurer[2..] : insurer;
        Assert.Equal(digits[^1] - '0', InsurerNumber.ComputeCheckDigit(digits.AsSpan(0, digits.Length - 1)));

        var symbol = match.Groups["symbol"].Value;
        var number = match.Groups["number"].Value;
        Assert.True(IsHalfWidthAlphanumeric(symbol) || IsFullWidth(symbol), $"{key}: symbol of one width");
        Assert.True(IsHalfWidthAlphanumeric(number) || IsFullWidth(number), $"{key}: number of one width");
        if (HasKanaOrKanji(symbol) || HasKanaOrKanji(number))
        {
            Assert.True(IsFullWidth(symbol) && IsFullWidth(number), $"{key}: kana/kanji make symbol and number full-width");
        }

        Assert.DoesNotContain(' ', value);
        Assert.DoesNotContain('\u3000', value);
    }

    [Fact]
    public void Demo_identifiers_cover_the_required_mixes()
    {
        var values = DemoPatients.All.Select(p => QualificationFormat().Match(p.QualificationIdentifier)).ToList();

        Assert.True(DemoPatients.All.Count >= 8);
        Assert.Contains(DemoPatients.All, p => p.InsurerNumber.Length == 6);
        Assert.Contains(values, m => m.Groups["insurer"].Value.StartsWith("00", StringComparison.Ordinal));
        Assert.Contains(values, m => !m.Groups["insurer"].Value.StartsWith("00", StringComparison.Ordinal));
        Assert.Contains(values, m => m.Groups["insurer"].Value.StartsWith("39", StringComparison.Ordinal));
        Assert.Contains(values, m => m.Groups["symbol"].Value.Length == 0);
        Assert.Contains(values, m => m.Groups["symbol"].Value.Length > 0);
        Assert.Contains(values, m => m.Groups["branch"].Value.Length == 0);
        Assert.Contains(values, m => m.Groups["branch"].Value.Length == 2);
        Assert.Single(values, m => HasKanaOrKanji(m.Groups["symbol"].Value));
        Assert.Equal(DemoPatients.All.Count, DemoPatients.All.Select(p => p.QualificationIdentifier).Distinct().Count());
    }

    [Fact]
    public void Patients_have_a_spread_of_ages_including_an_elderly_patient_and_a_child()
    {
        var ages = DemoPatients.All.Select(p => 2026 - int.Parse(p.BirthDate[..4], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Contains(ages, a => a >= 75);
        Assert.Contains(ages, a => a < 15);
        var elderly = DemoPatients.All.Where(p => 2026 - int.Parse(p.BirthDate[..4], System.Globalization.CultureInfo.InvariantCulture) >= 75);
        Assert.Contains(elderly, p => p.InsurerNumber.StartsWith("39", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_patient_resource_carries_exactly_one_qualification_identifier_and_both_names()
    {
        foreach (var record in DemoRecords.All)
        {
            var patient = DemoTestSupport.Resources<Patient>(DemoTransactions.ForPatient(record)).Single();

            var identifier = Assert.Single(patient.Identifier, i => i.System == DemoSystems.InsuranceMemberId);
            Assert.Equal(record.Patient.QualificationIdentifier, identifier.Value);
            Assert.Equal(["IDE", "SYL"], patient.Name.Select(n => (n.GetExtension(DemoSystems.NameRepresentation)?.Value as Code)?.Value));
            Assert.All(patient.Name, n => Assert.False(string.IsNullOrEmpty(n.Family)));
            Assert.NotNull(patient.Gender);
            Assert.NotNull(patient.BirthDate);
        }
    }

    [Fact]
    public void Two_patients_share_a_name()
    {
        Assert.Contains(DemoPatients.All.GroupBy(p => p.NameKanji), g => g.Count() >= 2);
    }

    [Fact]
    public void Facility_codes_are_valid_and_cover_hospital_clinic_and_dental()
    {
        Assert.True(DemoFacilities.All.Count >= 3);
        foreach (var facility in DemoFacilities.All)
        {
            Assert.Matches(FacilityCodeFormat(), facility.Code);
            var prefecture = int.Parse(facility.Code[..2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(prefecture, 1, 47);
            // The 7-digit facility number ends in a check digit over area + number.
            Assert.Equal(facility.Code[^1] - '0', InsurerNumber.ComputeCheckDigit(facility.Code.AsSpan(3, 6)));
            Assert.NotEmpty(facility.Departments);
            Assert.NotEmpty(facility.Doctors);
            Assert.All(facility.Doctors, d => Assert.Contains(d.Department, facility.Departments));
        }

        Assert.True(DemoFacilities.Hospital is { Kind: "病院", HasEhr: true, IsEmergencyHospital: true });
        Assert.True(DemoFacilities.Clinic is { Kind: "診療所", HasEhr: false });
        Assert.Equal("3", DemoFacilities.DentalClinic.FeeTable);
        Assert.Equal(DemoFacilities.All.Count, DemoFacilities.All.Select(f => f.Code).Distinct().Count());
    }

    [Fact]
    public void Organizations_carry_code_kana_address_and_phone()
    {
        var organizations = DemoTestSupport.Resources<Organization>(DemoTransactions.Facilities()).ToList();

        Assert.Equal(DemoFacilities.All.Select(f => f.Code), organizations.Select(o => o.Identifier.Single(i => i.System == DemoSystems.MedicalInstitutionNo).Value));
        Assert.All(organizations, o =>
        {
            Assert.NotEmpty(o.Alias);
            Assert.NotNull(o.Address.Single().PostalCode);
            Assert.NotEmpty(o.Telecom);
        });
        var roles = DemoTestSupport.Resources<PractitionerRole>(DemoTransactions.Facilities()).ToList();
        Assert.Equal(DemoFacilities.All.Sum(f => f.Doctors.Count), roles.Count);
        Assert.All(roles, r => Assert.Equal(DemoSystems.Department, r.Specialty.Single().Coding.Single().System));
    }

    private static bool IsHalfWidthAlphanumeric(string s) => s.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z'));

    private static bool IsFullWidth(string s) => s.All(c => c > 0x7F && c is not '\u3000' && c is not (>= '\uFF61' and <= '\uFF9F'));

    private static bool HasKanaOrKanji(string s) => s.Any(c => c > 0x7F && c is not ((>= '\uFF10' and <= '\uFF19') or (>= '\uFF21' and <= '\uFF3A') or (>= '\uFF41' and <= '\uFF5A')));
}
