using System.Globalization;
using System.Text;
using MedNetPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using MedNetPortal.Web.Features.Audit;
using MedNetPortal.Web.Features.Audit.Views;

namespace MedNetPortal.Web.Features.Admin.Audit;

/// <summary>
/// The trail as CSV for Excel: UTF-8 with a BOM (without it Excel reads Japanese as Shift_JIS), RFC 4180 quoting, CRLF line ends,
/// the header and the labels (action, outcome, role) in the UI language, times in Japan time. Rows are written as they come.
/// </summary>
internal sealed class AuditCsvWriter(Stream destination, IStringLocalizer<SharedResource> localizer) : IAsyncDisposable
{
    private static readonly string[] Columns =
    [
        "Audit.Col.Id", "Audit.Col.Time", "Audit.Col.Account", "Audit.Col.Email", "Audit.Col.FacilityCode", "Audit.Col.Facility",
        "Audit.Col.Role", "Audit.Col.Action", "Audit.Col.Patient", "Audit.Col.Detail", "Audit.Col.Outcome", "Audit.Col.Emergency",
        "Audit.Col.Client",
    ];

    private readonly StreamWriter writer = new(destination, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true)
    {
        NewLine = "\r\n",
    };

    public Task WriteHeaderAsync(CancellationToken cancellationToken) =>
        WriteLineAsync([.. Columns.Select(c => (string?)localizer[c].Value)], cancellationToken);

    public Task WriteRowAsync(AuditLogRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        return WriteLineAsync(
        [
            row.Id.ToString(CultureInfo.InvariantCulture),
            AuditViewText.JapanTime(row.RecordedAt),
            row.ActorName,
            row.ActorEmail,
            row.FacilityCode,
            row.FacilityName,
            AuditViewText.Roles(localizer, row.Roles),
            AuditViewText.Action(localizer, row.Action),
            row.PatientId,
            row.Detail,
            AuditViewText.Outcome(localizer, row.Outcome),
            row.Emergency ? localizer["Audit.Emergency.Yes"].Value : string.Empty,
            row.ClientAddress,
        ], cancellationToken);
    }

    public ValueTask DisposeAsync() => writer.DisposeAsync();

    /// <summary>One field as RFC 4180 wants it; a leading = + - @ gets a ' so Excel shows it as text instead of running a formula.</summary>
    internal static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private async Task WriteLineAsync(string?[] fields, CancellationToken cancellationToken)
    {
        await writer.WriteLineAsync(string.Join(',', fields.Select(Field)).AsMemory(), cancellationToken);
    }
}
