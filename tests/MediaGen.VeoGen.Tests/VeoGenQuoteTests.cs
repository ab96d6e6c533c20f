using System.Text.Json.Nodes;
using MediaGen.Testing;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests;

/// <summary>The wire form of every request field and the per-model rules (what is sent, what is dropped and why).</summary>
public sealed class VeoGenQuoteTests
{
    [Fact]
    public async Task SubmitAsync_DocsCurlExample_SendsExactlyTheDocumentedBody()
    {
        var (body, _) = await SubmitAndCaptureAsync(new GenerationRequest("gpt-4o-image", "A serene mountain landscape at sunset, photorealistic") { AspectRatio = "16:9" });

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(VeoGenDocs.ExampleRequest), body));
    }

    [Fact]
    public async Task SubmitAsync_Always_PostsToGenerationsWithBearerAuth()
    {
        var handler = Created();
        var veogen = Stubbed.Create(handler);

        await veogen.SubmitAsync(new GenerationRequest("gpt-4o-image", "A cat"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://veogen.studio/api/v1/generations", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer sk-secret-token", request.Authorization);
    }

    [Fact]
    public async Task SubmitAsync_EveryVideoField_HasItsWireForm()
    {
        var request = new GenerationRequest("seedance-2.0", "A cat") { AspectRatio = "9:16", Resolution = "720p", DurationSeconds = 12 };
        request.ReferenceImages.Add(new Uri("https://example.com/first.png"));
        request.ReferenceImages.Add(new Uri("https://example.com/ref.png"));
        request.ReferenceVideos.Add(new ReferenceVideo(new Uri("https://example.com/ref.mp4")));
        request.ReferenceAudio.Add(new Uri("https://example.com/track.mp3"));

        var (body, report) = await SubmitAndCaptureAsync(request);

        Assert.Equal(
            """{"model":"seedance-2.0","prompt":"A cat","aspect_ratio":"9:16","resolution":"720p","duration":12,"image_urls":["https://example.com/first.png","https://example.com/ref.png"],"video_urls":["https://example.com/ref.mp4"],"audio_urls":["https://example.com/track.mp3"]}""",
            body.ToJsonString());
        Assert.False(report.HasChanges);
    }

    [Theory]
    [InlineData("grok-video-1", "spicy")]
    [InlineData("grok-video-1", "custom")]
    [InlineData("veo-3.1-fast", "frame")]
    [InlineData("veo-3.1-fast", "ingredient")]
    public async Task SubmitAsync_ModeOnAModelWithModes_IsSent(string model, string mode)
    {
        var (body, _) = await SubmitAndCaptureAsync(new GenerationRequest(model, "A cat") { Mode = mode, DurationSeconds = model == "veo-3.1-fast" ? 8 : 6 });

        Assert.Equal(mode, body["mode"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sora-2", "anime")]
    [InlineData("sora-2-pro", "nostalgic")]
    public async Task SubmitAsync_StyleOnSora_IsSent(string model, string style)
    {
        var (body, report) = await SubmitAndCaptureAsync(new GenerationRequest(model, "A cat") { Style = style });

        Assert.Equal(style, body["style"]!.GetValue<string>());
        Assert.Contains(report.Entries, e => e is { Field: "Style", Action: TranslationAction.Applied });
    }

    [Theory]
    [InlineData("veo-3.1-fast")]
    [InlineData("seedance-2.0")]
    [InlineData("gpt-4o-image")]
    public async Task SubmitAsync_StyleOnNonSora_IsDroppedAndReported(string model)
    {
        var (body, report) = await SubmitAndCaptureAsync(new GenerationRequest(model, "A cat") { Style = "anime" });

        Assert.Null(body["style"]);
        var entry = Assert.Single(report.Entries, e => e.Field == "Style");
        Assert.Equal(TranslationAction.Dropped, entry.Action);
        Assert.Contains("sora", entry.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sora-2")]
    [InlineData("seedance-2.0")]
    [InlineData("nano-banana-2")]
    public async Task SubmitAsync_ModeOnAModelWithoutModes_IsDroppedAndReported(string model)
    {
        var (body, report) = await SubmitAndCaptureAsync(new GenerationRequest(model, "A cat") { Mode = "frame" });

        Assert.Null(body["mode"]);
        Assert.Equal(TranslationAction.Dropped, Assert.Single(report.Entries, e => e.Field == "Mode").Action);
    }

    [Theory]
    [InlineData("veo-3.1-fast")]
    [InlineData("grok-video-1")]
    [InlineData("sora-2")]
    [InlineData("gpt-4o-image")]
    public async Task SubmitAsync_ReferenceVideoAndAudioOnNonSeedance_AreDroppedNotSent(string model)
    {
        var request = new GenerationRequest(model, "A cat");
        request.ReferenceVideos.Add(new ReferenceVideo(new Uri("https://example.com/ref.mp4")));
        request.ReferenceAudio.Add(new Uri("https://example.com/a.mp3"));

        var (body, report) = await SubmitAndCaptureAsync(request);

        Assert.Null(body["video_urls"]);
        Assert.Null(body["audio_urls"]);
        Assert.Equal(TranslationAction.Dropped, Assert.Single(report.Entries, e => e.Field == "ReferenceVideos").Action);
        Assert.Equal(TranslationAction.Dropped, Assert.Single(report.Entries, e => e.Field == "ReferenceAudio").Action);
    }

    [Theory]
    [InlineData("sora-2")]
    [InlineData("sora-2-pro")]
    public async Task SubmitAsync_WatermarkAndPrivateOnSora_AreSentFromProviderOptions(string model)
    {
        var request = new GenerationRequest(model, "A cat");
        request.ProviderOptions["veogen"] = new JsonObject { ["watermark"] = true, ["private"] = false };

        var (body, report) = await SubmitAndCaptureAsync(request);

        Assert.True(body["watermark"]!.GetValue<bool>());
        Assert.False(body["private"]!.GetValue<bool>());
        Assert.Contains(report.Entries, e => e is { Field: "ProviderOptions.veogen.watermark", Action: TranslationAction.Applied });
    }

    [Theory]
    [InlineData("veo-3.1-fast")]
    [InlineData("gpt-4o-image")]
    public async Task SubmitAsync_WatermarkAndPrivateOnNonSora_AreDroppedAndReported(string model)
    {
        var request = new GenerationRequest(model, "A cat");
        request.ProviderOptions["veogen"] = new JsonObject { ["watermark"] = true, ["private"] = true };

        var (body, report) = await SubmitAndCaptureAsync(request);

        Assert.Null(body["watermark"]);
        Assert.Null(body["private"]);
        Assert.Equal(2, report.Entries.Count(e => e.Action == TranslationAction.Dropped && e.Field.StartsWith("ProviderOptions.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SubmitAsync_DurationOnImageModel_IsDroppedAndReported()
    {
        var (body, report) = await SubmitAndCaptureAsync(new GenerationRequest("gpt-4o-image", "A cat") { DurationSeconds = 5 });

        Assert.Null(body["duration"]);
        Assert.Equal(TranslationAction.Dropped, Assert.Single(report.Entries, e => e.Field == "DurationSeconds").Action);
    }

    [Fact]
    public async Task SubmitAsync_ResolutionCase_IsWrittenInTheVendorsSpelling()
    {
        var (video, _) = await SubmitAndCaptureAsync(new GenerationRequest("veo-3.1-fast", "A cat") { Resolution = "4K" });
        var (image, _) = await SubmitAndCaptureAsync(new GenerationRequest("nano-banana-2", "A cat") { Resolution = "0.5k" });

        Assert.Equal("4k", video["resolution"]!.GetValue<string>());
        Assert.Equal("0.5K", image["resolution"]!.GetValue<string>());
    }

    [Fact]
    public async Task SubmitAsync_AutoAspectRatio_IsDroppedSoTheVendorUsesTheModelsFirstRatio()
    {
        var (body, report) = await SubmitAndCaptureAsync(new GenerationRequest("veo-3.1-fast", "A cat") { AspectRatio = AspectRatio.Auto });

        Assert.Null(body["aspect_ratio"]);
        Assert.Contains("first supported ratio", Assert.Single(report.Entries, e => e.Field == "AspectRatio").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_SettingsVeoGenDoesNotHave_AreDroppedAndReported()
    {
        var request = new GenerationRequest("gpt-4o-image", "A cat") { Tier = GenerationTier.Pro, Quality = "high", Seed = 7, ReferenceMode = ReferenceMode.Style };
        request.Webhook = new WebhookOptions { Url = new Uri("https://example.com/hook") };

        var (body, report) = await SubmitAndCaptureAsync(request);

        Assert.Equal(["model", "prompt"], body.Select(p => p.Key));
        Assert.Equal(["Tier", "Quality", "Seed", "ReferenceMode", "Webhook"], report.Entries.Where(e => e.Action == TranslationAction.Dropped).Select(e => e.Field));
    }

    [Fact]
    public async Task SubmitAsync_ProviderOptions_WinOverTranslatedFieldsAndAreReported()
    {
        var request = new GenerationRequest("veo-3.1-fast", "A cat") { Resolution = "720p" };
        request.ProviderOptions["veogen"] = new JsonObject { ["resolution"] = "1080p", ["seed_hint"] = 3 };
        request.ProviderOptions["meigen"] = new JsonObject { ["resolution"] = "4k" };

        var (body, report) = await SubmitAndCaptureAsync(request);

        Assert.Equal("1080p", body["resolution"]!.GetValue<string>());
        Assert.Equal(3, body["seed_hint"]!.GetValue<int>());
        var adjusted = Assert.Single(report.Entries, e => e.Action == TranslationAction.Adjusted);
        Assert.Equal(("ProviderOptions.veogen.resolution", "720p", "1080p"), (adjusted.Field, adjusted.From, adjusted.To));
    }

    [Fact]
    public async Task SubmitAsync_ProviderOptionsModelOrPrompt_AreNotAllowedToChangeWhatWasPricedAndMatched()
    {
        var request = new GenerationRequest("gpt-4o-image", "A cat");
        request.ProviderOptions["veogen"] = new JsonObject { ["model"] = "sora-2", ["prompt"] = "A dog" };

        var (body, report) = await SubmitAndCaptureAsync(request);

        Assert.Equal("gpt-4o-image", body["model"]!.GetValue<string>());
        Assert.Equal("A cat", body["prompt"]!.GetValue<string>());
        Assert.Equal(2, report.Entries.Count(e => e.Action == TranslationAction.Dropped));
    }

    [Fact]
    public async Task SubmitAsync_StrictWithADroppedSetting_IsRefusedBeforeAnyNetworkCall()
    {
        var handler = new StubHttpHandler();
        var veogen = Stubbed.Create(handler);

        var result = await veogen.SubmitAsync(new GenerationRequest("veo-3.1-fast", "A cat") { Style = "anime", Strict = true });

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Equal("Style", Assert.Single(error.Errors).Field);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("grok-video-1", 5)]
    [InlineData("grok-video-1", 31)]
    [InlineData("sora-2", 12)]
    [InlineData("sora-2-pro", 20)]
    [InlineData("seedance-2.0", 3)]
    [InlineData("seedance-2.0-fast", 16)]
    [InlineData("veo-3.1-fast", 10)]
    public async Task SubmitAsync_DurationOutsideTheModelsRule_IsInvalidBeforeAnyNetworkCall(string model, int seconds)
    {
        var handler = new StubHttpHandler();

        var result = await Stubbed.Create(handler).SubmitAsync(new GenerationRequest(model, "A cat") { DurationSeconds = seconds });

        Assert.Equal("DurationSeconds", Assert.Single(Assert.IsType<InvalidRequestError>(result.Error).Errors).Field);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("grok-video-1", 6)]
    [InlineData("grok-video-1", 30)]
    [InlineData("sora-2", 15)]
    [InlineData("sora-2-pro", 25)]
    [InlineData("seedance-2.0", 4)]
    [InlineData("seedance-2.0-fast", 15)]
    [InlineData("veo-3.1-fast", 8)]
    public async Task QuoteAsync_DurationWithinTheModelsRule_IsAccepted(string model, int seconds)
    {
        var result = await Stubbed.Create(new StubHttpHandler()).QuoteAsync(new GenerationRequest(model, "A cat") { DurationSeconds = seconds });

        Assert.True(result.IsSuccess, result.ToString());
    }

    [Fact]
    public async Task QuoteAsync_EveryBadField_IsNamedAtOnce()
    {
        var request = new GenerationRequest("veo-3.1-fast", new string('x', 2001)) { AspectRatio = "1:1", Resolution = "480p", DurationSeconds = 6, Mode = "fun" };
        for (var i = 0; i < 15; i++)
        {
            request.ReferenceImages.Add(new Uri($"https://example.com/{i}.png"));
        }

        var error = Assert.IsType<InvalidRequestError>((await Stubbed.Create(new StubHttpHandler()).QuoteAsync(request)).Error);

        Assert.Equal(["Prompt", "AspectRatio", "Resolution", "DurationSeconds", "Mode", "ReferenceImages"], error.Errors.Select(e => e.Field));
        Assert.Equal("veogen", error.Provider);
        Assert.True(error.RejectedBeforeBilling);
    }

    [Fact]
    public async Task QuoteAsync_SeedanceWithFourReferenceVideos_IsInvalid()
    {
        var request = new GenerationRequest("seedance-2.0", "A cat");
        for (var i = 0; i < 4; i++)
        {
            request.ReferenceVideos.Add(new ReferenceVideo(new Uri($"https://example.com/{i}.mp4")));
        }

        var error = Assert.IsType<InvalidRequestError>((await Stubbed.Create(new StubHttpHandler()).QuoteAsync(request)).Error);

        Assert.Equal("ReferenceVideos", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public async Task QuoteAsync_SoraStyleOutsideTheDocumentedPresets_IsInvalid()
    {
        var error = Assert.IsType<InvalidRequestError>((await Stubbed.Create(new StubHttpHandler()).QuoteAsync(new GenerationRequest("sora-2", "A cat") { Style = "noir" })).Error);

        Assert.Contains("anime", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    public async Task QuoteAsync_OmniFlashExtImageCount_FollowsItsPage(int images, bool valid)
    {
        var request = new GenerationRequest("omni-flash-ext", "A cat");
        for (var i = 0; i < images; i++)
        {
            request.ReferenceImages.Add(new Uri($"https://example.com/{i}.png"));
        }

        var result = await Stubbed.Create(new StubHttpHandler()).QuoteAsync(request);

        Assert.Equal(valid, result.IsSuccess);
    }

    [Fact]
    public async Task QuoteAsync_UnknownModel_IsInvalidNamingTheKnownOnes()
    {
        var handler = new StubHttpHandler().Enqueue(404, VeoGenDocs.ModelNotFound);
        var veogen = Stubbed.Create(handler);

        var error = Assert.IsType<InvalidRequestError>((await veogen.QuoteAsync(new GenerationRequest("dall-e-9", "A cat"))).Error);

        Assert.Equal("Model", Assert.Single(error.Errors).Field);
        Assert.Contains("Model not found.", error.Message, StringComparison.Ordinal);
        Assert.Contains("veo-3.1-fast", error.Message, StringComparison.Ordinal);
    }

    private static StubHttpHandler Created() => new StubHttpHandler().Enqueue(201, VeoGenDocs.Created(VeoGenDocs.Generation()));

    private static async Task<(JsonObject Body, TranslationReport Report)> SubmitAndCaptureAsync(GenerationRequest request)
    {
        var handler = Created();
        var result = await Stubbed.Create(handler).SubmitAsync(request);
        var job = result.GetValueOrThrow();
        return (JsonNode.Parse(Assert.Single(handler.Requests).Body!)!.AsObject(), job.Translation!);
    }
}
