namespace MedNetPortal.Web.Components.Shared;

/// <summary>
/// The class of a card table's cell (app.css, <c>card-table</c>): on a phone a cell with nothing to show gets no line
/// (<c>card-empty</c>).
/// </summary>
public static class CardCell
{
    /// <summary><paramref name="cssClass"/>, with <c>card-empty</c> added when <paramref name="empty"/>.</summary>
    public static string? Class(bool empty, string? cssClass = null) =>
        empty ? (cssClass is null ? "card-empty" : cssClass + " card-empty") : cssClass;

    /// <summary><paramref name="cssClass"/>, with <c>card-empty</c> added when <paramref name="value"/> is null or empty.</summary>
    public static string? Class(string? value, string? cssClass = null) => Class(string.IsNullOrEmpty(value), cssClass);
}
