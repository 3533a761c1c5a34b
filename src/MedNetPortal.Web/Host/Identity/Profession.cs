namespace MedNetPortal.Web.Host.Identity;

/// <summary>The account holder's profession (職種).</summary>
public enum Profession
{
    Doctor,
    Dentist,
    Pharmacist,
    Nurse,
    Clerk,
}
