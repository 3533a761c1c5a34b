namespace MedNetPortal.UnitTests.Web.Structure.Planted;

/// <summary>Uses <c>Regex</c> only inside a lambda's body: the dependency reader must still see it (FeatureDependencyTests).</summary>
internal static class BodyOnly
{
    public static Func<string, bool> Matcher() => s => System.Text.RegularExpressions.Regex.IsMatch(s, "^a+$");
}
