// Firely models are nullable throughout; these tests dereference what the assertions just established.
#nullable disable warnings
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.UnitTests.FhirBase.Storage;

public sealed class LogicalReferencesTests
{
    private const string Facility = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";

    private static ResourceReference Logical(string type, string value) =>
        new() { Type = type, Identifier = new Identifier(Facility, value), Display = "名称" };

    [Fact]
    public void Only_logical_references_with_a_type_and_a_whole_identifier_of_the_six_elements_are_indexed()
    {
        var task = new FhirTask
        {
            Owner = Logical("Organization", "1310000001"),
            Requester = new ResourceReference("Organization/x") { Identifier = new Identifier(Facility, "1310000002") },
            For = new ResourceReference { Identifier = new Identifier(Facility, "1310000003") },
            Focus = Logical("Organization", "1310000004"),
        };
        var document = new DocumentReference
        {
            Author = [Logical("Organization", "1310000005"), Logical("Practitioner", "1310000006")],
            Custodian = Logical("Organization", "1310000005"),
            Subject = new ResourceReference { Type = "Patient", Identifier = new Identifier("urn:oid:1.2.3", null) },
        };

        Assert.Equal([("Organization", Facility, "1310000001")], LogicalReferences.Of(task));
        Assert.Equal([("Organization", Facility, "1310000005")], LogicalReferences.Of(document));
        Assert.Empty(LogicalReferences.Of(new Hl7.Fhir.Model.Consent()));
    }

    [Fact]
    public void Relinking_makes_matching_logical_references_literal_and_keeps_identifier_and_display()
    {
        var document = new DocumentReference
        {
            Author = [Logical("Organization", "1310000001"), Logical("Organization", "1310000002")],
            Custodian = Logical("Organization", "1310000001"),
            Subject = Logical("Patient", "1310000001"),
        };

        Assert.True(LogicalReferences.Relink(document, "Organization", Facility, "1310000001", "org1"));

        Assert.Equal("Organization/org1", document.Author[0].Reference);
        Assert.Equal("1310000001", document.Author[0].Identifier.Value);
        Assert.Equal("名称", document.Author[0].Display);
        Assert.Null(document.Author[1].Reference);
        Assert.Equal("Organization/org1", document.Custodian.Reference);
        Assert.Null(document.Subject.Reference);
        Assert.False(LogicalReferences.Relink(document, "Organization", Facility, "1310000001", "org2"));
        Assert.Equal("Organization/org1", document.Custodian.Reference);
    }

    [Fact]
    public void A_literal_reference_is_never_relinked_even_when_its_identifier_matches()
    {
        var task = new FhirTask { Owner = new ResourceReference("Organization/sender-own") { Type = "Organization", Identifier = new Identifier(Facility, "1310000001") } };

        Assert.False(LogicalReferences.Relink(task, "Organization", Facility, "1310000001", "other"));
        Assert.Equal("Organization/sender-own", task.Owner.Reference);
    }
}
