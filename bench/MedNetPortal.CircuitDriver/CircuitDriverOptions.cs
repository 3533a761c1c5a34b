using System.Globalization;

namespace MedNetPortal.CircuitDriver;

/// <summary>Command-line options of the protocol load driver.</summary>
internal sealed record CircuitDriverOptions(
    IReadOnlyList<int> Circuits,
    TimeSpan Duration,
    TimeSpan Think,
    Uri? Url = null,
    int? ServerPid = null,
    string? Out = null,
    bool IdleOnLookup = false,
    bool Heap = true,
    int OpenConcurrency = 8,
    TimeSpan? ViewTimeout = null,
    bool SeparateBase = false)
{
    public const string Usage =
        "usage: MedNetPortal.CircuitDriver [--circuits 100,500,1000] [--duration 60s] [--think 20s] [--out DIR] " +
        "[--url http://host:port/ --server-pid PID] [--idle-on record|lookup] [--heap on|off] [--open-concurrency 8] [--view-timeout 30s] [--base embedded|separate]";

    public TimeSpan Timeout => ViewTimeout ?? TimeSpan.FromSeconds(30);

    public static CircuitDriverOptions? Parse(string[] args)
    {
        var options = new CircuitDriverOptions([100, 500, 1000], TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20));
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                return null;
            }

            var value = args[i + 1];
            options = args[i] switch
            {
                "--circuits" => options with { Circuits = [.. value.Split(',').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))] },
                "--duration" => options with { Duration = ParseDuration(value) },
                "--think" => options with { Think = ParseDuration(value) },
                "--url" => options with { Url = new Uri(value.EndsWith('/') ? value : value + "/") },
                "--server-pid" => options with { ServerPid = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) },
                "--out" => options with { Out = value },
                "--idle-on" when value is "record" or "lookup" => options with { IdleOnLookup = value == "lookup" },
                "--heap" when value is "on" or "off" => options with { Heap = value == "on" },
                "--open-concurrency" => options with { OpenConcurrency = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) },
                "--view-timeout" => options with { ViewTimeout = ParseDuration(value) },
                "--base" when value is "embedded" or "separate" => options with { SeparateBase = value == "separate" },
                _ => null!,
            };
            if (options is null)
            {
                return null;
            }
        }

        return (options.Url is not null && options.ServerPid is null) || (options.Url is not null && options.SeparateBase) ? null : options;
    }

    /// <summary>60s, 2m, 500ms, or plain seconds.</summary>
    internal static TimeSpan ParseDuration(string text) =>
        text.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture))
        : text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture))
        : text.EndsWith('m') ? TimeSpan.FromMinutes(double.Parse(text[..^1], CultureInfo.InvariantCulture))
        : TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
}
