using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MedNetPortal.Tests.Shared;

namespace MedNetPortal.IntegrationTests.Letters;

/// <summary>
/// Forwards every request to the server and, for the first <c>failures</c> POSTs, throws a timeout after the server has
/// answered, so the letter is stored but the caller never hears of it (what a lost response after a server write looks like).
/// </summary>
internal sealed class TimeoutAfterServerHandler(int failures) : DelegatingHandler
{
    private int _posts;
    private int _requests;

    public int Requests => _requests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method == HttpMethod.Post && Interlocked.Increment(ref _posts) <= failures)
        {
            response.Dispose();
            throw new TaskCanceledException("The response did not arrive in time.", new TimeoutException());
        }

        return response;
    }
}

internal static class ReferralClient
{
    public static ServiceProvider Services(Uri baseUri, TimeoutAfterServerHandler handler)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(BaseClientCredentials.ClientSettings(baseUri))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // Added last, so innermost: between the client's pipeline (resilience included) and the network.
        services.AddCentralFhirClient(configuration).AddHttpMessageHandler(() => handler);
        return services.BuildServiceProvider();
    }

    public static ReferralLetterContent Letter(string localId) => new()
    {
        Sender = new ReferralSender("港診療所", "1319876543", "〒106-9900 東京都港区新橋１−２−３", "03-9876-5432", "01", "内科", "大河内 勘三郎", "オオコウチ カンザブロウ"),
        Destination = new ReferralDestination("東京第一テスト病院", "1311234567", "081", "循環器内科", "野口 英世丸"),
        Patient = new ReferralPatient("00131045:あいう:１８７:05", "牧野 爛漫", "マキノ ランマン", new DateOnly(1930, 6, 28), ReferralSex.Female, Address: "〒131-0045 東京都墨田区押上１−１−２"),
        Purpose = "腹痛精査お願いします。",
        Diagnoses = "上腹部痛\n腰痛",
        PresentIllness = "２０２２年６月上旬から夜食後に時々上腹部痛があり、だんだんひどくなっている。",
        LocalId = localId,
        IssuedAt = new DateTimeOffset(2025, 1, 21, 9, 30, 0, TimeSpan.FromHours(9)),
    };
}
