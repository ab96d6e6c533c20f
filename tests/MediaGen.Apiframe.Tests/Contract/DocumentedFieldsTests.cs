using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Apiframe.Tests.TestSupport;
using MediaGen.Tests.VendorTruth;

namespace MediaGen.Apiframe.Tests.Contract;

/// <summary>
/// Every request field the Apiframe pages document (jobs-api-image-generation.txt, provider-apis.md §3.3–3.4), and every
/// field MediaGen sends on a guess, walked through the provider to the emulator. The emulator accepts exactly the
/// documented keys and fields per model and records the rest (docs/providers/apiframe.md).
/// </summary>
public class DocumentedFieldsTests
{
    private const TranslationCertainty Guess = TranslationCertainty.Undocumented;
    private static readonly Uri Ref = new("https://cdn.example.com/ref.png");
    private static readonly Uri End = new("https://cdn.example.com/end.png");

    public static TheoryData<FieldRow> Rows() =>
    [
        // Common body (A1, A2).
        new("Prompt → prompt", () => R("midjourney"), "prompt", "\"p\""),
        new("Model → model", () => R("flux-2-pro"), "model", "\"flux-2-pro\""),
        new("Webhook.Url → webhookUrl", () => R("midjourney", r => r.Webhook = new WebhookOptions { Url = new Uri("http://127.0.0.1:9/h") }), "webhookUrl", "\"http://127.0.0.1:9/h\""),
        new("Webhook.Events → webhookEvents", () => R("midjourney", r => r.Webhook = new WebhookOptions { Url = new Uri("http://127.0.0.1:9/h"), Events = ["completed"] }), "webhookEvents", "[\"completed\"]"),

        // Documented families.
        new("midjourney AspectRatio", () => R("midjourney", r => r.AspectRatio = "3:2"), "midjourneyParams.aspect_ratio", "\"3:2\""),
        new("nano-banana ReferenceImages", () => R("nano-banana", r => r.ReferenceImages = [Ref]), "nanoBananaParams.image_input", $"[\"{Ref}\"]"),
        new("flux-2-pro AspectRatio", () => R("flux-2-pro", r => r.AspectRatio = "16:9"), "fluxParams.aspect_ratio", "\"16:9\""),
        new("flux-2-pro AspectRatio adaptive", () => R("flux-2-pro", r => { r.AspectRatio = "adaptive"; r.ReferenceImages = [Ref]; }), "fluxParams.aspect_ratio", "\"match_input_image\""),
        new("flux-2-pro Seed", () => R("flux-2-pro", r => r.Seed = 42), "fluxParams.seed", "42"),
        new("flux-2-pro ReferenceImages", () => R("flux-2-pro", r => r.ReferenceImages = [Ref]), "fluxParams.input_images", $"[\"{Ref}\"]"),
        new("flux-2-pro Resolution 2K → 4 MP", () => R("flux-2-pro", r => r.Resolution = "2K"), "fluxParams.resolution", "\"4 MP\""),
        new("gpt-image-1.5 Quality", () => R("gpt-image-1.5", r => r.Quality = "Low"), "gptImageParams.quality", "\"low\""),
        new("gpt-image-1.5 no Quality → the priced auto", () => R("gpt-image-1.5"), "gptImageParams.quality", "\"auto\""),
        new("gpt-image-1.5 Count", () => R("gpt-image-1.5", r => r.Count = 3), "gptImageParams.number_of_images", "3"),
        new("gpt-image-1.5 AspectRatio", () => R("gpt-image-1.5", r => r.AspectRatio = "2:3"), "gptImageParams.aspect_ratio", "\"2:3\""),
        new("gpt-image-1.5 ReferenceImages", () => R("gpt-image-1.5", r => r.ReferenceImages = [Ref]), "gptImageParams.input_images", $"[\"{Ref}\"]"),
        new("qwen-image-2 ReferenceImages", () => R("qwen-image-2", r => r.ReferenceImages = [Ref]), "qwenImage2Params.image", $"\"{Ref}\""),
        new("qwen-image-2 Seed", () => R("qwen-image-2", r => r.Seed = 7), "qwenImage2Params.seed", "7"),
        new("qwen-image-2 AspectRatio", () => R("qwen-image-2", r => r.AspectRatio = "21:9"), "qwenImage2Params.aspect_ratio", "\"21:9\""),
        new("reve-create Seed", () => R("reve-create", r => r.Seed = 7), "reveParams.seed", "7"),
        new("kling-2.6 DurationSeconds", () => R("kling-2.6", r => r.DurationSeconds = 10), "klingParams.duration", "10"),
        new("kling-2.6 AspectRatio", () => R("kling-2.6", r => r.AspectRatio = "9:16"), "klingParams.aspect_ratio", "\"9:16\""),
        new("kling-2.6 ReferenceImages[0] → start_image", () => R("kling-2.6", r => r.ReferenceImages = [Ref]), "klingParams.start_image", $"\"{Ref}\""),
        new("kling-2.6 generate_audio → the priced default", () => R("kling-2.6"), "klingParams.generate_audio", "true"),
        new("kling-2.1 Mode", () => R("kling-2.1", r => r.Mode = "Standard"), "klingParams.mode", "\"standard\""),
        new("kling-2.1 no Mode → the priced pro", () => R("kling-2.1"), "klingParams.mode", "\"pro\""),
        new("kling-2.1 ReferenceImages[1] → end_image", () => R("kling-2.1", r => r.ReferenceImages = [Ref, End]), "klingParams.end_image", $"\"{End}\""),
        new("kling-3.0 DurationSeconds", () => R("kling-3.0", r => { r.DurationSeconds = 7; r.Mode = "pro"; }), "klingParams.duration", "7"),

        // Sent on fields the docs do not name: reported undocumented, and the emulator agrees.
        new("nano-banana AspectRatio (B4 lists no ratio)", () => R("nano-banana", r => r.AspectRatio = "16:9"), "nanoBananaParams.aspect_ratio", "\"16:9\"", Guess),
        new("nano-banana-pro Resolution 4K", () => R("nano-banana-pro", r => r.Resolution = "4K"), "nanoBananaParams.resolution", "\"4K\"", Guess),
        new("reve-create AspectRatio (B5 lists ratios, not the field)", () => R("reve-create", r => r.AspectRatio = "3:2"), "reveParams.aspect_ratio", "\"3:2\"", Guess),
        new("seedream-4 AspectRatio", () => R("seedream-4", r => r.AspectRatio = "16:9"), "seedreamParams.aspect_ratio", "\"16:9\"", Guess),
        new("seedream-4 Resolution 4K", () => R("seedream-4", r => r.Resolution = "4K"), "seedreamParams.resolution", "\"4K\"", Guess),
        new("seedream-4 ReferenceImages", () => R("seedream-4", r => r.ReferenceImages = [Ref]), "seedreamParams.input_images", $"[\"{Ref}\"]", Guess),
        new("seedream-5-lite ReferenceImages", () => R("seedream-5-lite", r => r.ReferenceImages = [Ref]), "seedreamParams.input_images", $"[\"{Ref}\"]", Guess),
        new("ideogram-v3-turbo ReferenceImages", () => R("ideogram-v3-turbo", r => r.ReferenceImages = [Ref]), "ideogramParams.input_images", $"[\"{Ref}\"]", Guess),
        new("ideogram-character ReferenceImages", () => R("ideogram-character", r => r.ReferenceImages = [Ref]), "ideogramParams.input_images", $"[\"{Ref}\"]", Guess),
        new("ideogram-v2 Seed", () => R("ideogram-v2", r => r.Seed = 3), "ideogramParams.seed", "3", Guess),
        new("imagen-4 AspectRatio", () => R("imagen-4", r => r.AspectRatio = "9:16"), "imagenParams.aspect_ratio", "\"9:16\"", Guess),
        new("kling-image Count (multi-image output)", () => R("kling-image", r => r.Count = 3), "klingParams.number_of_images", "3", Guess),
        new("kling-image ReferenceImages", () => R("kling-image", r => r.ReferenceImages = [Ref]), "klingParams.input_images", $"[\"{Ref}\"]", Guess),
        new("qwen-image ReferenceImages", () => R("qwen-image", r => r.ReferenceImages = [Ref]), "qwenImageParams.image", $"\"{Ref}\"", Guess),
        new("qwen-image-2-pro AspectRatio (no page)", () => R("qwen-image-2-pro", r => r.AspectRatio = "1:1"), "qwenImage2Params.aspect_ratio", "\"1:1\"", Guess),
        new("wan-image-2.6 ReferenceImages", () => R("wan-image-2.6", r => r.ReferenceImages = [Ref]), "wanParams.input_images", $"[\"{Ref}\"]", Guess),
        new("wan-image-2.7 AspectRatio", () => R("wan-image-2.7", r => r.AspectRatio = "4:3"), "wanParams.aspect_ratio", "\"4:3\"", Guess),
        new("dall-e-3 AspectRatio", () => R("dall-e-3", r => r.AspectRatio = "1:1"), "dalleParams.aspect_ratio", "\"1:1\"", Guess),
        new("grok-imagine-image AspectRatio", () => R("grok-imagine-image", r => r.AspectRatio = "1:1"), "grokParams.aspect_ratio", "\"1:1\"", Guess),
        new("kling-2.1-master DurationSeconds (no page)", () => R("kling-2.1-master", r => r.DurationSeconds = 10), "klingParams.duration", "10", Guess),
        new("hailuo-02 AspectRatio", () => R("hailuo-02", r => r.AspectRatio = "16:9"), "hailuoParams.aspect_ratio", "\"16:9\"", Guess),
        new("midjourney-video AspectRatio", () => R("midjourney-video", r => r.AspectRatio = "16:9"), "midjourneyParams.aspect_ratio", "\"16:9\"", Guess),

        // Not sent, and reported so.
        new("flux-1.1-pro-ultra Resolution (fixed 4 MP)", () => R("flux-1.1-pro-ultra", r => r.Resolution = "4K"), "fluxParams.resolution", null),
        new("dall-e-3 Seed (DALL-E takes none)", () => R("dall-e-3", r => r.Seed = 1), "dalleParams.seed", null),
        new("midjourney Resolution", () => R("midjourney", r => r.Resolution = "2K"), "midjourneyParams.resolution", null),
        new("Tier", () => R("flux-2-pro", r => r.Tier = GenerationTier.Pro), "fluxParams.tier", null),
        new("Style", () => R("flux-2-pro", r => r.Style = "anime"), "fluxParams.style", null),
        new("hailuo-02 DurationSeconds (no field known)", () => R("hailuo-02", r => r.DurationSeconds = 6), "hailuoParams.duration", null),
    ];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task SubmitAsync_DocumentedField_ArrivesAsDocumentedOrIsReportedNotSent(FieldRow row)
    {
        var (host, emulator, _) = await Af.StartAsync();
        await using var _h = host;

        var job = (await Af.Create(host).SubmitAsync(row.Request())).GetValueOrThrow();

        var body = DocumentedFieldWalk.LastBody(host, host.Requests.Last(r => r.Method == "POST").Path);
        DocumentedFieldWalk.AssertWalked(row, body, job.Translation!, emulator.UndocumentedFields.Entries);
    }

    [Fact]
    public async Task SubmitAsync_StrictOnAGuessedKey_IsRefusedUnlessApiframeGuessesAreAllowed()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        var client = Af.Create(host);
        var strict = R("wan-image-2.6", r => { r.AspectRatio = "16:9"; r.Strict = true; });
        var allowed = R("wan-image-2.6", r => { r.AspectRatio = "16:9"; r.Strict = true; r.AllowUndocumentedFields.Add("apiframe"); });

        var refused = Assert.IsType<InvalidRequestError>((await client.SubmitAsync(strict)).Error);
        var accepted = (await client.SubmitAsync(allowed)).GetValueOrThrow();

        Assert.Contains("wanParams.aspect_ratio", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(TranslationCertainty.Undocumented, accepted.Translation!.Entries.Single(e => e.Field == "AspectRatio").Certainty);
        Assert.Single(host.Requests, r => r.Method == "POST"); // the refused one never left
    }

    [Fact]
    public async Task Emulator_ParamsObjectUnderAWrongKey_IsIgnoredAndRecordedNotTakenByWildcard()
    {
        var (host, emulator, _) = await Af.StartAsync();
        await using var _h = host;
        using var http = host.CreateClient();

        var status = await PostAsync(http, "/v2/images/generate", """{"prompt":"p","model":"gpt-image-1.5","gptParams":{"number_of_images":11}}""");

        Assert.Equal(HttpStatusCode.Accepted, status); // 11 would be refused if the wrong key were read
        Assert.Equal(["gptParams"], emulator.UndocumentedFields.Entries);
    }

    [Fact]
    public async Task Emulator_Kling21EndImageInStandardMode_IsRefused()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        using var http = host.CreateClient();

        var standard = await PostAsync(http, "/v2/videos/generate", $$$"""{"prompt":"p","model":"kling-2.1","klingParams":{"mode":"standard","start_image":"{{{Ref}}}","end_image":"{{{End}}}"}}""");
        var pro = await PostAsync(http, "/v2/videos/generate", $$$"""{"prompt":"p","model":"kling-2.1","klingParams":{"mode":"pro","start_image":"{{{Ref}}}","end_image":"{{{End}}}"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, standard);
        Assert.Equal(HttpStatusCode.Accepted, pro);
    }

    [Fact]
    public async Task QuoteAsync_Kling21EndImageInStandardMode_IsRefusedBeforeSending()
    {
        var result = await Af.Create(new MediaGen.Testing.StubHttpHandler()).QuoteAsync(R("kling-2.1", r => { r.Mode = "standard"; r.ReferenceImages = [Ref, End]; }));

        Assert.Contains(Assert.IsType<InvalidRequestError>(result.Error).Errors, e => e.Field == nameof(GenerationRequest.ReferenceImages));
    }

    [Fact]
    public async Task QuoteAsync_HttpWebhookOnAPublicHost_IsRefusedAsDocumentedInApiframeMd()
    {
        var result = await Af.Create(new MediaGen.Testing.StubHttpHandler()).QuoteAsync(R("midjourney", r => r.Webhook = new WebhookOptions { Url = new Uri("http://hooks.example.com/x") }));

        Assert.Contains(Assert.IsType<InvalidRequestError>(result.Error).Errors, e => e.Field == "Webhook.Url");
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", Af.Key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static GenerationRequest R(string model, Action<GenerationRequest>? set = null)
    {
        var request = new GenerationRequest(model, "p");
        set?.Invoke(request);
        return request;
    }
}
