using System.Text.Json;

namespace MedNetPortal.Fhir;

/// <summary>What kind of capability a <see cref="BaseRequirement"/> is.</summary>
public enum BaseRequirementKind
{
    /// <summary>A whole-system interaction (<c>rest.interaction</c>): transaction, batch.</summary>
    SystemInteraction,

    /// <summary>A type interaction (<c>rest.resource.interaction</c>): read, create, update, search-type.</summary>
    Interaction,

    /// <summary><c>rest.resource.conditionalCreate</c> (If-None-Exist, also inside a transaction).</summary>
    ConditionalCreate,

    /// <summary>A search parameter of the type (<c>rest.resource.searchParam.name</c>).</summary>
    SearchParameter,

    /// <summary>An <c>_include</c> value (<c>rest.resource.searchInclude</c>).</summary>
    Include,

    /// <summary>A <c>_revinclude</c> value (<c>rest.resource.searchRevInclude</c>).</summary>
    RevInclude,
}

/// <summary>One thing the portal needs from a FHIR base, as a CapabilityStatement states it.</summary>
public sealed record BaseRequirement(BaseRequirementKind Kind, string? ResourceType, string Name)
{
    /// <summary>Short and fixed (no text from the server): e.g. <c>Task search parameter owner</c>, <c>transaction</c>.</summary>
    public override string ToString() => Kind switch
    {
        BaseRequirementKind.SystemInteraction => Name,
        BaseRequirementKind.Interaction => $"{ResourceType} {Name}",
        BaseRequirementKind.ConditionalCreate => $"{ResourceType} conditional create",
        BaseRequirementKind.SearchParameter => $"{ResourceType} search parameter {Name}",
        BaseRequirementKind.Include => $"{ResourceType} _include {Name}",
        _ => $"{ResourceType} _revinclude {Name}",
    };
}

/// <summary>
/// Everything the portal needs from a central base, in one list: standard R4 interactions and search parameters only.
/// docs/fhir-base.md and README.md list the same (a test keeps them equal); start-up and <c>/health</c> compare it with the
/// base's CapabilityStatement (<see cref="BaseCapabilities"/>). Beyond what a CapabilityStatement can say, the portal sends
/// <c>Prefer: handling=strict</c> with every request and checks every search result itself.
/// </summary>
public static class BaseRequirements
{
    /// <summary>Per type: interactions, whether conditional create is needed, search parameters, includes, revincludes.</summary>
    private static readonly (string Type, string[] Interactions, bool ConditionalCreate, string[] Parameters, string[] Includes, string[] RevIncludes)[] Types =
    [
        ("Patient", ["read", "search-type", "create"], true, ["identifier"], [], []),
        ("Condition", ["search-type"], false, ["patient", "recorded-date"], [], []),
        ("AllergyIntolerance", ["search-type"], false, ["patient", "date", "category"], [], []),
        ("Observation", ["search-type"], false, ["patient", "category", "code", "date"], ["Observation:performer"], []),
        ("MedicationRequest", ["search-type"], false, ["patient", "authoredon"], ["MedicationRequest:requester"], []),
        ("Consent", ["search-type", "create"], false, ["patient", "status"], [], []),
        ("Organization", ["search-type", "create", "update"], true, ["identifier", "name"], [], ["PractitionerRole:organization"]),
        ("Bundle", ["read", "create"], true, ["identifier"], [], []),
        ("DocumentReference", ["search-type", "create"], true, ["identifier", "patient", "date"], ["DocumentReference:related", "DocumentReference:patient"], []),
        ("Task", ["search-type", "create", "update"], true, ["identifier", "owner", "requester", "focus", "authored-on", "status"], ["Task:focus", "Task:patient"], []),
        ("AuditEvent", ["update"], false, [], [], []),
    ];

    /// <summary>Every requirement, system interactions first, then by type in the order above.</summary>
    public static IReadOnlyList<BaseRequirement> All { get; } = Build();

    private static List<BaseRequirement> Build()
    {
        var all = new List<BaseRequirement>
        {
            new(BaseRequirementKind.SystemInteraction, null, "transaction"),
            new(BaseRequirementKind.SystemInteraction, null, "batch"),
        };
        foreach (var (type, interactions, conditionalCreate, parameters, includes, revIncludes) in Types)
        {
            all.AddRange(interactions.Select(i => new BaseRequirement(BaseRequirementKind.Interaction, type, i)));
            if (conditionalCreate)
            {
                all.Add(new BaseRequirement(BaseRequirementKind.ConditionalCreate, type, "conditional create"));
            }

            all.AddRange(parameters.Select(p => new BaseRequirement(BaseRequirementKind.SearchParameter, type, p)));
            all.AddRange(includes.Select(p => new BaseRequirement(BaseRequirementKind.Include, type, p)));
            all.AddRange(revIncludes.Select(p => new BaseRequirement(BaseRequirementKind.RevInclude, type, p)));
        }

        return all;
    }
}

/// <summary>
/// Compares a base's CapabilityStatement with <see cref="BaseRequirements"/>. Reads the JSON directly, not through the FHIR
/// model, because real servers list resource types and codes R4 does not know; anything it does not understand counts as
/// not stated.
/// </summary>
public static class BaseCapabilities
{
    /// <summary>The requirements <paramref name="statement"/> does not state (empty: everything is there).</summary>
    public static IReadOnlyList<BaseRequirement> Missing(JsonElement statement, IEnumerable<BaseRequirement>? requirements = null)
    {
        var rest = Array(statement, "rest").FirstOrDefault(r => Text(r, "mode") is "server" or null);
        var systemInteractions = Codes(rest, "interaction");
        var resources = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var resource in Array(rest, "resource"))
        {
            if (Text(resource, "type") is { } type)
            {
                resources.TryAdd(type, resource);
            }
        }

        var missing = new List<BaseRequirement>();
        foreach (var requirement in requirements ?? BaseRequirements.All)
        {
            var hasType = resources.TryGetValue(requirement.ResourceType ?? string.Empty, out var resource);
            var found = requirement.Kind switch
            {
                BaseRequirementKind.SystemInteraction => systemInteractions.Contains(requirement.Name),
                _ when !hasType => false,
                BaseRequirementKind.Interaction => Codes(resource, "interaction").Contains(requirement.Name),
                BaseRequirementKind.ConditionalCreate => resource.TryGetProperty("conditionalCreate", out var c) && c.ValueKind == JsonValueKind.True,
                BaseRequirementKind.SearchParameter => Array(resource, "searchParam").Any(p => Text(p, "name") == requirement.Name),
                BaseRequirementKind.Include => Strings(resource, "searchInclude").Any(v => Covers(v, requirement.Name)),
                _ => Strings(resource, "searchRevInclude").Any(v => Covers(v, requirement.Name)),
            };
            if (!found)
            {
                missing.Add(requirement);
            }
        }

        return missing;
    }

    /// <summary>
    /// Every <c>searchInclude</c> value the statement lists, as <c>Type:param</c> (a <c>Type:param:Target</c> value also as
    /// <c>Type:param</c>; <c>*</c> as <c>Type:*</c>).
    /// </summary>
    public static HashSet<string> StatedIncludes(JsonElement statement)
    {
        var includes = new HashSet<string>(StringComparer.Ordinal);
        var rest = Array(statement, "rest").FirstOrDefault(r => Text(r, "mode") is "server" or null);
        foreach (var resource in Array(rest, "resource"))
        {
            if (Text(resource, "type") is not { } type)
            {
                continue;
            }

            foreach (var value in Strings(resource, "searchInclude"))
            {
                var parts = value.Split(':');
                includes.Add(value == "*" ? type + ":*" : parts.Length >= 2 ? parts[0] + ":" + parts[1] : value);
            }
        }

        return includes;
    }

    /// <summary>One line naming what is missing, for logs and <c>/health</c> (fixed names only).</summary>
    public static string Describe(IReadOnlyList<BaseRequirement> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        return missing.Count == 0 ? "none" : string.Join(", ", missing);
    }

    /// <summary><c>*</c> allows every include; <c>Type:param</c> also covers <c>Type:param:Target</c> forms listed by the server.</summary>
    private static bool Covers(string stated, string needed) =>
        stated == "*" || stated == needed || stated.StartsWith(needed + ":", StringComparison.Ordinal);

    private static IEnumerable<JsonElement> Array(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object).ToList()
            : [];

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    private static HashSet<string> Codes(JsonElement? element, string name) =>
        Array(element, name).Select(i => Text(i, "code")).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
