namespace MedNetPortal.FhirBase;

/// <summary>
/// Section <c>Database</c>: schema upgrades of the portal database and the embedded base (EF Core migrations). Off: start-up
/// refuses a database with pending migrations and names the <c>migrate</c> command; on: start-up applies them (the demo and
/// development configuration, so one run command works on a fresh machine).
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The key, for messages.</summary>
    public const string MigrateOnStartupKey = SectionName + ":" + nameof(MigrateOnStartup);

    /// <summary>The command that applies the migrations, for messages.</summary>
    public const string MigrateCommandLine = "dotnet run --project src/MedNetPortal.Web -- migrate (published: MedNetPortal.Web migrate)";

    /// <summary>Apply pending migrations at start-up (under EF Core's migration lock, so instances starting together are safe).</summary>
    public bool MigrateOnStartup { get; set; }
}
