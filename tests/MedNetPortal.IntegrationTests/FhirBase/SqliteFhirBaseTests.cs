using MedNetPortal.IntegrationTests.Infrastructure;

namespace MedNetPortal.IntegrationTests.FhirBase;

public sealed class SqliteFhirBaseTests(EmbeddedFhirBaseFixture fixture) : FhirBaseCoreTests, IClassFixture<EmbeddedFhirBaseFixture>
{
    protected override EmbeddedFhirBaseFixture Fixture => fixture;

    [Fact]
    public void Data_lives_in_the_configured_folder()
    {
        Assert.True(File.Exists(Path.Combine(fixture.DataDirectory, MedNetPortal.FhirBase.FhirBaseExtensions.SqliteFileName)));
    }
}
