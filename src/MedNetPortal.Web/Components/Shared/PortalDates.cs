using System.Globalization;

namespace MedNetPortal.Web.Components.Shared;

/// <summary>
/// Dates as clinicians read them: Japanese form in the Japanese UI (2025年4月1日), with the era (和暦, 令和7年4月1日)
/// for birth dates; a plain English form otherwise. FHIR dates may be partial (year, or year and month).
/// </summary>
public static class PortalDates
{
    private static readonly DateTime FirstJapaneseCalendarDay = new JapaneseCalendar().MinSupportedDateTime;

    /// <summary>A FHIR <c>date</c> or <c>dateTime</c> string (possibly partial) as a calendar date; empty when absent or unreadable.</summary>
    public static string FormatFhirDate(string? fhirDate, CultureInfo culture) =>
        TryParsePartial(fhirDate, out var date, out var precision) ? Format(date, precision, culture, era: false) : string.Empty;

    /// <summary>A birth date: in Japanese with the era and the western year, e.g. 昭和25年5月1日（1950年）.</summary>
    public static string FormatBirthDate(string? fhirDate, CultureInfo culture) =>
        TryParsePartial(fhirDate, out var date, out var precision) ? Format(date, precision, culture, era: true) : string.Empty;

    /// <summary>A point in time in the viewer's language (Japan time), e.g. 2025年4月1日 14:05.</summary>
    public static string FormatInstant(DateTimeOffset instant, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var local = instant.ToOffset(TimeSpan.FromHours(9));
        return IsJapanese(culture)
            ? local.ToString("yyyy年M月d日 H:mm", CultureInfo.InvariantCulture)
            : local.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>Completed years of age on <paramref name="today"/>; null when the birth date is absent or only a year.</summary>
    public static int? AgeOn(string? fhirBirthDate, DateOnly today)
    {
        if (!TryParsePartial(fhirBirthDate, out var birth, out var precision) || precision == DatePrecision.Year)
        {
            return null;
        }

        var age = today.Year - birth.Year;
        if (today.Month < birth.Month || (today.Month == birth.Month && precision == DatePrecision.Day && today.Day < birth.Day))
        {
            age--;
        }

        return age;
    }

    private static string Format(DateOnly date, DatePrecision precision, CultureInfo culture, bool era)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var invariant = CultureInfo.InvariantCulture;
        if (!IsJapanese(culture))
        {
            return precision switch
            {
                DatePrecision.Year => date.ToString("yyyy", invariant),
                DatePrecision.Month => date.ToString("MMM yyyy", invariant),
                _ => date.ToString("d MMM yyyy", invariant),
            };
        }

        var western = precision switch
        {
            DatePrecision.Year => date.ToString("yyyy年", invariant),
            DatePrecision.Month => date.ToString("yyyy年M月", invariant),
            _ => date.ToString("yyyy年M月d日", invariant),
        };
        var asDateTime = date.ToDateTime(TimeOnly.MinValue);
        if (!era || asDateTime < FirstJapaneseCalendarDay)
        {
            return western;
        }

        var japanese = (CultureInfo)CultureInfo.GetCultureInfo("ja-JP").Clone();
        japanese.DateTimeFormat.Calendar = new JapaneseCalendar();
        var eraText = precision switch
        {
            DatePrecision.Year => asDateTime.ToString("ggy年", japanese),
            DatePrecision.Month => asDateTime.ToString("ggy年M月", japanese),
            _ => asDateTime.ToString("ggy年M月d日", japanese),
        };
        return $"{eraText}（{date.Year.ToString(invariant)}年）";
    }

    private static bool IsJapanese(CultureInfo culture) => culture.TwoLetterISOLanguageName == "ja";

    private static bool TryParsePartial(string? value, out DateOnly date, out DatePrecision precision)
    {
        date = default;
        precision = DatePrecision.Day;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Length > 10 ? value[..10] : value;
        var invariant = CultureInfo.InvariantCulture;
        if (text.Length == 4 && int.TryParse(text, NumberStyles.None, invariant, out var year) && year >= 1)
        {
            date = new DateOnly(year, 1, 1);
            precision = DatePrecision.Year;
            return true;
        }

        if (text.Length == 7 && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", invariant, DateTimeStyles.None, out date))
        {
            precision = DatePrecision.Month;
            return true;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", invariant, DateTimeStyles.None, out date);
    }

    private enum DatePrecision
    {
        Year,
        Month,
        Day,
    }
}
