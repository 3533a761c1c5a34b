using System.Collections.Frozen;
using System.Globalization;
using MedNetPortal.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace MedNetPortal.Web.Features.Account.Passwords;

/// <summary>
/// Password rules after NIST SP 800-63B §3.1.1.2: length over composition (12 to 128 characters, any characters, no
/// "must contain a digit" rules), and no password that is common or easily guessed from the account: one of the 10,000 most
/// common passwords (also when only padded with digits or symbols), or one containing the email's local part or the
/// facility's name. Replaces Identity's composition validator so that every message is localised.
/// </summary>
public sealed class PortalPasswordValidator(IStringLocalizer<SharedResource> localizer) : IPasswordValidator<PortalUser>
{
    public const int MinimumLength = 12;

    /// <summary>NIST asks for at least 64; the cap only bounds hashing work.</summary>
    public const int MaximumLength = 128;

    // Shorter local parts ("ok", "jo") would refuse too much by accident.
    private const int MinimumContextLength = 3;

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommon);

    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var errors = Check(user, password ?? string.Empty).Select(code => new IdentityError
        {
            Code = code,
            Description = code == PasswordProblems.TooShort ? localizer[code, MinimumLength]
                : code == PasswordProblems.TooLong ? localizer[code, MaximumLength]
                : localizer[code],
        }).ToArray();
        return Task.FromResult(errors.Length == 0 ? IdentityResult.Success : IdentityResult.Failed(errors));
    }

    /// <summary>The codes (<see cref="PasswordProblems"/>, also the resource keys) of the rules <paramref name="password"/> breaks.</summary>
    public static IReadOnlyList<string> Check(PortalUser user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        var problems = new List<string>();
        var length = new StringInfo(password).LengthInTextElements;
        if (length < MinimumLength)
        {
            problems.Add(PasswordProblems.TooShort);
        }
        else if (length > MaximumLength)
        {
            problems.Add(PasswordProblems.TooLong);
        }

        if (IsCommon(password))
        {
            problems.Add(PasswordProblems.Common);
        }

        var localPart = user.Email?.Split('@')[0];
        if (Contains(password, localPart))
        {
            problems.Add(PasswordProblems.ContainsEmail);
        }

        if (Contains(password, user.FacilityName) || Contains(password, user.FacilityCode))
        {
            problems.Add(PasswordProblems.ContainsFacility);
        }

        return problems;
    }

    /// <summary>True for a listed password, compared without case, or a listed one padded only with digits and symbols.</summary>
    public static bool IsCommon(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower))
        {
            return true;
        }

        var core = lower.Trim(Padding());
        return core.Length > 0 && core.Length < lower.Length && Common.Value.Contains(core);
    }

    private static char[] Padding()
    {
        var chars = new List<char>();
        for (var c = (char)0x21; c < 0x7f; c++)
        {
            if (!char.IsAsciiLetter(c))
            {
                chars.Add(c);
            }
        }

        chars.Add(' ');
        return [.. chars];
    }

    private static bool Contains(string password, string? context)
    {
        var word = context?.Trim();
        return word is { Length: >= MinimumContextLength }
            && password.Contains(word, StringComparison.OrdinalIgnoreCase);
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(PortalPasswordValidator).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            if (word.Length > 0)
            {
                words.Add(word.ToLowerInvariant());
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }

    internal const string ResourceName = "MedNetPortal.Web.CommonPasswords";

    /// <summary>How many passwords the shipped list holds.</summary>
    internal static int CommonCount => Common.Value.Count;
}

/// <summary>Problem codes of <see cref="PortalPasswordValidator"/>; each is also a resource key.</summary>
public static class PasswordProblems
{
    public const string TooShort = "Password.TooShort";
    public const string TooLong = "Password.TooLong";
    public const string Common = "Password.Common";
    public const string ContainsEmail = "Password.ContainsEmail";
    public const string ContainsFacility = "Password.ContainsFacility";
}
