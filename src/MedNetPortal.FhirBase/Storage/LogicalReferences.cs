using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.FhirBase.Storage;

/// <summary>
/// The references of a routing Task (<c>owner</c>, <c>requester</c>, <c>for</c>) and of a DocumentReference (<c>author</c>,
/// <c>custodian</c>, <c>subject</c>) that are logical: a <c>type</c> and an <c>identifier</c>, no <c>reference</c> (what
/// <see cref="DocumentRegistrar"/> writes when the base has no such Organization or Patient yet).
/// </summary>
/// <remarks>
/// They are indexed as token rows under <see cref="Param"/> (target type in the name; never a search parameter a client can
/// send, as no registered parameter has that name), so that writing the Organization or Patient finds them through the
/// index instead of reading every Task (<see cref="ReferenceRelinker"/>).
/// </remarks>
internal static class LogicalReferences
{
    /// <summary>Types whose logical references are indexed and re-linked.</summary>
    public static readonly string[] Holders = ["Task", "DocumentReference"];

    /// <summary>Types a logical reference is re-linked to when one of them is written.</summary>
    public static readonly string[] Targets = ["Organization", "Patient"];

    private const string ParamPrefix = "~logical-reference:";

    public static string Param(string targetType) => ParamPrefix + targetType;

    /// <summary>Target type, identifier system and value of each logical reference of <paramref name="resource"/>.</summary>
    public static IEnumerable<(string TargetType, string System, string Value)> Of(Resource resource) =>
        Elements(resource)
            .Where(r => IsLogical(r) && Targets.Contains(r.Type, StringComparer.Ordinal))
            .Select(r => (r.Type!, r.Identifier!.System!, r.Identifier.Value!))
            .Distinct();

    /// <summary>
    /// Makes each logical reference to <paramref name="targetType"/> by (<paramref name="system"/>, <paramref name="value"/>) the
    /// literal <c>{targetType}/{targetId}</c>, keeping its identifier and display; whether any was changed.
    /// </summary>
    public static bool Relink(Resource resource, string targetType, string system, string value, string targetId)
    {
        var changed = false;
        foreach (var reference in Elements(resource).Where(r => IsLogical(r) && r.Type == targetType
                     && r.Identifier!.System == system && r.Identifier.Value == value))
        {
            reference.Reference = $"{targetType}/{targetId}";
            changed = true;
        }

        return changed;
    }

    private static bool IsLogical(ResourceReference reference) =>
        string.IsNullOrEmpty(reference.Reference)
        && !string.IsNullOrEmpty(reference.Type)
        && reference.Identifier is { System: { Length: > 0 }, Value: { Length: > 0 } };

    private static IEnumerable<ResourceReference> Elements(Resource resource)
    {
        IEnumerable<ResourceReference?> elements = resource switch
        {
            FhirTask task => [task.Owner, task.Requester, task.For],
            DocumentReference document => [.. document.Author, document.Custodian, document.Subject],
            _ => [],
        };
        return elements.OfType<ResourceReference>();
    }
}
