using System.Net.Http.Json;
using System.Text.Json;
using MedNetPortal.EndToEndTests.Infrastructure;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.EndToEndTests.Documents;

/// <summary>A portal with the demo data seeded (waited for), for the letter tests. The browser comes from <see cref="BrowserFixture"/>.</summary>
public sealed class LetterServerFixture : IAsyncLifetime
{
    public PortalServer Portal { get; } = new(new Dictionary<string, string?> { ["Demo:Enabled"] = "true" });

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Http = Portal.CreateBaseClient(timeout: TimeSpan.FromSeconds(30));
        // Seeding runs in the background after start-up; the last demo letter exists once it is done.
        var last = DemoLetters.All[^1];
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (await FindLetterIdAsync(last) is not null)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("Demo seeding did not finish.");
    }

    /// <summary>The base's id of a demo letter's Bundle (by its Bundle identifier, which names no patient).</summary>
    public async Task<string?> FindLetterIdAsync(DemoLetter letter)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["identifier"] = $"{DemoSystems.BundleIdentifier}|{letter.BundleIdentifier}",
        });
        using var response = await Http.PostAsync("fhir/Bundle/_search", form);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("entry", out var entries) && entries.GetArrayLength() > 0
            ? entries[0].GetProperty("resource").GetProperty("id").GetString()
            : null;
    }

    /// <summary>Stores a document Bundle (FHIR JSON) straight in the embedded base and returns its id.</summary>
    public async Task<string> PostDocumentAsync(string bundleJson)
    {
        using var content = new StringContent(bundleJson, System.Text.Encoding.UTF8, "application/fhir+json");
        using var response = await Http.PostAsync("fhir/Bundle", content);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Storing the document failed ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        }

        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Stores a document whose narratives the base's own FHIR-schema check would refuse (scripts, handlers): a valid
    /// document first, then its stored JSON rewritten in the base's SQLite file, as a non-validating server would serve it.
    /// </summary>
    public async Task<string> StoreUnvalidatedDocumentAsync(Func<IReadOnlyList<string>, string> documentJson, IReadOnlyList<string> narratives)
    {
        var placeholders = narratives.Select((_, i) => $"<div xmlns=\"http://www.w3.org/1999/xhtml\">PLACEHOLDER-{i:D3}</div>").ToList();
        var id = await PostDocumentAsync(documentJson(placeholders));
        var database = Path.Combine(Portal.DataDirectory, "fhirbase.db");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        foreach (var table in new[] { "resources", "resource_versions" })
        {
            await using var read = connection.CreateCommand();
            read.CommandText = $"SELECT Json FROM {table} WHERE Type = 'Bundle' AND Id = $id";
            read.Parameters.AddWithValue("$id", id);
            var json = (string)(await read.ExecuteScalarAsync())!;
            var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
            var sections = node["entry"]![0]!["resource"]!["section"]!.AsArray();
            for (var i = 0; i < narratives.Count; i++)
            {
                sections[i]!["text"]!["div"] = narratives[i];
            }

            await using var write = connection.CreateCommand();
            write.CommandText = $"UPDATE {table} SET Json = $json WHERE Type = 'Bundle' AND Id = $id";
            write.Parameters.AddWithValue("$json", node.ToJsonString());
            write.Parameters.AddWithValue("$id", id);
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        }

        return id;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        await Portal.DisposeAsync();
    }
}
