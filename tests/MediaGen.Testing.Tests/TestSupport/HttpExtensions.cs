using System.Net.Http.Json;
using System.Text.Json;

namespace MediaGen.Testing.Tests.TestSupport;

internal static class HttpExtensions
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient http, string prompt, string? idempotencyKey = null, string path = "api/generate")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = JsonContent.Create(new { prompt }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetAsync(this HttpClient http, string relative) =>
        http.GetAsync(new Uri(relative, UriKind.Relative));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        using JsonDocument doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
