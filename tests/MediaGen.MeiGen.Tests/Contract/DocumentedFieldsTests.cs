using System.Text.Json.Nodes;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.Tests.VendorTruth;

namespace MediaGen.MeiGen.Tests.Contract;

/// <summary>
/// Every request field rev2 of POST /api/generate/v2 documents (rev1 where rev2 says nothing), walked through the
/// provider to the emulator, which accepts exactly those fields and records the rest (docs/providers/meigen.md).
/// </summary>
public class DocumentedFieldsTests
{
    private static readonly Uri Image = new("https://cdn.example.com/ref.png");
    private static readonly Uri Video = new("https://cdn.example.com/prev.mp4");

    public static TheoryData<FieldRow> Rows() =>
    [
        new("Prompt → prompt", () => new("gpt-image-2", "a red fox"), "prompt", "\"a red fox\""),
        new("Model → modelId", () => new("nanobanana-2", "p"), "modelId", "\"nanobanana-2\""),
        new("AspectRatio → aspectRatio", () => new("nanobanana-2", "p") { AspectRatio = "2:3" }, "aspectRatio", "\"2:3\""),
        new("AspectRatio auto → aspectRatio", () => new("gpt-image-2", "p") { AspectRatio = "auto" }, "aspectRatio", "\"auto\""),
        new("AspectRatio adaptive → aspectRatio (Seedance)", () => new("seedance-2-0", "p") { AspectRatio = "adaptive", ReferenceImages = [Image] }, "aspectRatio", "\"adaptive\""),
        new("Resolution → resolution", () => new("seedream-4.5", "p") { Resolution = "4k" }, "resolution", "\"4K\""),
        new("Quality → quality (GPT Image 2)", () => new("gpt-image-2", "p") { Quality = "High" }, "quality", "\"high\""),
        new("ReferenceImages → referenceImages", () => new("nanobanana-2", "p") { ReferenceImages = [Image] }, "referenceImages", $"[\"{Image}\"]"),
        new("Quality → niji7Options.quality (Midjourney)", () => new("midjourney-v8.1", "p") { Quality = "1" }, "niji7Options.quality", "\"1\""),
        new("niji7Options.stylize", () => Mj(o => o.Stylize = 250), "niji7Options.stylize", "250"),
        new("niji7Options.chaos", () => Mj(o => o.Chaos = 20), "niji7Options.chaos", "20"),
        new("niji7Options.raw", () => Mj(o => o.Raw = true), "niji7Options.raw", "true"),
        new("niji7Options.iw", () => Mj(o => o.ImageWeight = 1.5), "niji7Options.iw", "1.5"),
        new("niji7Options.sref", () => Mj(o => o.StyleReference = "watercolour"), "niji7Options.sref", "\"watercolour\""),
        new("niji7Options.sw", () => Mj(o => o.StyleWeight = 300), "niji7Options.sw", "300"),
        new("niji7Options.weird on V8.1 (rev1 only)", () => Mj(o => o.Weird = 500), "niji7Options.weird", "500", TranslationCertainty.Undocumented),
        new("niji7Options.sv on V8.1 (rev1 only)", () => Mj(o => o.StyleVersion = 4), "niji7Options.sv", "4", TranslationCertainty.Undocumented),
        new("niji7Options.weird on legacy Niji 7 (rev1)", () => Mj(o => o.Weird = 500, "midjourney-niji7"), "niji7Options.weird", "500"),
        new("ReferenceMode → referenceType", () => new("midjourney-v8.1", "p") { ReferenceMode = ReferenceMode.Style, ReferenceImages = [Image] }, "referenceType", "\"style\""),
        new("DurationSeconds → duration", () => new("happyhorse-1.0", "p") { DurationSeconds = 7, Resolution = "720p" }, "duration", "7"),
        new("Tier → tier", () => new("veo-3.1", "p") { Tier = GenerationTier.Pro, DurationSeconds = 8 }, "tier", "\"pro\""),
        new("Tier default → tier fast (the priced tier is sent)", () => new("seedance-2-0", "p") { Resolution = "720p" }, "tier", "\"fast\""),
        new("ReferenceVideos[0].Url → referenceVideo", () => Continuation(), "referenceVideo", $"\"{Video}\""),
        new("ReferenceVideos[0].DurationSeconds → referenceVideoDuration", () => Continuation(), "referenceVideoDuration", "4"),
        new("Seed (not sent)", () => new("gpt-image-2", "p") { Seed = 7 }, "seed", null),
        new("Style (not sent)", () => new("gpt-image-2", "p") { Style = "anime" }, "style", null),
        new("Mode (not sent)", () => new("gpt-image-2", "p") { Mode = "frame" }, "mode", null),
        new("Webhook (not sent)", () => new("gpt-image-2", "p") { Webhook = new WebhookOptions { Url = new Uri("https://hooks.example.com/x") } }, "webhookUrl", null),
        new("Tier on an image model (not sent)", () => new("gpt-image-2", "p") { Tier = GenerationTier.Pro }, "tier", null),
    ];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task SubmitAsync_DocumentedField_ArrivesAsDocumentedOrIsReportedNotSent(FieldRow row)
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();

        var job = (await meigen.Client().SubmitAsync(row.Request())).GetValueOrThrow();

        var body = DocumentedFieldWalk.LastBody(meigen.Host, MeiGenEmulator.SubmitPath);
        DocumentedFieldWalk.AssertWalked(row, body, job.Translation!, meigen.Emulator.UndocumentedFields.Entries);
    }

    [Fact]
    public async Task Emulator_UndocumentedBodyField_IsIgnoredAndRecorded()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var request = new GenerationRequest("nanobanana-2", "p");
        request.ProviderOptions["meigen"] = new JsonObject { ["negativePrompt"] = "blur" };

        var job = await meigen.Client().SubmitAsync(request);

        Assert.True(job.IsSuccess);
        Assert.Equal(["negativePrompt"], meigen.Emulator.UndocumentedFields.Entries);
    }

    [Fact]
    public async Task SubmitAsync_StrictWithWeirdOnV81_IsRefusedUnlessMeiGenGuessesAreAllowed()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var refused = Mj(o => o.Weird = 500);
        refused.Strict = true;
        var allowed = Mj(o => o.Weird = 500);
        allowed.Strict = true;
        allowed.AllowUndocumentedFields.Add("meigen");

        var error = Assert.IsType<InvalidRequestError>((await meigen.Client().SubmitAsync(refused)).Error);
        var job = await meigen.Client().SubmitAsync(allowed);

        Assert.Equal("ProviderOptions.meigen.niji7Options.weird", Assert.Single(error.Errors).Field);
        Assert.True(job.IsSuccess);
    }

    private static GenerationRequest Mj(Action<MeiGenMidjourneyOptions> set, string model = "midjourney-v8.1")
    {
        var options = new MeiGenMidjourneyOptions();
        set(options);
        return new GenerationRequest(model, "p").WithMeiGenMidjourneyOptions(options);
    }

    private static GenerationRequest Continuation() => new("seedance-2-0", "p")
    {
        Resolution = "720p",
        DurationSeconds = 5,
        ReferenceVideos = [new ReferenceVideo(Video, 4)],
    };
}
