using MedNetPortal.IntegrationTests.Infrastructure;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>Runs only when MEDNET_TEST_POSTGRES holds a connection string (see tests/postgres.sh); otherwise reported as skipped.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "MEDNET_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set; run `eval \"$(tests/postgres.sh)\"` first to test against PostgreSQL.";
        }
    }
}

/// <summary>The base over PostgreSQL, each run in a database of its own that EnsureCreated creates and disposal drops.</summary>
public sealed class PostgresFhirBaseFixture : IAsyncLifetime
{
    private EmbeddedFhirBaseFixture? _inner;

    public EmbeddedFhirBaseFixture Inner => _inner ?? throw new InvalidOperationException(PostgresFactAttribute.Variable + " is not set.");

    public async Task InitializeAsync()
    {
        var connection = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            return;
        }
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Database = "mednet_test_" + Guid.NewGuid().ToString("N")[..12] };
        _inner = new EmbeddedFhirBaseFixture(new Dictionary<string, string?> { ["ConnectionStrings:FhirBase"] = builder.ConnectionString });
        await _inner.InitializeAsync();
        DatabaseConnectionString = builder.ConnectionString;
    }

    public string? DatabaseConnectionString { get; private set; }

    public async Task DisposeAsync()
    {
        if (_inner is null)
        {
            return;
        }
        await _inner.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseConnectionString) { Database = "postgres" };
        await using var connection = new Npgsql.NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{new Npgsql.NpgsqlConnectionStringBuilder(DatabaseConnectionString).Database}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class PostgresFhirBaseTests(PostgresFhirBaseFixture fixture) : IClassFixture<PostgresFhirBaseFixture>
{
    private sealed class Core(EmbeddedFhirBaseFixture f) : FhirBaseCoreTests
    {
        protected override EmbeddedFhirBaseFixture Fixture => f;
    }

    private Core Tests => new(fixture.Inner);

    [PostgresFact]
    public Task Create_read() => Tests.Create_returns_201_with_location_etag_and_reads_back();

    [PostgresFact]
    public Task Transaction_revinclude_paging() =>
        Tests.Transaction_of_patient_with_50_conditions_and_5_allergies_is_found_by_revinclude_and_pages_to_the_same_set();

    [PostgresFact]
    public Task Name_search() => Tests.Search_by_name_matches_kanji_and_kana_prefixes_case_insensitively();

    [PostgresFact]
    public Task Restart() => Tests.Restart_keeps_all_data();

    [PostgresFact]
    public Task Relink_logical_references() =>
        new DocumentRegistrationTests(fixture.Inner).A_document_posted_before_its_facilities_and_patient_exist_is_relinked_when_they_are_created();

    [PostgresFact]
    public Task Relink_at_start_up_what_an_earlier_version_stored() =>
        new DocumentRegistrationTests(fixture.Inner).Start_up_relinks_logical_references_stored_by_a_version_that_did_not_index_them();
}
