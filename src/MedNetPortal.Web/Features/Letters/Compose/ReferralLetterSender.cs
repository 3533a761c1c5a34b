using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Conformance;
using MedNetPortal.Fhir.Letters;

namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>What became of one attempt to send a letter.</summary>
public enum SendOutcome
{
    /// <summary>The base stored the letter now (201).</summary>
    Sent,

    /// <summary>The base already held a letter with this Bundle identifier (200 to the conditional create): an earlier
    /// attempt (double click, retry, a timeout after the server received it) already sent it; nothing new was stored.</summary>
    AlreadySent,

    /// <summary>The letter fails the portal's JP-CLINS checks or the official profiles; nothing was sent.</summary>
    Invalid,

    /// <summary>The call failed (see <see cref="SendResult.FailureReason"/>); the letter may or may not be stored: send again.</summary>
    Failed,
}

/// <summary>The outcome of <see cref="ReferralLetterSender.SendAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="BundleId">The base's Bundle id (Sent, AlreadySent), else null.</param>
/// <param name="BundleIdentifier">The letter's Bundle identifier value (<c>医療機関コード^年^施設内ID</c>).</param>
/// <param name="Problems">Validation problems (Invalid), else empty.</param>
/// <param name="FailureReason">Why the call failed (Failed), else null.</param>
public sealed record SendResult(
    SendOutcome Outcome,
    string? BundleId,
    string BundleIdentifier,
    IReadOnlyList<ReferralProblem> Problems,
    FhirApiErrorReason? FailureReason)
{
    /// <summary>True when the base holds the letter (Sent or AlreadySent).</summary>
    public bool IsStored => Outcome is SendOutcome.Sent or SendOutcome.AlreadySent;
}

/// <summary>
/// Sends a referral letter to the central base as a JP-CLINS document Bundle, at most once per Bundle identifier.
/// </summary>
/// <remarks>
/// <para>The letter is sent as ONE transaction (<see cref="LetterDelivery.BuildTransaction"/>): the document Bundle, its
/// DocumentReference and routing Task, and the Patient and Organizations the base may not have yet, each a conditional
/// create on its identifier (the Bundle's on <c>http://jpfhir.jp/fhir/clins/bundle-identifier|&lt;value&gt;</c>). The
/// identifier value (<c>医療機関コード^年^施設内ID</c>) is derived only from the letter's sender, issue year and local id, so
/// every attempt to send the same letter carries the same identifier and the base creates each resource only when none has
/// it yet (201), otherwise it answers 200 with the stored one and writes nothing.</para>
/// <para>Why retrying is safe: when a call fails in transport (timeout, reset, 5xx from a proxy) the letter may or may not
/// have been stored, and the portal cannot tell. The caller (a button, a background retry) simply calls
/// <see cref="SendAsync"/> again with the same content: if the first attempt did reach the base, the retry finds the stored
/// letter and reports <see cref="SendOutcome.AlreadySent"/> with its id; if it did not, the retry stores it. Either way
/// there is exactly one letter, one DocumentReference and one Task. The client never retries this POST by itself (see <see cref="IFhirApi.TransactionAsync"/>);
/// the decision to retry stays with the caller, who sees <see cref="SendOutcome.Failed"/>. Concurrent sends of one letter
/// (a double click in two tabs) rely on the base evaluating the conditional create atomically.</para>
/// <para>Changing the content after a send without a new local id therefore does not send a second version: a corrected
/// letter needs a new 施設内ID (or a version workflow).</para>
/// </remarks>
public sealed class ReferralLetterSender(CentralFhirClient client, IProfileValidator profiles)
{
    /// <summary>
    /// Validates the letter (the portal's own rules, then the official JP-CLINS profiles when they are available), builds
    /// its Bundle and sends it once (one HTTP request when valid, none otherwise).
    /// </summary>
    public async Task<SendResult> SendAsync(ReferralLetterContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var identifier = ReferralDocumentBuilder.BundleIdentifierValue(content);

        var problems = ReferralDocumentValidator.Validate(content);
        if (problems.Count > 0)
        {
            return new SendResult(SendOutcome.Invalid, null, identifier, problems, null);
        }

        var bundle = ReferralDocumentBuilder.Build(content);
        problems = ReferralDocumentValidator.Validate(bundle, verifyCheckDigit: true);
        if (problems.Count > 0)
        {
            return new SendResult(SendOutcome.Invalid, null, identifier, problems, null);
        }

        // Unavailable profiles (no packages) leave the portal's own rules in charge: the page and /health say so.
        var report = await profiles.ValidateAsync(bundle, cancellationToken).ConfigureAwait(false);
        problems = ReferralProfileProblems.From(bundle, report);
        if (problems.Count > 0)
        {
            return new SendResult(SendOutcome.Invalid, null, identifier, problems, null);
        }

        // One transaction: the document with its DocumentReference and routing Task (and the Patient and Organizations the
        // base may lack), every entry a conditional create, so a repeat after a timeout stores exactly one of each.
        var transaction = LetterDelivery.BuildTransaction(bundle, content.Patient.BasePatientId, bundle.Timestamp ?? content.IssuedAt);
        var index = LetterDelivery.DocumentEntryIndex(transaction);
        try
        {
            var response = await client.TransactionAsync(transaction, cancellationToken).ConfigureAwait(false);
            var entry = response.Entry.ElementAtOrDefault(index);
            var status = entry?.Response?.Status ?? string.Empty;
            var id = entry?.Resource?.Id ?? FhirReferences.IdOf(entry?.Response?.Location, "Bundle");
            if (response.Entry.Count != transaction.Entry.Count || !status.StartsWith('2') || id is null)
            {
                return new SendResult(SendOutcome.Failed, null, identifier, [], FhirApiErrorReason.MalformedResponse);
            }

            var outcome = status.StartsWith("201", StringComparison.Ordinal) ? SendOutcome.Sent : SendOutcome.AlreadySent;
            return new SendResult(outcome, id, identifier, [], null);
        }
        catch (FhirApiException ex)
        {
            return new SendResult(SendOutcome.Failed, null, identifier, [], ex.Reason);
        }
    }

    /// <summary>
    /// The conditional-create query for a Bundle identifier. The value is URL-encoded as a query string value: it contains
    /// <c>^</c> and may contain non-ASCII characters, which a header cannot carry and a query parser would misread.
    /// </summary>
    public static string IfNoneExist(string bundleIdentifierValue)
    {
        ArgumentNullException.ThrowIfNull(bundleIdentifierValue);
        return LetterDelivery.IfNoneExist(JpFhir.Systems.BundleIdentifier, bundleIdentifierValue);
    }
}
