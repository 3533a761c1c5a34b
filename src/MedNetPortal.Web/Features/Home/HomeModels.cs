namespace MedNetPortal.Web.Features.Home;

/// <summary>Which tiles the signed-in user gets, decided on the server from their roles.</summary>
/// <param name="Clinical">A clinician of a facility: unread letters, own drafts, patients opened in this session.</param>
/// <param name="EmergencyReviews">A facility administrator: the facility's emergency-access notifications to review.</param>
/// <param name="Accounts">An administrator: suspended and locked accounts (a facility administrator: their facility's only).</param>
public sealed record HomeAudience(bool Clinical, bool EmergencyReviews, bool Accounts)
{
    public static HomeAudience Nobody { get; } = new(false, false, false);
}

/// <summary>An unread letter as the home page lists it: no patient data, only who sent it and when.</summary>
/// <param name="LetterId">The base's Bundle id, for <c>/letters/{id}</c> (not personal data).</param>
/// <param name="SentAt">Bundle.timestamp.</param>
/// <param name="SenderFacility">The sending facility (section 920), when the letter names it.</param>
public sealed record HomeLetter(string LetterId, DateTimeOffset? SentAt, string? SenderFacility);

/// <summary>The unread letters of the facility's inbox: how many the base holds, and the newest few.</summary>
public sealed record UnreadLetters(int Total, IReadOnlyList<HomeLetter> Newest);

/// <summary>One of the user's own unsent drafts.</summary>
public sealed record HomeDraft(Guid Id, string? PatientName, string? DestinationName, DateTimeOffset UpdatedAt);

/// <summary>The user's own unsent drafts: how many, and the newest few.</summary>
public sealed record MyDrafts(int Total, IReadOnlyList<HomeDraft> Newest);

/// <summary>A patient whose record the user opened in this sign-in session.</summary>
/// <param name="PatientId">The base's Patient id, for <c>/patients/{id}</c> (not personal data).</param>
/// <param name="NameKanji">The name in kanji, for the page body only.</param>
/// <param name="NameKana">The name in kana, for the page body only.</param>
/// <param name="OpenedAt">When the record was last opened in this session.</param>
public sealed record HomePatient(string PatientId, string NameKanji, string NameKana, DateTimeOffset OpenedAt);

/// <summary>An account an administrator may need to look at.</summary>
public sealed record HomeAccount(string Id, string DisplayName, string? FacilityName, bool Suspended, bool Locked);

/// <summary>Suspended or locked accounts in the administrator's scope: counts, and the first few by name.</summary>
public sealed record AccountsNeedingAttention(int Suspended, int Locked, int Total, IReadOnlyList<HomeAccount> First);

/// <summary>The facility's emergency-access notifications that no administrator has marked read yet.</summary>
public sealed record EmergencyReviews(int Unread);
