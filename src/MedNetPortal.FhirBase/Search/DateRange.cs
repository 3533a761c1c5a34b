using System.Globalization;
using System.Text.RegularExpressions;

namespace MedNetPortal.FhirBase.Search;

/// <summary>
/// A FHIR date, dateTime or instant as the half-open range of UTC ticks it covers at its precision
/// (<c>2024</c> is the whole year). Values without a time zone are taken as UTC, on both the indexing and the searching side.
/// </summary>
internal readonly partial record struct DateRange(long Start, long End)
{
    public static DateRange Point(DateTimeOffset instant) => new(instant.UtcTicks, instant.UtcTicks + 1);

    public static bool TryParse(string? text, out DateRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            return false;
        }
        try
        {
            var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
            if (!m.Groups["mo"].Success)
            {
                var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                range = new DateRange(start.Ticks, start.AddYears(1).Ticks);
                return true;
            }
            var month = int.Parse(m.Groups["mo"].Value, CultureInfo.InvariantCulture);
            if (!m.Groups["d"].Success)
            {
                var start = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
                range = new DateRange(start.Ticks, start.AddMonths(1).Ticks);
                return true;
            }
            var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
            if (!m.Groups["h"].Success)
            {
                var start = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
                range = new DateRange(start.Ticks, start.AddDays(1).Ticks);
                return true;
            }
            var offset = TimeSpan.Zero;
            if (m.Groups["tz"].Success && m.Groups["tz"].Value != "Z")
            {
                var tz = m.Groups["tz"].Value;
                offset = new TimeSpan(int.Parse(tz[1..3], CultureInfo.InvariantCulture), int.Parse(tz[4..6], CultureInfo.InvariantCulture), 0);
                if (tz[0] == '-')
                {
                    offset = -offset;
                }
            }
            var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minute = int.Parse(m.Groups["mi"].Value, CultureInfo.InvariantCulture);
            var local = new DateTimeOffset(year, month, day, hour, minute, 0, offset);
            if (!m.Groups["s"].Success)
            {
                range = new DateRange(local.UtcTicks, local.AddMinutes(1).UtcTicks);
                return true;
            }
            var seconds = decimal.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture);
            if (seconds >= 60)
            {
                return false;
            }
            var precise = local.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            var width = m.Groups["s"].Value.Contains('.', StringComparison.Ordinal) ? 1 : TimeSpan.TicksPerSecond;
            range = new DateRange(precise.UtcTicks, precise.UtcTicks + width);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(?<y>\d{4})(-(?<mo>\d{2})(-(?<d>\d{2})(T(?<h>\d{2}):(?<mi>\d{2})(:(?<s>\d{2}(\.\d{1,9})?))?(?<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
