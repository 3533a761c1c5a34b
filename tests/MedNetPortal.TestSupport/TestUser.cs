using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.TestSupport;

/// <summary>
/// The one user fake: the signed-in user a service sees, fixed or changed by the test (<see cref="Current"/>; null is
/// nobody signed in). Everything else about the user (claims, sessions, facility status) is what the fake stands in for.
/// </summary>
public sealed class TestUser(CurrentUser? current) : ICurrentUserAccessor
{
    public CurrentUser? Current { get; set; } = current;

    /// <summary>A clinician of the demo hospital (みどり台総合病院).</summary>
    public static CurrentUser HospitalClinician { get; } =
        new("clinician-1", "医師", DemoFacilities.HospitalCode, DemoFacilities.Hospital.Name, [PortalRoles.Clinician]);

    public Task<CurrentUser?> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Current);
}
