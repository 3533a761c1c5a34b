using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MedNetPortal.FhirBase;

namespace MedNetPortal.IntegrationTests.FhirBase;

/// <summary>Small raw-HTTP helpers for the base's tests: they check status codes and bodies, not a client library.</summary>
internal static class FhirTestClient
{
    public static StringContent Json(string json, string mediaType = "application/fhir+json") =>
        new(json, Encoding.UTF8, mediaType);

    public static StringContent Json(Resource resource) => Json(FhirJson.Serialize(resource));

    public static async Task<HttpResponseMessage> SendAsync(
        this HttpClient http, HttpMethod method, string url, string? body = null, IDictionary<string, string>? headers = null, string mediaType = "application/fhir+json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return await http.SendAsync(request);
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) where T : Resource
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<T>(text, FhirJson.Options)
            ?? throw new InvalidOperationException("empty body");
    }

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<T> CreateAsync<T>(this HttpClient http, T resource) where T : Resource
    {
        using var response = await http.PostAsync(resource.TypeName, Json(resource));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<T>();
    }

    /// <summary>Every resource a search returns, following <c>next</c> links.</summary>
    public static async Task<List<Bundle>> SearchAllPagesAsync(this HttpClient http, string url)
    {
        var pages = new List<Bundle>();
        string? next = url;
        while (next is not null)
        {
            using var response = await http.GetAsync(next);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var bundle = await response.ReadAsync<Bundle>();
            pages.Add(bundle);
            next = bundle.NextLink?.ToString();
            Assert.True(pages.Count < 1000, "paging does not end");
        }
        return pages;
    }

    /// <summary>Number of versions ever written: any write, even a failed half-write, would change it.</summary>
    public static async Task<string> StoreSnapshotAsync(this HttpClient http)
    {
        using var response = await http.GetAsync("_history?_count=1");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var bundle = await response.ReadAsync<Bundle>();
        var first = bundle.Entry.FirstOrDefault();
        return $"{bundle.Total}|{first?.Resource?.TypeName}/{first?.Resource?.Id}|{first?.Response?.Etag}";
    }

    public static Patient NewPatient(string identifierValue, string kanjiFamily = "山田", string kanjiGiven = "太郎", string kanaFamily = "ヤマダ", string kanaGiven = "タロウ") =>
        new()
        {
            Identifier = [new Identifier("http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID", identifierValue)],
            Name =
            [
                new HumanName { Family = kanjiFamily, Given = [kanjiGiven], Text = $"{kanjiFamily} {kanjiGiven}" },
                new HumanName { Family = kanaFamily, Given = [kanaGiven], Text = $"{kanaFamily} {kanaGiven}" },
            ],
            Gender = AdministrativeGender.Male,
            BirthDate = "1970-04-01",
        };
}
