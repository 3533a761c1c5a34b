using MedNetPortal.Tests.Shared;

namespace MedNetPortal.EndToEndTests.Infrastructure;

/// <summary>Runs only when the test PostgreSQL is there (<c>MEDNET_TEST_POSTGRES</c>, see tests/postgres.sh); otherwise skipped with one message.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestPostgresDatabase.Available)
        {
            Skip = $"{TestPostgresDatabase.Variable} is not set; run `eval \"$(tests/postgres.sh)\"` first to test several instances on PostgreSQL.";
        }
    }
}
