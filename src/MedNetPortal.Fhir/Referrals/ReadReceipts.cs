using Hl7.Fhir.Model;

namespace MedNetPortal.Fhir.Referrals;

/// <summary>
/// The portal's read receipt for a referral letter: a FHIR <c>Communication</c> in the central base, written when a user of
/// the destination facility opens the letter, so the sender's outbox can show 開封済み. One receipt per letter: its
/// identifier is derived from the letter's Bundle identifier and it is created with <c>If-None-Exist</c>.
/// </summary>
public static class ReadReceipts
{
    /// <summary>Identifier system of a receipt; the value is the letter's Bundle identifier value (<c>医療機関コード^年^施設内ID</c>).</summary>
    public const string IdentifierSystem = "urn:mednetportal:read-receipt";

    /// <summary>Code system of <c>Communication.category</c> for the portal's communications.</summary>
    public const string CategorySystem = "urn:mednetportal:CodeSystem:communication-category";

    /// <summary>Category code of a read receipt.</summary>
    public const string LetterOpenedCode = "letter-opened";

    /// <summary>The receipt's payload text.</summary>
    public const string PayloadText = "開封しました";

    /// <summary>
    /// The receipt for one letter: status completed, category <see cref="LetterOpenedCode"/>, <c>about</c> the stored
    /// Bundle, <c>sender</c> the receiving facility and <c>recipient</c> the sending facility (logical references by
    /// 医療機関コード), <c>sent</c> = <paramref name="openedAt"/>.
    /// </summary>
    public static Communication Build(
        string letterId, string bundleIdentifierValue, string receivingFacilityCode, string? receivingFacilityName,
        string sendingFacilityCode, DateTimeOffset openedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(letterId);
        ArgumentException.ThrowIfNullOrEmpty(bundleIdentifierValue);
        ArgumentException.ThrowIfNullOrEmpty(receivingFacilityCode);
        ArgumentException.ThrowIfNullOrEmpty(sendingFacilityCode);
        return new Communication
        {
            Identifier = [new Identifier(IdentifierSystem, bundleIdentifierValue)],
            Status = EventStatus.Completed,
            Category = [new CodeableConcept(CategorySystem, LetterOpenedCode, "開封")],
            About = [new ResourceReference("Bundle/" + letterId)],
            Sender = new ResourceReference
            {
                Type = "Organization",
                Identifier = new Identifier(JpFhir.Systems.MedicalInstitutionCode, receivingFacilityCode),
                Display = receivingFacilityName,
            },
            Recipient =
            [
                new ResourceReference
                {
                    Type = "Organization",
                    Identifier = new Identifier(JpFhir.Systems.MedicalInstitutionCode, sendingFacilityCode),
                },
            ],
            SentElement = new FhirDateTime(openedAt),
            Payload = [new Communication.PayloadComponent { Content = new FhirString(PayloadText) }],
        };
    }

    /// <summary>The conditional-create query that makes a receipt unique per letter (value URL-encoded, as for letters).</summary>
    public static string IfNoneExist(string bundleIdentifierValue)
    {
        ArgumentNullException.ThrowIfNull(bundleIdentifierValue);
        return $"identifier={IdentifierSystem}|{Uri.EscapeDataString(FhirSearchValue.Escape(bundleIdentifierValue))}";
    }

    /// <summary>
    /// A token search value for several receipts (<c>sys|v1,sys|v2</c>), each value escaped so commas, bars, dollars and
    /// backslashes inside a 施設内ID cannot split or change it.
    /// </summary>
    public static string IdentifierSearchValue(IEnumerable<string> bundleIdentifierValues)
    {
        ArgumentNullException.ThrowIfNull(bundleIdentifierValues);
        return FhirSearchValue.AnyToken(IdentifierSystem, bundleIdentifierValues);
    }

    /// <summary>FHIR search escaping of <c>\ , $ |</c>.</summary>
    public static string EscapeSearchValue(string value) => FhirSearchValue.Escape(value);
}
