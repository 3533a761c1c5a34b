using System.Globalization;

namespace MedNetPortal.LoadDriver;

/// <summary>Command-line options of the load driver.</summary>
internal sealed record DriverOptions(
    IReadOnlyList<int> Circuits,
    TimeSpan Duration,
    TimeSpan Think,
    Uri? Url,
    bool SignInEach,
    string? Out,
    int? ServerPid = null,
    bool IdleOnLookup = false)
{
    public const string Usage =
        "usage: MedNetPortal.LoadDriver [--circuits 10,50,100] [--duration 60s] [--think 20s] [--url http://host:port/] " +
        "[--sign-in shared|each] [--out file.md] [--server-pid PID (with --url: a local server's working set)] " +
        "[--idle-on record|lookup (the page the idle circuits show while memory is read)]";

    public static DriverOptions? Parse(string[] args)
    {
        var options = new DriverOptions([10, 50, 100], TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), null, false, null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
            {
                return null;
            }

            switch (args[i])
            {
                case "--circuits":
                    options = options with { Circuits = value.Split(',').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToList() };
                    break;
                case "--duration":
                    options = options with { Duration = ParseDuration(value) };
                    break;
                case "--think":
                    options = options with { Think = ParseDuration(value) };
                    break;
                case "--url":
                    options = options with { Url = new Uri(value.EndsWith('/') ? value : value + "/") };
                    break;
                case "--sign-in" when value is "shared" or "each":
                    options = options with { SignInEach = value == "each" };
                    break;
                case "--server-pid":
                    options = options with { ServerPid = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) };
                    break;
                case "--idle-on" when value is "record" or "lookup":
                    options = options with { IdleOnLookup = value == "lookup" };
                    break;
                case "--out":
                    options = options with { Out = value };
                    break;
                default:
                    return null;
            }

            i++;
        }

        return options;
    }

    /// <summary>60s, 2m, 500ms, or plain seconds.</summary>
    internal static TimeSpan ParseDuration(string text) =>
        text.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture))
        : text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture))
        : text.EndsWith('m') ? TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture))
        : TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
}
