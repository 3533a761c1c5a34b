using MedNetPortal.Fhir;
using MedNetPortal.IntegrationTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;
using MedNetPortal.Web.Features.Letters.Compose;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.IntegrationTests.Letters;

/// <summary>The facility directory against the real embedded base seeded with the demo facilities.</summary>
public sealed class FacilityDirectoryIntegrationTests(FacilityDirectoryIntegrationTests.SeededBase seeded) : IClassFixture<FacilityDirectoryIntegrationTests.SeededBase>
{
    public static TheoryData<string, string> Queries => new()
    {
        { "みどり台", DemoFacilities.HospitalCode },
        { "みどり台総合病院", DemoFacilities.HospitalCode },
        { "ミドリダイ", DemoFacilities.HospitalCode },
        { "みどりだい", DemoFacilities.HospitalCode },     // hiragana typed, katakana alias stored
        { "ｻｸﾗﾅｲｶ", DemoFacilities.ClinicCode },          // half-width kana
        { DemoFacilities.DentalClinicCode, DemoFacilities.DentalClinicCode },
        { "045-555-0400", DemoFacilities.RegionalHospitalCode },
        { "176-0098", DemoFacilities.ClinicCode },
        { "〒176-0097", DemoFacilities.DentalClinicCode },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Finds_a_demo_facility_by_name_kana_code_phone_or_postcode_in_one_request(string query, string expectedCode)
    {
        var (directory, handler) = seeded.Directory();

        var result = await directory.SearchAsync(query, CancellationToken.None);

        var facility = Assert.Single(result.Facilities);
        Assert.Equal(expectedCode, facility.Code);
        Assert.False(result.Incomplete);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task A_summary_carries_the_directory_fields()
    {
        var (directory, _) = seeded.Directory();

        var facility = Assert.Single((await directory.SearchAsync(DemoFacilities.HospitalCode, CancellationToken.None)).Facilities);

        var hospital = DemoFacilities.Hospital;
        Assert.False(string.IsNullOrEmpty(facility.OrganizationId));
        Assert.Equal(hospital.Name, facility.Name);
        Assert.Equal(hospital.NameKana, facility.Kana);
        Assert.Equal(hospital.AddressText, facility.Address);
        Assert.Equal(hospital.PostalCode, facility.PostalCode);
        Assert.Equal(hospital.Phone, facility.Phone);
        Assert.Equal(hospital.Doctors.Select(d => d.Department.Name).Distinct().Order(StringComparer.Ordinal), facility.Departments.Order(StringComparer.Ordinal));
        Assert.Null(facility.AcceptsElectronicLetters);
    }

    [Fact]
    public async Task A_prefix_shared_by_two_facilities_finds_both_and_an_unknown_name_finds_none()
    {
        var (directory, _) = seeded.Directory();

        var hospitals = await directory.SearchAsync("練馬", CancellationToken.None);
        var none = await directory.SearchAsync("存在しない病院", CancellationToken.None);
        var unknownPhone = await directory.SearchAsync("03-0000-0000", CancellationToken.None);
        var all = await directory.SearchAsync("", CancellationToken.None);

        Assert.Empty(hospitals.Facilities); // name search is a prefix match on name and kana, not on the address
        Assert.Empty(none.Facilities);
        Assert.Empty(unknownPhone.Facilities);
        Assert.Equal(DemoFacilities.All.Select(f => f.Code).Order(StringComparer.Ordinal), all.Facilities.Select(f => f.Code!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Search_syntax_in_a_query_is_not_interpreted()
    {
        var (directory, _) = seeded.Directory();

        var result = await directory.SearchAsync("みどり台,さくら", CancellationToken.None);

        Assert.Empty(result.Facilities);
    }

    /// <summary>A portal with no facility records: every connection flag is unknown.</summary>
    private sealed class NoFacilityRecords : MedNetPortal.Web.Features.Facilities.IFacilityRegistry
    {
        public Task<IReadOnlyDictionary<string, bool>> GetConnectionsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, bool>>(new Dictionary<string, bool>());
    }

    /// <summary>A bare base with the demo facilities' transaction posted once.</summary>
    public sealed class SeededBase : IAsyncLifetime
    {
        private readonly EmbeddedFhirBaseFixture _base = new();
        private readonly List<ServiceProvider> _providers = [];

        public async Task InitializeAsync()
        {
            await _base.InitializeAsync();
            using var services = ReferralClient.Services(_base.BaseUri, new TimeoutAfterServerHandler(0));
            await services.GetRequiredService<IFhirApi>().TransactionAsync(DemoTransactions.Facilities(), CancellationToken.None);
        }

        internal (FacilityDirectory Directory, TimeoutAfterServerHandler Handler) Directory(MedNetPortal.Web.Features.Facilities.IFacilityRegistry? registry = null)
        {
            var handler = new TimeoutAfterServerHandler(0);
            var services = ReferralClient.Services(_base.BaseUri, handler);
            _providers.Add(services);
            return (new FacilityDirectory(services.GetRequiredService<CentralFhirClient>(), registry ?? new NoFacilityRecords()), handler);
        }

        public async Task DisposeAsync()
        {
            foreach (var provider in _providers)
            {
                await provider.DisposeAsync();
            }

            await _base.DisposeAsync();
        }
    }
}
