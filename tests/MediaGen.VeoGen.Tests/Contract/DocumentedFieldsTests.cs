using System.Text.Json.Nodes;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Tests.VendorTruth;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests.Contract;

/// <summary>
/// Every body field of VeoGen's Create Generation page (veogen-create-generation.txt), walked through the provider to the
/// emulator, which accepts exactly those fields and records the rest (docs/providers/veogen.md).
/// </summary>
public class DocumentedFieldsTests
{
    private static readonly Uri Image = new("https://cdn.example.com/ref.png");
    private static readonly Uri Clip = new("https://cdn.example.com/clip.mp4");
    private static readonly Uri Track = new("https://cdn.example.com/track.mp3");

    public static TheoryData<FieldRow> Rows() =>
    [
        new("Model → model", () => R("gpt-4o-image"), "model", "\"gpt-4o-image\""),
        new("Prompt → prompt", () => R("gpt-4o-image"), "prompt", "\"p\""),
        new("AspectRatio → aspect_ratio", () => R("sora-2", r => r.AspectRatio = "9:16"), "aspect_ratio", "\"9:16\""),
        new("Resolution → resolution (video spelling)", () => R("veo-3.1-fast", r => r.Resolution = "4K"), "resolution", "\"4k\""),
        new("Resolution → resolution (image spelling)", () => R("nano-banana-pro", r => r.Resolution = "4k"), "resolution", "\"4K\""),
        new("Resolution 1080p on Seedance (not refused)", () => R("seedance-2.0", r => r.Resolution = "1080p"), "resolution", "\"1080p\""),
        new("DurationSeconds → duration", () => R("grok-video-1", r => r.DurationSeconds = 10), "duration", "10"),
        new("Mode → mode", () => R("grok-video-1", r => r.Mode = "fun"), "mode", "\"fun\""),
        new("Style → style (Sora)", () => R("sora-2", r => r.Style = "anime"), "style", "\"anime\""),
        new("ReferenceImages → image_urls", () => R("gpt-4o-image", r => r.ReferenceImages = [Image]), "image_urls", $"[\"{Image}\"]"),
        new("ReferenceVideos → video_urls (Seedance)", () => R("seedance-2.0", r => r.ReferenceVideos = [new ReferenceVideo(Clip)]), "video_urls", $"[\"{Clip}\"]"),
        new("ReferenceAudio → audio_urls (Seedance)", () => R("seedance-2.0-fast", r => r.ReferenceAudio = [Track]), "audio_urls", $"[\"{Track}\"]"),
        new("watermark (Sora, provider option)", () => R("sora-2", r => r.ProviderOptions["veogen"] = new JsonObject { ["watermark"] = true }), "watermark", "true"),
        new("private (Sora, provider option)", () => R("sora-2-pro", r => r.ProviderOptions["veogen"] = new JsonObject { ["private"] = true }), "private", "true"),
        new("AspectRatio auto (not sent: the model's first ratio)", () => R("sora-2", r => r.AspectRatio = "auto"), "aspect_ratio", null),
        new("DurationSeconds on an image model (not sent)", () => R("gpt-4o-image", r => r.DurationSeconds = 5), "duration", null),
        new("Mode on Sora (not sent)", () => R("sora-2", r => r.Mode = "fun"), "mode", null),
        new("Style on Grok (not sent)", () => R("grok-video-1", r => r.Style = "anime"), "style", null),
        new("ReferenceVideos on Sora (not sent)", () => R("sora-2", r => r.ReferenceVideos = [new ReferenceVideo(Clip)]), "video_urls", null),
        new("watermark on Grok (not sent)", () => R("grok-video-1", r => r.ProviderOptions["veogen"] = new JsonObject { ["watermark"] = true }), "watermark", null),
        new("Tier (not sent)", () => R("gpt-4o-image", r => r.Tier = GenerationTier.Pro), "tier", null),
        new("Quality (not sent)", () => R("gpt-4o-image", r => r.Quality = "high"), "quality", null),
        new("Seed (not sent)", () => R("gpt-4o-image", r => r.Seed = 1), "seed", null),
        new("Webhook (not sent)", () => R("gpt-4o-image", r => r.Webhook = new WebhookOptions { Url = new Uri("https://hooks.example.com/x") }), "webhook_url", null),
    ];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task SubmitAsync_DocumentedField_ArrivesAsDocumentedOrIsReportedNotSent(FieldRow row)
    {
        await using var rig = await VeoGenTestEnvironment.StartAsync();

        var job = (await rig.Generator.SubmitAsync(row.Request())).GetValueOrThrow();

        var body = DocumentedFieldWalk.LastBody(rig.Host, VeoGenEmulator.SubmitPath);
        DocumentedFieldWalk.AssertWalked(row, body, job.Translation!, rig.Emulator.UndocumentedFields.Entries);
    }

    [Fact]
    public async Task Emulator_UndocumentedBodyField_IsIgnoredAndRecorded()
    {
        await using var rig = await VeoGenTestEnvironment.StartAsync();
        var request = R("gpt-4o-image", r => r.ProviderOptions["veogen"] = new JsonObject { ["negative_prompt"] = "blur" });

        var job = await rig.Generator.SubmitAsync(request);

        Assert.True(job.IsSuccess);
        Assert.Equal(["negative_prompt"], rig.Emulator.UndocumentedFields.Entries);
    }

    [Fact]
    public async Task QuoteAsync_Seedance1080p_IsNotRefusedAndAsksTheModelsEndpointForItsPrice()
    {
        await using var rig = await VeoGenTestEnvironment.StartAsync();

        var quote = await rig.Generator.QuoteAsync(R("seedance-2.0", r => { r.Resolution = "1080p"; r.DurationSeconds = 5; }));

        Assert.True(quote.IsSuccess);
        Assert.Contains(rig.Host.Requests, r => r.Path == "/api/v1/models/seedance-2.0");
    }

    [Fact]
    public async Task QuoteAsync_Seedance1080pOffline_IsUnknownNeverZero()
    {
        var quote = (await Stubbed.Create(new StubHttpHandler(), o => o.UseLiveCatalog = false).QuoteAsync(R("seedance-2.0", r => r.Resolution = "1080p"))).GetValueOrThrow();

        Assert.False(quote.Price.IsKnown);
    }

    [Fact]
    public async Task QuoteAsync_HttpReferenceImage_IsRefusedAsDocumentedInVeogenMd()
    {
        var result = await Stubbed.Create(new StubHttpHandler()).QuoteAsync(R("gpt-4o-image", r => r.ReferenceImages = [new Uri("http://cdn.example.com/ref.png")]));

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains("https", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    private static GenerationRequest R(string model, Action<GenerationRequest>? set = null)
    {
        var request = new GenerationRequest(model, "p");
        set?.Invoke(request);
        return request;
    }
}
