using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace MedNetPortal.Fhir.Letters;

/// <summary>
/// Copies of the base's Conditions and AllergyIntolerances placed in the letter: pointed at the letter's Patient, without the
/// encounter and the people the letter does not carry.
/// </summary>
internal static class SharedResourceCopies
{
    internal static Condition CopyCondition(SharedResourceCopy copy, string patientUrn, DateTimeOffset lastUpdated)
    {
        var condition = Parse<Condition>(copy);
        condition.Subject = new ResourceReference(patientUrn) { Type = "Patient" };
        condition.Encounter = null;
        condition.Recorder = null;
        condition.Asserter = null;
        return FinishCopy(condition, lastUpdated);
    }

    internal static AllergyIntolerance CopyAllergy(SharedResourceCopy copy, string patientUrn, DateTimeOffset lastUpdated)
    {
        var allergy = Parse<AllergyIntolerance>(copy);
        allergy.Patient = new ResourceReference(patientUrn) { Type = "Patient" };
        allergy.Encounter = null;
        allergy.Recorder = null;
        allergy.Asserter = null;
        return FinishCopy(allergy, lastUpdated);
    }

    /// <summary>
    /// Gives the copy an update time when the base's had none, and drops contained resources nothing in the copy refers
    /// to any more (a contained Encounter the dropped <c>encounter</c> pointed at would break dom-3).
    /// </summary>
    private static T FinishCopy<T>(T resource, DateTimeOffset lastUpdated)
        where T : DomainResource
    {
        resource.Meta ??= new Meta();
        resource.Meta.LastUpdated ??= lastUpdated;
        if (resource.Contained.Count > 0)
        {
            var contained = resource.Contained;
            resource.Contained = [];
            var json = FhirJson.Serialize(resource);
            resource.Contained = contained.Where(c => c.Id is not null && json.Contains($"\"#{c.Id}\"", StringComparison.Ordinal)).ToList();
        }

        return resource;
    }

    internal static T Parse<T>(SharedResourceCopy copy)
        where T : Resource
    {
        T resource;
        try
        {
            resource = FhirJson.Deserialize<T>(copy.ResourceJson);
        }
        catch (Exception ex) when (ex is JsonException or DeserializationFailedException)
        {
            throw new ArgumentException($"A shared-record copy is not a valid {typeof(T).Name}.", nameof(copy), ex);
        }

        // The base's version does not belong to the letter's copy; the update time (required by the profiles), profiles
        // and tags (UNINFORMED…) do.
        resource.Meta = resource.Meta is null ? null : new Meta { LastUpdated = resource.Meta.LastUpdated, Profile = resource.Meta.Profile, Tag = resource.Meta.Tag };
        return resource;
    }
}
