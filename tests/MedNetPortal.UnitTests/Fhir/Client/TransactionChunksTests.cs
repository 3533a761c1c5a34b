using Hl7.Fhir.Model;
using MedNetPortal.Fhir;
using MedNetPortal.UnitTests.Demo;

namespace MedNetPortal.UnitTests.Fhir.Client;

public sealed class TransactionChunksTests
{
    [Fact]
    public async System.Threading.Tasks.Task A_transaction_no_larger_than_the_limit_is_sent_unchanged_in_one_request()
    {
        var api = new FakeFhirApi();
        var transaction = PatientWithConditions(conditions: 4);

        await TransactionChunks.SendAsync(api, transaction, maxEntries: 5, CancellationToken.None);

        Assert.Same(transaction, Assert.Single(api.Transactions));
    }

    [Fact]
    public async System.Threading.Tasks.Task Later_chunks_reference_the_ids_the_base_assigned_and_answers_keep_the_original_order()
    {
        var api = AssigningApi();
        // Conditions first: they must wait for the Patient they reference.
        var transaction = PatientWithConditions(conditions: 10, patientLast: true);

        var response = await TransactionChunks.SendAsync(api, transaction, maxEntries: 4, CancellationToken.None);

        Assert.Equal(3, api.Transactions.Count);
        Assert.All(api.Transactions, t => Assert.InRange(t.Entry.Count, 1, 4));
        Assert.IsType<Patient>(api.Transactions[0].Entry[0].Resource);
        var sentConditions = api.Transactions.SelectMany(t => t.Entry).Select(e => e.Resource).OfType<Condition>().ToList();
        Assert.Equal(10, sentConditions.Count);
        Assert.All(sentConditions.Skip(3), c => Assert.Equal("Patient/id-0", c.Subject.Reference));
        // The first chunk carries the Patient and three Conditions: the base resolves those urn:uuid references itself.
        Assert.All(sentConditions.Take(3), c => Assert.StartsWith("urn:uuid:", c.Subject.Reference, StringComparison.Ordinal));
        Assert.Equal(11, response.Entry.Count);
        Assert.Equal("Patient/id-0/_history/1", response.Entry[10].Response!.Location);
        // The caller's Bundle is not changed.
        Assert.All(transaction.Entry.Select(e => e.Resource).OfType<Condition>(), c => Assert.StartsWith("urn:uuid:", c.Subject.Reference, StringComparison.Ordinal));
    }

    [Fact]
    public void Entries_that_reference_each_other_in_a_cycle_cannot_be_split()
    {
        var a = new Bundle.EntryComponent { FullUrl = "urn:uuid:a", Resource = new Condition { Subject = new ResourceReference("urn:uuid:b") } };
        var b = new Bundle.EntryComponent { FullUrl = "urn:uuid:b", Resource = new Condition { Subject = new ResourceReference("urn:uuid:a") } };

        var error = Assert.Throws<InvalidOperationException>(() => TransactionChunks.DependencyOrder([a, b]));
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_limit_below_one_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TransactionChunks.SendAsync(new FakeFhirApi(), PatientWithConditions(1), 0, CancellationToken.None));
    }

    [Fact]
    public async System.Threading.Tasks.Task An_answer_with_the_wrong_number_of_entries_is_a_malformed_response()
    {
        var api = new FakeFhirApi { TransactionHandler = _ => new Bundle { Type = Bundle.BundleType.TransactionResponse } };

        var error = await Assert.ThrowsAsync<FhirApiException>(() => TransactionChunks.SendAsync(api, PatientWithConditions(5), 2, CancellationToken.None));
        Assert.Equal(FhirApiErrorReason.MalformedResponse, error.Reason);
    }

    /// <summary>A base that assigns ids id-0, id-1, … and answers with Location, as a FHIR server does.</summary>
    private static FakeFhirApi AssigningApi()
    {
        var next = 0;
        return new FakeFhirApi
        {
            TransactionHandler = bundle =>
            {
                var response = new Bundle { Type = Bundle.BundleType.TransactionResponse };
                foreach (var entry in bundle.Entry)
                {
                    response.Entry.Add(new Bundle.EntryComponent
                    {
                        Response = new Bundle.ResponseComponent { Status = "201 Created", Location = $"{entry.Resource!.TypeName}/id-{next++}/_history/1" },
                    });
                }

                return response;
            },
        };
    }

    private static Bundle PatientWithConditions(int conditions, bool patientLast = false)
    {
        var patient = new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:7b6f0e4c-0000-4000-8000-000000000001",
            Resource = new Patient(),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient", IfNoneExist = "identifier=urn:test|1" },
        };
        var entries = Enumerable.Range(0, conditions).Select(i => new Bundle.EntryComponent
        {
            FullUrl = $"urn:uuid:7b6f0e4c-0000-4000-8000-1000000000{i:00}",
            Resource = new Condition { Subject = new ResourceReference(patient.FullUrl) },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Condition", IfNoneExist = $"identifier=urn:test|c{i}" },
        }).ToList();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        if (!patientLast)
        {
            bundle.Entry.Add(patient);
        }

        bundle.Entry.AddRange(entries);
        if (patientLast)
        {
            bundle.Entry.Add(patient);
        }

        return bundle;
    }
}
