using Npgsql;

namespace MedNetPortal.Tests.Shared;

/// <summary>
/// An empty database of its own on the test PostgreSQL server (<c>MEDNET_TEST_POSTGRES</c>, see tests/postgres.sh), dropped
/// on disposal. Use in tests that are skipped when <see cref="Variable"/> is not set.
/// </summary>
public sealed class TestPostgresDatabase : IAsyncDisposable
{
    /// <summary>Holds the test server's connection string (tests/postgres.sh prints the export line).</summary>
    public const string Variable = "MEDNET_TEST_POSTGRES";

    /// <summary>Whether the test PostgreSQL server is there.</summary>
    public static bool Available => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    private TestPostgresDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<TestPostgresDatabase> CreateAsync(string prefix)
    {
        var server = Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException(Variable + " is not set.");
        var name = $"mednet_{prefix}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }

        return new TestPostgresDatabase(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var name = builder.Database;
        builder.Database = "postgres";
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }
}
