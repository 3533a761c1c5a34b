using Hl7.Fhir.Model;
using MedNetPortal.Web.Features.Letters;

namespace MedNetPortal.UnitTests.Letters;

/// <summary>Opening a letter as the facility's own correspondence asks the base only for that facility's routing Tasks.</summary>
public sealed class DocumentServiceTests
{
    [Fact]
    public void The_own_correspondence_batch_is_two_Task_searches_restricted_to_the_facility_as_owner_and_as_requester()
    {
        var batch = DocumentService.OwnTasksBatch("letter-1", "org-7");

        Assert.Equal(Bundle.BundleType.Batch, batch.Type);
        Assert.Equal(
            [
                "Task?focus=Bundle/letter-1&owner=Organization/org-7&_include=Task:focus&_include=Task:patient&_count=20",
                "Task?focus=Bundle/letter-1&requester=Organization/org-7&_include=Task:focus&_include=Task:patient&_count=20",
            ],
            batch.Entry.Select(e => e.Request!.Url));
        Assert.All(batch.Entry, e => Assert.Equal(Bundle.HTTPVerb.GET, e.Request!.Method));
    }

    [Theory]
    [InlineData("A,B", "org-7")]
    [InlineData("letter-1", "org|7")]
    public void Ids_that_are_not_FHIR_ids_never_become_part_of_the_search(string id, string organizationId)
    {
        Assert.Throws<ArgumentException>(() => DocumentService.OwnTasksBatch(id, organizationId));
    }
}
