using MedNetPortal.Web.Features.Patients;

namespace MedNetPortal.UnitTests.Web.Features.Patients;

public sealed class RecentPatientStoreTests
{
    private static PatientSummary Patient(int n) => new($"pat-{n}", $"患者 {n}", $"カンジャ {n}", PatientSex.Female, "1950-01-01", null);

    [Fact]
    public void Keeps_the_newest_ten_per_session_once_each_and_nothing_for_another_session()
    {
        using var store = new RecentPatientStore(TimeProvider.System);
        for (var n = 1; n <= 12; n++)
        {
            store.Remember("a", Patient(n));
        }

        store.Remember("a", Patient(5));

        Assert.Equal(["pat-5", "pat-12", "pat-11", "pat-10", "pat-9", "pat-8", "pat-7", "pat-6", "pat-4", "pat-3"],
            store.List("a").Select(p => p.PatientId));
        Assert.Equal(RecentPatientStore.PerSession, store.List("a").Count);
        Assert.Equal("患者 5", store.List("a")[0].NameKanji);
        Assert.Empty(store.List("b"));
    }

    [Fact]
    public void A_list_handed_out_does_not_change_when_the_session_opens_more()
    {
        using var store = new RecentPatientStore(TimeProvider.System);
        store.Remember("a", Patient(1));

        var before = store.List("a");
        store.Remember("a", Patient(2));

        Assert.Equal(["pat-1"], before.Select(p => p.PatientId));
        Assert.Equal(["pat-2", "pat-1"], store.List("a").Select(p => p.PatientId));
    }
}
