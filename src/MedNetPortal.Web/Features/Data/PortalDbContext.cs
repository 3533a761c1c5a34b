using Microsoft.EntityFrameworkCore;

namespace MedNetPortal.Web.Features.Data;

/// <summary>
/// The portal's own database (accounts, sessions, settings; not clinical data, which lives in the central FHIR base).
/// It holds no tables yet: the sign-in work derives it from <c>IdentityDbContext&lt;TUser&gt;</c>, keeping the
/// constructor and registration as they are.
/// </summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options);
