using System.Text.Json.Nodes;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.MeiGen.Tests;

/// <summary>Every request field's wire form, and what translation reports.</summary>
public sealed class MeiGenQuoteTests
{
    private static async Task<(JsonObject Body, GenerationJob Job)> SendAsync(GenerationRequest request)
    {
        var stub = new StubHttpHandler().Always(HttpMethod.Post, "/api/generate/v2", 200, MeiGenDocs.SubmitResponse);
        var job = (await Clients.WithStub(stub).SubmitAsync(request)).GetValueOrThrow();
        return (JsonNode.Parse(stub.Posts.Single().Body)!.AsObject(), job);
    }

    private static void AssertBody(string expected, JsonObject body)
    {
        var copy = body.DeepClone().AsObject();
        Assert.True(Guid.TryParse(copy["idempotencyKey"]!.GetValue<string>(), out _));
        copy.Remove("idempotencyKey");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), copy), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\nactual   {copy.ToJsonString()}");
    }

    [Fact]
    public async Task SubmitAsync_MinimalRequest_SendsPromptModelAndKeyOnly()
    {
        var (body, _) = await SendAsync(Clients.Request("nanobanana-2", "A minimalist logo"));

        AssertBody("""{"prompt":"A minimalist logo","modelId":"nanobanana-2"}""", body);
    }

    [Fact]
    public async Task SubmitAsync_ImageFields_UseTheDocumentedWireNamesAndSpelling()
    {
        var request = new GenerationRequest("gpt-image-2", "p")
        {
            AspectRatio = AspectRatio.Parse("4:3"),
            Resolution = "4k",
            Quality = "High",
            ReferenceImages = [new Uri("https://example.com/a.jpg"), new Uri("https://example.com/b.jpg")],
        };

        var (body, _) = await SendAsync(request);

        AssertBody("""
            {"prompt":"p","modelId":"gpt-image-2","aspectRatio":"4:3","resolution":"4K","quality":"high",
             "referenceImages":["https://example.com/a.jpg","https://example.com/b.jpg"]}
            """, body);
    }

    [Fact]
    public async Task SubmitAsync_AutoRatio_IsSentAsAuto()
    {
        var (body, _) = await SendAsync(new GenerationRequest("nanobanana-2", "p") { AspectRatio = AspectRatio.Auto });

        Assert.Equal("auto", body["aspectRatio"]!.GetValue<string>());
    }

    [Fact]
    public async Task SubmitAsync_Midjourney_SendsReferenceTypeAndEveryOptionInNiji7Options()
    {
        var request = new GenerationRequest("midjourney-v8.1", "p")
        {
            ReferenceImages = [new Uri("https://example.com/style-ref.jpg")],
            ReferenceMode = ReferenceMode.Style,
            Quality = "1",
        }.WithMeiGenMidjourneyOptions(new MeiGenMidjourneyOptions
        {
            Stylize = 300,
            Chaos = 20,
            Raw = true,
            ImageWeight = 1.5,
            StyleReference = "https://example.com/sref.png",
            StyleWeight = 500,
        });

        var (body, job) = await SendAsync(request);

        AssertBody("""
            {"prompt":"p","modelId":"midjourney-v8.1","referenceImages":["https://example.com/style-ref.jpg"],"referenceType":"style",
             "niji7Options":{"quality":"1","stylize":300,"chaos":20,"raw":true,"iw":1.5,"sref":"https://example.com/sref.png","sw":500}}
            """, body);
        Assert.False(job.Translation!.HasChanges);
    }

    [Fact]
    public async Task SubmitAsync_SeedanceContinuation_SendsDurationTierAndTheReferenceVideoWithItsLength()
    {
        var request = new GenerationRequest("seedance-2-0", "Continue the scene")
        {
            AspectRatio = AspectRatio.Adaptive,
            Resolution = "480p",
            DurationSeconds = 5,
            Tier = GenerationTier.Fast,
            ReferenceVideos = [new ReferenceVideo(new Uri("https://images.meigen.art/generations/eagle-clip.mp4"), 3)],
        };

        var (body, _) = await SendAsync(request);

        AssertBody("""
            {"prompt":"Continue the scene","modelId":"seedance-2-0","aspectRatio":"adaptive","resolution":"480p","duration":5,"tier":"fast",
             "referenceVideo":"https://images.meigen.art/generations/eagle-clip.mp4","referenceVideoDuration":3}
            """, body);
    }

    [Fact]
    public async Task SubmitAsync_Veo_SendsDurationAndTier()
    {
        var (body, _) = await SendAsync(new GenerationRequest("veo-3.1", "p") { DurationSeconds = 8, Tier = GenerationTier.Pro });

        Assert.Equal(8, body["duration"]!.GetValue<int>());
        Assert.Equal("pro", body["tier"]!.GetValue<string>());
    }

    [Fact]
    public async Task SubmitAsync_SettingsMeiGenDoesNotTake_AreDroppedAndReported()
    {
        var request = new GenerationRequest("nanobanana-2", "p")
        {
            Quality = "high",
            ReferenceMode = ReferenceMode.Content,
            DurationSeconds = 5,
            Tier = GenerationTier.Pro,
            Seed = 42,
            Style = "anime",
            Mode = "frame",
            Webhook = new WebhookOptions { Url = new Uri("https://example.com/hook") },
        };

        var (body, job) = await SendAsync(request);

        AssertBody("""{"prompt":"p","modelId":"nanobanana-2"}""", body);
        var dropped = job.Translation!.Entries.Where(e => e.Action == TranslationAction.Dropped).Select(e => e.Field).ToList();
        Assert.Equal(["Quality", "ReferenceMode", "DurationSeconds", "Tier", "Seed", "Style", "Mode", "Webhook"], dropped);
    }

    [Fact]
    public async Task QuoteAsync_StrictWithADroppedSetting_IsRefused()
    {
        var request = new GenerationRequest("nanobanana-2", "p") { Seed = 42, Strict = true };
        var stub = new StubHttpHandler();

        var result = await Clients.WithStub(stub).QuoteAsync(request);

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Equal("Seed", Assert.Single(error.Errors).Field);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_ProviderOptions_AreMergedAndWinAndThatIsReported()
    {
        var request = new GenerationRequest("seedance-2-0", "p") { Resolution = "720p" };
        request.ProviderOptions["meigen"] = new JsonObject { ["resolution"] = "1080p", ["referenceAudios"] = new JsonArray("https://example.com/a.mp3") };

        var (body, job) = await SendAsync(request);

        Assert.Equal("1080p", body["resolution"]!.GetValue<string>());
        Assert.Equal("https://example.com/a.mp3", body["referenceAudios"]![0]!.GetValue<string>());
        var adjusted = Assert.Single(job.Translation!.Entries, e => e.Action == TranslationAction.Adjusted);
        Assert.Equal("ProviderOptions.meigen.resolution", adjusted.Field);
        Assert.Equal("720p", adjusted.From);
        Assert.Equal("1080p", adjusted.To);
        Assert.Contains(job.Translation.Entries, e => e is { Field: "ProviderOptions.meigen.referenceAudios", Action: TranslationAction.Applied });
    }

    [Fact]
    public async Task SubmitAsync_MidjourneyOptionsOnAnotherModel_AreDroppedAndReported()
    {
        var request = Clients.Request("nanobanana-2").WithMeiGenMidjourneyOptions(new MeiGenMidjourneyOptions { Stylize = 300 });

        var (body, job) = await SendAsync(request);

        Assert.False(body.ContainsKey("niji7Options"));
        Assert.Contains(job.Translation!.Entries, e => e is { Field: "ProviderOptions.meigen.niji7Options", Action: TranslationAction.Dropped });
    }

    [Theory]
    [InlineData(4, TranslationAction.Applied)]
    [InlineData(1, TranslationAction.Adjusted)]
    public async Task QuoteAsync_MidjourneyCount_IsAlwaysFourCandidates(int count, TranslationAction action)
    {
        var quote = (await Clients.WithStub(new StubHttpHandler()).QuoteAsync(new GenerationRequest("midjourney-v8.1", "p") { Count = count })).GetValueOrThrow();

        var entry = Assert.Single(quote.Translation.Entries, e => e.Field == "Count");
        Assert.Equal(action, entry.Action);
        Assert.Equal(4, quote.Capabilities.OutputsPerJob);
    }

    [Fact]
    public async Task SubmitAsync_LegacyMidjourneyV7_KeepsItsIdAndTheRev1Options()
    {
        var request = Clients.Request("midjourney-v7").WithMeiGenMidjourneyOptions(new MeiGenMidjourneyOptions { Weird = 1000, StyleVersion = 4 });

        var (body, _) = await SendAsync(request);

        Assert.Equal("midjourney-v7", body["modelId"]!.GetValue<string>());
        Assert.Equal(1000, body["niji7Options"]!["weird"]!.GetValue<int>());
        Assert.Equal(4, body["niji7Options"]!["sv"]!.GetValue<int>());
    }
}
