namespace MedNetPortal.Web.Features.Letters.Compose;

/// <summary>Which shared-record list a pick comes from.</summary>
public enum SharedResourceKind
{
    Diagnosis,
    Allergy,
}
