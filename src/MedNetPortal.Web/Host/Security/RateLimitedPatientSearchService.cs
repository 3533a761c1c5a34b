using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Host.Hosting;

namespace MedNetPortal.Web.Host.Security;

/// <summary>
/// The lookup runs inside the Blazor circuit, not as an HTTP request, so its limit sits in the service path: every search
/// takes a permit from the user's and the address's budget first, and a refusal is a <see cref="RateLimitExceededException"/>
/// that the page turns into "try again later". No request reaches the FHIR base when refused.
/// </summary>
internal sealed class RateLimitedPatientSearchService(
    IPatientSearchService inner,
    PortalRateLimits limits,
    ICurrentUserAccessor currentUser,
    ClientAddress address,
    ILogger<RateLimitedPatientSearchService> logger) : IPatientSearchService
{
    public async Task<PatientSearchResult> SearchAsync(InsuranceMemberId memberId, CancellationToken cancellationToken)
    {
        var user = await currentUser.GetAsync(cancellationToken).ConfigureAwait(false);
        if (await limits.TryAcquireAsync(RateLimitKind.Lookup, user?.UserId, address.Value, cancellationToken).ConfigureAwait(false) is { } wait)
        {
            RateLimitLog.Refused(logger, nameof(RateLimitKind.Lookup));
            throw new RateLimitExceededException(RateLimitKind.Lookup, wait);
        }

        return await inner.SearchAsync(memberId, cancellationToken).ConfigureAwait(false);
    }
}

internal static partial class RateLimitLog
{
    // Never the account, its hash or the address: the kind is enough to see an attack in the logs.
    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "{Kind} rate limit reached; attempt refused.")]
    public static partial void Refused(ILogger logger, string kind);
}
