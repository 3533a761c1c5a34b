using System.Data.Common;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Letters.Compose;

namespace MedNetPortal.ComponentTests.Letters.Compose;

/// <summary>The draft store as the compose page sees it: records every call; each answer can be set or held back by a test.</summary>
internal sealed class FakeReferralDrafts : IReferralDraftService
{
    public static readonly Guid StoredId = Guid.Parse("3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a");

    public static readonly ReferralSenderInfo Clinic = new("さくら内科クリニック", "1310267898", "東京都練馬区1-2-3", "03-0000-0000", "桜井 一郎");

    public ReferralDraftView? Stored { get; set; }

    public TaskCompletionSource? LoadGate { get; set; }

    public Exception? LoadFailure { get; set; }

    public Exception? SenderFailure { get; set; }

    public List<(Guid Id, ReferralForm Form, long Version, bool Overwrite)> Saves { get; } = [];

    public List<ReferralForm> Creates { get; } = [];

    public TaskCompletionSource<DraftSaveResult>? SaveGate { get; set; }

    public Exception? SaveFailure { get; set; }

    public DraftSaveOutcome SaveOutcome { get; set; } = DraftSaveOutcome.Saved;

    public DraftPreview? Preview { get; set; }

    public TaskCompletionSource<DraftSendResult>? SendGate { get; set; }

    public DraftSendResult? SendAnswer { get; set; }

    public List<Guid> Sends { get; } = [];

    public List<(SharedResourceKind Kind, string Id)> Copies { get; } = [];

    public static ReferralDraftView Draft(ReferralForm form, ReferralDraftStatus status = ReferralDraftStatus.Draft, long version = 3) =>
        new(StoredId, form, version, status, "R20261203-0000ABCD", null, "桜井 一郎", new DateTimeOffset(2026, 12, 3, 1, 2, 3, TimeSpan.Zero),
            status == ReferralDraftStatus.Sent ? "bundle-1" : null, null);

    public static DraftSendResult Failed(FhirApiErrorReason reason) =>
        new(DraftSendOutcome.Attempted, new SendResult(SendOutcome.Failed, null, "1310267898^2026^R1", [], reason), []);

    public static DraftSendResult Delivered(string bundleId) =>
        new(DraftSendOutcome.Attempted, new SendResult(SendOutcome.Sent, bundleId, "1310267898^2026^R1", [], null), []);

    public async Task<ReferralDraftView?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (LoadGate is not null)
        {
            await LoadGate.Task;
        }

        return LoadFailure is not null ? throw LoadFailure : Stored is { } stored && stored.Id == id ? stored with { Form = stored.Form.Clone() } : null;
    }

    public Task<DraftCreateResult> CreateAsync(ReferralForm form, CancellationToken cancellationToken)
    {
        Creates.Add(form);
        return Task.FromResult(new DraftCreateResult(DraftCreateOutcome.Created, StoredId));
    }

    public Task<DraftSaveResult> SaveAsync(Guid id, ReferralForm form, long expectedVersion, bool overwrite, CancellationToken cancellationToken)
    {
        Saves.Add((id, form, expectedVersion, overwrite));
        if (SaveFailure is not null)
        {
            return Task.FromException<DraftSaveResult>(SaveFailure);
        }

        if (SaveGate is { } gate)
        {
            SaveGate = null;
            return gate.Task;
        }

        return Task.FromResult(new DraftSaveResult(SaveOutcome, expectedVersion + 1, new DateTimeOffset(2026, 12, 3, 1, 30, 15, TimeSpan.Zero)));
    }

    public Task<DraftPreview?> PreviewAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Preview);

    public async Task<DraftSendResult> SendAsync(Guid id, CancellationToken cancellationToken)
    {
        Sends.Add(id);
        if (SendGate is { } gate)
        {
            return await gate.Task;
        }

        return SendAnswer ?? Delivered("bundle-1");
    }

    public Task<PickedSharedResource> CopySharedAsync(string basePatientId, SharedResourceKind kind, string resourceId, string label, CancellationToken cancellationToken)
    {
        Copies.Add((kind, resourceId));
        return Task.FromResult(new PickedSharedResource(resourceId, label, "{}"));
    }

    public Task<ReferralSenderInfo> SenderAsync(CancellationToken cancellationToken) =>
        SenderFailure is not null ? Task.FromException<ReferralSenderInfo>(SenderFailure) : Task.FromResult(Clinic);
}

/// <summary>The facility directory: a fixed answer, or a failure.</summary>
internal sealed class FakeFacilityDirectory : IFacilityDirectory
{
    public static readonly FacilitySummary Hospital = new("org-1", "みどり台総合病院", "ミドリダイソウゴウビョウイン", "1310123455", "東京都練馬区4-5-6", "1760001",
        "03-1111-2222", ["循環器内科", "消化器内科"], true);

    public static readonly FacilitySummary Dental = new("org-2", "すずらん歯科", null, "1330000001", "東京都練馬区7-8-9", null, null, [], false);

    public List<string> Queries { get; } = [];

    public FhirApiErrorReason? Failure { get; set; }

    public Task<FacilitySearchResult> SearchAsync(string query, CancellationToken cancellationToken)
    {
        Queries.Add(query);
        return Failure is { } reason
            ? Task.FromException<FacilitySearchResult>(new FhirApiException(reason, "x"))
            : Task.FromResult(new FacilitySearchResult([Hospital, Dental], Incomplete: false));
    }
}

/// <summary>The portal database refusing a write (a dropped connection, a full disk).</summary>
internal sealed class UnreachableDatabase() : DbException("connection refused");
