using MedNetPortal.Web.Features.Audit;
using System.Text;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Host.Data;
using MedNetPortal.Web.Features.Facilities;
using MedNetPortal.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Admin.Facilities;

/// <summary>
/// The facility registry for administrators. Every method decides from the signed-in user (not from what the page shows):
/// a SystemAdmin manages every facility; a FacilityAdmin reads and edits only their own facility's details (never its code,
/// name, 救急告示病院 or electronic-letter flag, nor whether it is active, never another facility, never creates); anyone else
/// gets <see cref="FacilityAdminOutcome.Forbidden"/> (<see cref="AdminPolicy"/>). The audit entry of an edit names the fields
/// that changed.
/// Every create, edit and activation change is mirrored to the central base (<see cref="OrganizationMirror"/>); when the base
/// fails the change is kept and the record is marked <see cref="PortalFacility.MirrorPending"/> until a later save or
/// <see cref="RetryMirrorAsync"/> gets through.
/// </summary>
public sealed class FacilityAdminService(
    IDbContextFactory<PortalDbContext> dbFactory, ICurrentUserAccessor currentUser, OrganizationMirror mirror, IAuditTrail audit, TimeProvider time, FacilityStatus status)
{
    public const int MaxPageSize = 100;

    /// <summary>Facilities matching <paramref name="query"/> (name, kana — hiragana too — or code), by code, with the total.</summary>
    public async Task<FacilityPage> ListAsync(string? query, int skip, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var access = await AccessAsync(cancellationToken).ConfigureAwait(false);
        if (!access.IsAdmin)
        {
            return new FacilityPage(FacilityAdminOutcome.Forbidden, [], 0);
        }

        var rows = db.Facilities.AsNoTracking();
        if (access.Reach == AdminReach.OwnFacility)
        {
            rows = rows.Where(f => f.Code == access.FacilityCode);
        }

        var text = (query ?? string.Empty).Normalize(NormalizationForm.FormKC).Trim();
        if (text.Length > 0)
        {
            var katakana = ToKatakana(text);
            rows = rows.Where(f => f.Name.Contains(text) || (f.NameKana != null && f.NameKana.Contains(katakana)) || f.Code.StartsWith(text));
        }

        var total = await rows.CountAsync(cancellationToken).ConfigureAwait(false);
        var items = await rows.OrderBy(f => f.Code)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, MaxPageSize))
            .Select(f => new FacilityListItem(f.Code, f.Name, f.NameKana, f.Address, f.Phone, f.AcceptsElectronicLetters, f.Active, f.MirrorPending))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return new FacilityPage(FacilityAdminOutcome.Ok, items, total);
    }

    public async Task<FacilityReadResult> GetAsync(string code, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var access = await AccessAsync(cancellationToken).ConfigureAwait(false);
        if (!access.Covers(code))
        {
            return new FacilityReadResult(FacilityAdminOutcome.Forbidden, null);
        }

        var facility = await db.Facilities.AsNoTracking().SingleOrDefaultAsync(f => f.Code == code, cancellationToken).ConfigureAwait(false);
        return facility is null
            ? new FacilityReadResult(FacilityAdminOutcome.NotFound, null)
            : new FacilityReadResult(FacilityAdminOutcome.Ok, ToDetails(facility));
    }

    /// <summary>Registers a facility (SystemAdmin only), active, and mirrors it.</summary>
    public async Task<FacilitySaveResult> CreateAsync(FacilityForm form, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(form);
        var access = await AccessAsync(cancellationToken).ConfigureAwait(false);
        if (!access.IsSystem)
        {
            return FacilitySaveResult.Of(FacilityAdminOutcome.Forbidden);
        }

        var problems = FacilityFormValidator.Check(form, out var values);
        if (values is null)
        {
            return new FacilitySaveResult(FacilityAdminOutcome.Invalid, null, problems);
        }

        if (await db.Facilities.AnyAsync(f => f.Code == values.Code, cancellationToken).ConfigureAwait(false))
        {
            return FacilitySaveResult.Of(FacilityAdminOutcome.Duplicate);
        }

        var facility = new PortalFacility { Code = values.Code, Name = values.Name, Active = true };
        Assign(facility, values, form);
        db.Facilities.Add(facility);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another administrator registered the same code between the check and the insert.
            return FacilitySaveResult.Of(FacilityAdminOutcome.Duplicate);
        }

        await AuditAsync(facility.Code, "created").ConfigureAwait(false);
        return await MirrorAsync(db, facility, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a facility's details; its code cannot change (the form's code is ignored).</summary>
    public async Task<FacilitySaveResult> UpdateAsync(string code, FacilityForm form, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(form);
        var access = await AccessAsync(cancellationToken).ConfigureAwait(false);
        if (!access.Covers(code))
        {
            return FacilitySaveResult.Of(FacilityAdminOutcome.Forbidden);
        }

        var facility = await db.Facilities.SingleOrDefaultAsync(f => f.Code == code, cancellationToken).ConfigureAwait(false);
        if (facility is null)
        {
            return FacilitySaveResult.Of(FacilityAdminOutcome.NotFound);
        }

        var checkedForm = new FacilityForm
        {
            Code = facility.Code,
            Name = form.Name,
            NameKana = form.NameKana,
            PostalCode = form.PostalCode,
            Address = form.Address,
            Phone = form.Phone,
            Departments = form.Departments,
        };
        var problems = FacilityFormValidator.Check(checkedForm, out var values);
        if (values is null)
        {
            return new FacilitySaveResult(FacilityAdminOutcome.Invalid, null, problems);
        }

        // The name and the two flags decide what the network does with the facility (emergency access for its clinicians,
        // letters sent to it electronically): only a SystemAdmin changes them.
        if (!access.IsSystem && (values.Name != facility.Name
                                 || form.AcceptsElectronicLetters != facility.AcceptsElectronicLetters
                                 || form.IsEmergencyHospital != facility.IsEmergencyHospital))
        {
            return FacilitySaveResult.Of(FacilityAdminOutcome.Forbidden);
        }

        var before = ToDetails(facility);
        facility.Name = values.Name;
        Assign(facility, values, form);
        var changed = ChangedFields(before, ToDetails(facility));
        if (changed.Count == 0)
        {
            return new FacilitySaveResult(FacilityAdminOutcome.Ok, ToDetails(facility), []);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await AuditAsync(facility.Code, "edited " + string.Join(',', changed)).ConfigureAwait(false);
        return await MirrorAsync(db, facility, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deactivates or reactivates a facility (SystemAdmin only); an inactive facility is not connected.</summary>
    public async Task<FacilitySaveResult> SetActiveAsync(string code, bool active, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var access = await AccessAsync(cancellationToken).ConfigureAwait(false);
        if (!access.IsSystem)
        {
            return FacilitySaveResult.Of(FacilityAdminOutcome.Forbidden);
        }

        var facility = await db.Facilities.SingleOrDefaultAsync(f => f.Code == code, cancellationToken).ConfigureAwait(false);
        if (facility is null)
        {
            return FacilitySaveResult.Of(FacilityAdminOutcome.NotFound);
        }

        facility.Active = active;
        facility.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        // Its users lose access at once on this instance (their services see nobody), within seconds on others.
        status.Forget(facility.Code);
        await AuditAsync(facility.Code, active ? "reactivated" : "deactivated").ConfigureAwait(false);
        return await MirrorAsync(db, facility, cancellationToken).ConfigureAwait(false);
    }

    // After the change is saved: the change happened, so it must be in the trail (an audit failure surfaces as an error).
    private Task AuditAsync(string code, string change) =>
        audit.RecordAsync(new AuditRecord(AuditAction.AdminChange) { Detail = $"facility {code}: {change}" }, CancellationToken.None);

    /// <summary>Sends the record to the base again (the 再送 button); allowed to whoever may edit it.</summary>
    public async Task<FacilitySaveResult> RetryMirrorAsync(string code, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var access = await AccessAsync(cancellationToken).ConfigureAwait(false);
        if (!access.Covers(code))
        {
            return FacilitySaveResult.Of(FacilityAdminOutcome.Forbidden);
        }

        var facility = await db.Facilities.SingleOrDefaultAsync(f => f.Code == code, cancellationToken).ConfigureAwait(false);
        return facility is null
            ? FacilitySaveResult.Of(FacilityAdminOutcome.NotFound)
            : await MirrorAsync(db, facility, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FacilitySaveResult> MirrorAsync(PortalDbContext db, PortalFacility facility, CancellationToken cancellationToken)
    {
        // The portal change is already saved; the mirror's outcome only sets the pending mark.
        var mirrored = await mirror.TryMirrorAsync(facility, cancellationToken).ConfigureAwait(false);
        if (facility.MirrorPending == mirrored)
        {
            facility.MirrorPending = !mirrored;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return new FacilitySaveResult(FacilityAdminOutcome.Ok, ToDetails(facility), []);
    }

    /// <summary>The names of the fields that differ (values never: an address or phone is not for the trail).</summary>
    internal static IReadOnlyList<string> ChangedFields(FacilityDetails before, FacilityDetails after)
    {
        var changed = new List<string>();
        void Check(string name, bool differs)
        {
            if (differs)
            {
                changed.Add(name);
            }
        }

        Check("name", before.Name != after.Name);
        Check("name-kana", before.NameKana != after.NameKana);
        Check("postal-code", before.PostalCode != after.PostalCode);
        Check("address", before.Address != after.Address);
        Check("phone", before.Phone != after.Phone);
        Check("departments", !before.Departments.SequenceEqual(after.Departments));
        Check("has-ehr", before.HasEhr != after.HasEhr);
        Check("electronic-letters", before.AcceptsElectronicLetters != after.AcceptsElectronicLetters);
        Check("emergency-hospital", before.IsEmergencyHospital != after.IsEmergencyHospital);
        return changed;
    }

    private void Assign(PortalFacility facility, FacilityValues values, FacilityForm form)
    {
        facility.NameKana = values.NameKana is null ? null : ToKatakana(values.NameKana.Normalize(NormalizationForm.FormKC));
        facility.PostalCode = values.PostalCode;
        facility.Address = values.Address;
        facility.Phone = values.Phone;
        facility.DepartmentsJson = FacilityDepartments.Write(values.Departments);
        facility.HasEhr = form.HasEhr;
        facility.AcceptsElectronicLetters = form.AcceptsElectronicLetters;
        facility.IsEmergencyHospital = form.IsEmergencyHospital;
        facility.UpdatedAt = time.GetUtcNow();
    }

    private static FacilityDetails ToDetails(PortalFacility f) => new(
        f.Code, f.Name, f.NameKana, f.PostalCode, f.Address, f.Phone, FacilityDepartments.Read(f.DepartmentsJson),
        f.HasEhr, f.AcceptsElectronicLetters, f.IsEmergencyHospital, f.Active, f.MirrorPending, f.UpdatedAt);

    internal static string ToKatakana(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= '\u3041' and <= '\u3096' ? (char)(c + 0x60) : c;
            }
        });

    private async Task<AdminPolicy> AccessAsync(CancellationToken cancellationToken) =>
        AdminPolicy.For(await currentUser.GetAsync(cancellationToken).ConfigureAwait(false));
}
