namespace MedNetPortal.Web.Resources;

/// <summary>
/// Marker for the portal's shared UI strings: <c>SharedResource.resx</c> is Japanese (the neutral language),
/// <c>SharedResource.en.resx</c> English. Use <c>IStringLocalizer&lt;SharedResource&gt;</c>.
/// </summary>
public sealed class SharedResource;
