using System.Text;
using MedNetPortal.FhirBase.Search;

namespace MedNetPortal.FhirBase.Security;

/// <summary>The SMART v2 permission letters, <c>c r u d s</c>; v1 <c>read</c> = r+s, <c>write</c> = c+u+d.</summary>
[Flags]
internal enum SmartPermissions
{
    None = 0,
    Create = 1,
    Read = 2,
    Update = 4,
    Delete = 8,
    Search = 16,
    All = Create | Read | Update | Delete | Search,
}

/// <summary>One parsed system scope: a resource type (or <c>*</c>) and its permissions.</summary>
internal readonly record struct SmartScope(string Type, SmartPermissions Permissions)
{
    private static readonly (SmartPermissions Permission, char Letter)[] Letters =
    [
        (SmartPermissions.Create, 'c'), (SmartPermissions.Read, 'r'), (SmartPermissions.Update, 'u'),
        (SmartPermissions.Delete, 'd'), (SmartPermissions.Search, 's'),
    ];

    /// <summary>The v2 text, e.g. <c>system/Patient.rs</c>.</summary>
    public override string ToString() => $"system/{Type}.{LettersOf(Permissions)}";

    /// <summary>The letters of <paramref name="permissions"/> in SMART order (<c>cruds</c>).</summary>
    public static string LettersOf(SmartPermissions permissions)
    {
        var text = new StringBuilder(5);
        foreach (var (permission, letter) in Letters)
        {
            if (permissions.HasFlag(permission))
            {
                text.Append(letter);
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Parses <c>system/Type.cruds</c> (v2: any non-empty subset of the letters, in that order) or <c>system/Type.read|write|*</c>
    /// (v1). Patient and user scopes, v2 query suffixes (<c>?category=…</c>) and unknown forms are not system scopes this base
    /// understands: false.
    /// </summary>
    public static bool TryParse(string text, out SmartScope scope)
    {
        scope = default;
        if (string.IsNullOrEmpty(text) || !text.StartsWith("system/", StringComparison.Ordinal) || text.Contains('?', StringComparison.Ordinal))
        {
            return false;
        }
        var rest = text["system/".Length..];
        var dot = rest.LastIndexOf('.');
        if (dot <= 0 || dot == rest.Length - 1)
        {
            return false;
        }
        var type = rest[..dot];
        if (type != "*" && !IsTypeName(type))
        {
            return false;
        }
        var permissions = ParsePermissions(rest[(dot + 1)..]);
        if (permissions == SmartPermissions.None)
        {
            return false;
        }
        scope = new SmartScope(type, permissions);
        return true;
    }

    private static SmartPermissions ParsePermissions(string text)
    {
        switch (text)
        {
            case "read":
                return SmartPermissions.Read | SmartPermissions.Search;
            case "write":
                return SmartPermissions.Create | SmartPermissions.Update | SmartPermissions.Delete;
            case "*":
                return SmartPermissions.All;
        }
        var permissions = SmartPermissions.None;
        var position = 0;
        foreach (var c in text)
        {
            var index = Array.FindIndex(Letters, position, l => l.Letter == c);
            if (index < 0)
            {
                // Unknown letter, a repeat, or out of the cruds order.
                return SmartPermissions.None;
            }
            permissions |= Letters[index].Permission;
            position = index + 1;
        }
        return permissions;
    }

    private static bool IsTypeName(string type) =>
        type.Length is > 1 and <= 64 && char.IsAsciiLetterUpper(type[0]) && type.All(char.IsAsciiLetter);
}

/// <summary>
/// What one access token allows: the union of its system scopes. Scopes this base does not understand grant nothing.
/// </summary>
internal sealed class FhirAccess
{
    private readonly Dictionary<string, SmartPermissions> _byType;

    private FhirAccess(Dictionary<string, SmartPermissions> byType, string clientId)
    {
        _byType = byType;
        ClientId = clientId;
    }

    /// <summary>The client the token was issued to (<c>client_id</c>, else <c>azp</c>/<c>appid</c>/<c>sub</c>), for messages only.</summary>
    public string ClientId { get; }

    /// <summary>Builds the access of a token from its scope strings.</summary>
    public static FhirAccess From(IEnumerable<string> scopes, string clientId)
    {
        var byType = new Dictionary<string, SmartPermissions>(StringComparer.Ordinal);
        foreach (var text in scopes)
        {
            if (SmartScope.TryParse(text, out var scope))
            {
                byType[scope.Type] = byType.GetValueOrDefault(scope.Type) | scope.Permissions;
            }
        }
        return new FhirAccess(byType, clientId);
    }

    /// <summary>The permissions on <paramref name="type"/>: its own scopes and the <c>*</c> scopes together.</summary>
    public SmartPermissions On(string type) => _byType.GetValueOrDefault(type) | _byType.GetValueOrDefault("*");

    public bool Allows(string type, SmartPermissions needed) => (On(type) & needed) == needed;

    /// <summary>No permissions at all (the anonymous endpoints).</summary>
    public static FhirAccess None { get; } = new(new Dictionary<string, SmartPermissions>(StringComparer.Ordinal), "anonymous");

    /// <summary>Throws 403 unless the token allows <paramref name="needed"/> on <paramref name="type"/>.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="needed">The permissions the interaction needs.</param>
    /// <param name="interaction">What the client tried, for the message (e.g. "read").</param>
    /// <param name="expression">Where in a Bundle, for batch and transaction entries.</param>
    public void Require(string type, SmartPermissions needed, string interaction, string? expression = null)
    {
        if (!Allows(type, needed))
        {
            var scope = new SmartScope(type, needed).ToString();
            throw FhirBaseAuthentication.Forbidden(
                $"The access token of client '{ClientId}' does not allow {interaction} on {type}; that needs scope {scope}.", scope, expression);
        }
    }

    /// <summary>True when every type the base serves allows <paramref name="needed"/> (system-wide history).</summary>
    public bool AllowsEveryType(SmartPermissions needed) => SearchParameterRegistry.All.Keys.All(t => Allows(t, needed));
}

/// <summary>What the token endpoint grants: the requested scopes narrowed to what the client is registered for.</summary>
internal static class SmartScopeGrant
{
    /// <summary>
    /// Each requested scope keeps only the permissions the client's allowed scopes give on its type. A requested
    /// <c>system/*.x</c> is answered per allowed scope (<c>system/*.cruds</c> asked by a client allowed <c>system/*.rs</c> and
    /// <c>system/AuditEvent.c</c> gets both). No scope requested: everything the client is allowed. Empty result: nothing to grant.
    /// </summary>
    /// <param name="requested">The request's scopes; each must parse (see <see cref="SmartScope.TryParse"/>).</param>
    /// <param name="allowed">The client's registered scopes.</param>
    /// <param name="unknown">The first requested scope that is not a system scope this base understands, else null.</param>
    public static IReadOnlyList<string> Grant(IReadOnlyCollection<string> requested, IReadOnlyList<SmartScope> allowed, out string? unknown)
    {
        unknown = null;
        if (requested.Count == 0)
        {
            return allowed.Select(a => a.ToString()).Distinct(StringComparer.Ordinal).ToList();
        }
        var granted = new List<string>();
        foreach (var text in requested)
        {
            if (!SmartScope.TryParse(text, out var scope))
            {
                unknown = text;
                return [];
            }
            if (scope.Type == "*")
            {
                foreach (var a in allowed)
                {
                    Add(granted, new SmartScope(a.Type, a.Permissions & scope.Permissions), text);
                }
            }
            else
            {
                var on = allowed.Where(a => a.Type == scope.Type || a.Type == "*").Aggregate(SmartPermissions.None, (p, a) => p | a.Permissions);
                Add(granted, new SmartScope(scope.Type, on & scope.Permissions), text);
            }
        }
        return granted.Distinct(StringComparer.Ordinal).ToList();
    }

    private static void Add(List<string> granted, SmartScope scope, string requestedText)
    {
        if (scope.Permissions == SmartPermissions.None)
        {
            return;
        }
        // A scope granted whole is echoed as asked (a v1 client gets its v1 scope back); a narrowed one in v2 form.
        granted.Add(SmartScope.TryParse(requestedText, out var asked) && asked == scope ? requestedText : scope.ToString());
    }
}
