// Who is signed in (CurrentUser, roles, claim types, profession) is plumbing every feature reads, like the request itself:
// it lives below the features so that Audit, which every feature writes to, depends on none of them.
global using MedNetPortal.Web.Host.Identity;
