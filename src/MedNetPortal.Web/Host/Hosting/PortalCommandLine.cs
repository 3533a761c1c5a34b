namespace MedNetPortal.Web.Host.Hosting;

/// <summary>
/// What the portal's commands (<c>migrate</c>, <c>audit-retry</c>, <c>audit-verify</c>, <c>import</c>) share: reading their
/// arguments, and a host builder over the same configuration sources as the portal with warnings-only logging.
/// </summary>
internal static class PortalCommandLine
{
    /// <summary>
    /// The configuration arguments (<c>--Key=Value</c>) and the <paramref name="flags"/> given after <paramref name="name"/>;
    /// null when the command is not <paramref name="name"/> or an argument is not an option.
    /// </summary>
    public static (string[] ConfigurationArgs, ISet<string> Flags)? Parse(string[] args, string name, params string[] flags)
    {
        if (args is not [var command, .. var rest] || command != name || rest.Any(a => !a.StartsWith("--", StringComparison.Ordinal)))
        {
            return null;
        }

        return ([.. rest.Where(a => !flags.Contains(a))], rest.Where(flags.Contains).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>A builder for a command's own host, configured from <paramref name="configurationArgs"/> like the portal.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] configurationArgs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = configurationArgs,
            ApplicationName = typeof(PortalCommandLine).Assembly.GetName().Name,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }
}
