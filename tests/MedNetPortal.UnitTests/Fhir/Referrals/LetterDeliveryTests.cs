// Tests walk Firely models whose elements are all nullable; a missing element fails the test with an exception anyway.
#nullable disable warnings

using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using FhirTask = Hl7.Fhir.Model.Task;

namespace MedNetPortal.UnitTests.Fhir.Referrals;

public sealed class LetterDeliveryTests
{
    private static readonly DateTimeOffset Issued = ReferralTestData.Full().IssuedAt;

    [Fact]
    public void A_letter_for_a_new_patient_is_one_transaction_of_conditional_creates_whose_references_meet_inside_it()
    {
        var document = ReferralDocumentBuilder.Build(ReferralTestData.Full());
        var transaction = LetterDelivery.BuildTransaction(document, basePatientId: null, Issued);

        Assert.Equal(Bundle.BundleType.Transaction, transaction.Type);
        Assert.Equal(["Patient", "Organization", "Organization", "Bundle", "DocumentReference", "Task"], transaction.Entry.Select(e => e.Resource.TypeName));
        Assert.All(transaction.Entry, e =>
        {
            Assert.Equal(Bundle.HTTPVerb.POST, e.Request.Method);
            Assert.Equal(e.Resource.TypeName, e.Request.Url);
            Assert.StartsWith("urn:uuid:", e.FullUrl);
            Assert.Null(e.Resource.Id);
            // Header-safe and escaped: '^' and the full-width characters travel percent-encoded.
            Assert.All(e.Request.IfNoneExist, ch => Assert.InRange(ch, (char)0x21, (char)0x7E));
        });
        var identifier = document.Identifier.Value;
        var byIdentifier = $"identifier={JpFhir.Systems.BundleIdentifier}|{Uri.EscapeDataString(identifier)}";
        Assert.Equal(byIdentifier, transaction.Entry[3].Request.IfNoneExist);
        Assert.Equal(byIdentifier, transaction.Entry[4].Request.IfNoneExist);
        Assert.Equal(byIdentifier, transaction.Entry[5].Request.IfNoneExist);
        // The document's Patient, by the identifier it carries (the canonical form of what was typed).
        Assert.Equal($"identifier={JpFhir.Systems.InsuranceMemberId}|{Uri.EscapeDataString("00131045:あいう:187:05")}", transaction.Entry[0].Request.IfNoneExist);
        Assert.Equal($"identifier={JpFhir.Systems.MedicalInstitutionCode}|{ReferralTestData.SenderCode}", transaction.Entry[1].Request.IfNoneExist);
        Assert.Equal($"identifier={JpFhir.Systems.MedicalInstitutionCode}|{ReferralTestData.DestinationCode}", transaction.Entry[2].Request.IfNoneExist);

        var (patient, sender, destination, bundle) = (transaction.Entry[0].FullUrl, transaction.Entry[1].FullUrl, transaction.Entry[2].FullUrl, transaction.Entry[3].FullUrl);
        var reference = (DocumentReference)transaction.Entry[4].Resource;
        Assert.Equal(identifier, reference.Identifier.Single().Value);
        Assert.Equal(DocumentReferenceStatus.Current, reference.Status);
        Assert.Equal("57133-1", reference.Type.Coding.Single().Code);
        Assert.Equal(patient, reference.Subject.Reference);
        Assert.Equal(bundle, reference.Content.Single().Attachment.Url);
        Assert.Equal(LetterDelivery.AttachmentContentType, reference.Content.Single().Attachment.ContentType);
        Assert.Equal(bundle, reference.Context.Related.Single().Reference);
        Assert.Equal(sender, reference.Author.Single().Reference);
        Assert.Equal(sender, reference.Custodian.Reference);
        Assert.Equal(Issued, reference.Date);

        var task = (FhirTask)transaction.Entry[5].Resource;
        Assert.Equal(identifier, task.Identifier.Single().Value);
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Equal(FhirTask.TaskIntent.Order, task.Intent);
        Assert.Equal(bundle, task.Focus.Reference);
        Assert.Equal(patient, task.For.Reference);
        Assert.Equal(sender, task.Requester.Reference);
        Assert.Equal(ReferralTestData.SenderCode, task.Requester.Identifier.Value);
        Assert.Equal(destination, task.Owner.Reference);
        Assert.Equal(ReferralTestData.DestinationCode, task.Owner.Identifier.Value);

        // The stored document is the one built, unchanged; the directory entries carry no letter-specific department.
        Assert.True(document.IsExactly(transaction.Entry[3].Resource));
        Assert.All(new[] { transaction.Entry[1], transaction.Entry[2] }, e => Assert.Empty(((Organization)e.Resource).Extension));
        Assert.Equal(3, LetterDelivery.DocumentEntryIndex(transaction));
    }

    [Fact]
    public void A_patient_the_base_knows_is_referenced_not_created_and_the_same_letter_always_makes_the_same_transaction()
    {
        var content = ReferralTestData.Full();
        var document = ReferralDocumentBuilder.Build(content with { Patient = content.Patient with { BasePatientId = "p-42" } });

        var first = LetterDelivery.BuildTransaction(document, "p-42", Issued);
        var again = LetterDelivery.BuildTransaction(document, "p-42", Issued);

        Assert.DoesNotContain(first.Entry, e => e.Resource is Patient);
        Assert.Equal("Patient/p-42", ((DocumentReference)first.Entry.Single(e => e.Resource is DocumentReference).Resource).Subject.Reference);
        Assert.Equal("Patient/p-42", ((FhirTask)first.Entry.Single(e => e.Resource is FhirTask).Resource).For.Reference);
        Assert.True(first.IsExactly(again));
        Assert.Equal(2, LetterDelivery.DocumentEntryIndex(first));
    }

    [Fact]
    public void A_document_without_routing_cannot_be_delivered()
    {
        var document = ReferralDocumentBuilder.Build(ReferralTestData.Full());
        document.Identifier = null;
        Assert.Throws<ArgumentException>(() => LetterDelivery.BuildTransaction(document, null, Issued));

        var noDestination = ReferralDocumentBuilder.Build(ReferralTestData.Full());
        var organization = DocumentRouting.SectionOrganization(noDestination, JpFhir.Sections.Destination);
        organization.Identifier.Clear();
        Assert.Throws<ArgumentException>(() => LetterDelivery.BuildTransaction(noDestination, null, Issued));
    }

    [Fact]
    public void A_task_is_opened_once_past_requested_and_says_when()
    {
        var task = new FhirTask { Status = FhirTask.TaskStatus.Requested, Meta = new Meta { LastUpdated = Issued } };
        Assert.False(LetterDelivery.IsOpened(task));
        Assert.Null(LetterDelivery.OpenedAt(task));

        var opened = LetterDelivery.Received(task, Issued.AddHours(2));
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Equal(FhirTask.TaskStatus.Received, opened.Status);
        Assert.True(LetterDelivery.IsOpened(opened));
        Assert.Equal(Issued.AddHours(2), LetterDelivery.OpenedAt(opened));

        Assert.False(LetterDelivery.IsOpened(new FhirTask { Status = FhirTask.TaskStatus.Cancelled }));
        Assert.True(LetterDelivery.IsOpened(new FhirTask { Status = FhirTask.TaskStatus.Completed }));
    }

    [Theory]
    [InlineData("Task/abc", "Task", "abc", true)]
    [InlineData("http://base.example/fhir/Task/abc", "Task", "abc", true)]
    [InlineData("Task/abc/_history/3", "Task", "abc", true)]
    [InlineData("Task/abcd", "Task", "abc", false)]
    [InlineData("Organization/abc", "Task", "abc", false)]
    [InlineData("urn:uuid:6f1c1e0a-0d1f-4c55-9a43-2a7f3f0e9b01", "Task", "abc", false)]
    [InlineData(null, "Task", "abc", false)]
    public void A_reference_points_at_a_resource_only_when_type_and_id_both_match(string? reference, string type, string id, bool expected) =>
        Assert.Equal(expected, FhirReferences.RefersTo(reference is null ? new ResourceReference { Identifier = new Identifier("s", "v") } : new ResourceReference(reference), type, id));

    [Fact]
    public void A_DocumentReference_names_its_document_by_attachment_url_or_related_reference()
    {
        Assert.Equal("b1", LetterDelivery.DocumentIdOf(new DocumentReference { Content = [new() { Attachment = new Attachment { Url = "Bundle/b1" } }] }));
        Assert.Equal("b2", LetterDelivery.DocumentIdOf(new DocumentReference
        {
            Content = [new() { Attachment = new Attachment { Url = "https://elsewhere.example/doc.pdf" } }],
            Context = new DocumentReference.ContextComponent { Related = [new ResourceReference("Bundle/b2")] },
        }));
        Assert.Null(LetterDelivery.DocumentIdOf(new DocumentReference { Content = [new() { Attachment = new Attachment { Url = "Binary/x" } }] }));
    }

    [Fact]
    public void A_document_is_about_a_base_patient_by_literal_reference_or_by_a_shared_identifier_only()
    {
        var document = ReferralDocumentBuilder.Build(ReferralTestData.Full());
        var same = new Patient { Id = "p1", Identifier = [new Identifier(JpFhir.Systems.InsuranceMemberId, "00131045:あいう:187:05")] };
        var other = new Patient { Id = "p2", Identifier = [new Identifier(JpFhir.Systems.InsuranceMemberId, "00131045:あいう:１８８:05")] };
        var otherSystem = new Patient { Id = "p3", Identifier = [new Identifier("urn:example", "00131045:あいう:187:05")] };

        Assert.True(DocumentRouting.IsAbout(document, same));
        Assert.False(DocumentRouting.IsAbout(document, other));
        Assert.False(DocumentRouting.IsAbout(document, otherSystem));
        ((Composition)document.Entry[0].Resource).Subject = new ResourceReference("Patient/p2");
        Assert.True(DocumentRouting.IsAbout(document, other));
        Assert.False(DocumentRouting.IsAbout(document, same));
    }
}
