using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Search;
using MedNetPortal.FhirBase.Security;

namespace MedNetPortal.FhirBase.Http;

/// <summary>The SMART system scopes each interaction needs beyond its own type's permission (conditional create, includes).</summary>
internal static class InteractionScopes
{
    /// <summary>Create needs <c>c</c>; a conditional create also <c>s</c>, because it answers with the match it finds.</summary>
    public static void RequireCreate(string type, string? ifNoneExist, FhirAccess access, string? expression = null)
    {
        access.Require(type, SmartPermissions.Create, "create", expression);
        if (!string.IsNullOrWhiteSpace(ifNoneExist))
        {
            access.Require(type, SmartPermissions.Create | SmartPermissions.Search, "conditional create (If-None-Exist is a search)", expression);
        }
    }

    /// <summary>Update needs <c>u</c>, or <c>c</c> for a create-only PUT (returns true then).</summary>
    public static bool RequireUpdate(string type, FhirAccess access, string? expression = null)
    {
        if (access.Allows(type, SmartPermissions.Update))
        {
            return false;
        }
        if (access.Allows(type, SmartPermissions.Create))
        {
            return true;
        }
        access.Require(type, SmartPermissions.Update, "update", expression);
        return false;
    }

    /// <summary>Included resources are returned too: <c>r</c> on each type an <c>_include</c> can reach, <c>s</c> on each <c>_revinclude</c>d type.</summary>
    public static void RequireIncluded(SearchRequest request, FhirAccess access)
    {
        foreach (var include in request.Includes)
        {
            var parts = include.Split(':');
            var targets = parts.Length > 2
                ? [parts[2]]
                : SearchParameterRegistry.All[parts[0]].Parameters[parts[1]].Targets;
            foreach (var target in targets.Where(t => SearchParameterRegistry.TryGet(t, out _)))
            {
                access.Require(target, SmartPermissions.Read, $"_include={include} (it returns {target} resources)", "_include");
            }
        }
        foreach (var revInclude in request.RevIncludes)
        {
            var source = revInclude.Split(':')[0];
            access.Require(source, SmartPermissions.Search, $"_revinclude={revInclude} (it searches {source})", "_revinclude");
        }
    }
}
