using System.Text.Json.Nodes;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;

namespace MediaGen.MeiGen.Tests;

/// <summary>What is refused before any call, with every bad field named.</summary>
public sealed class MeiGenVendorRulesTests
{
    private static async Task<InvalidRequestError> RefusedAsync(GenerationRequest request)
    {
        var stub = new StubHttpHandler();
        var result = await Clients.WithStub(stub).SubmitAsync(request);
        Assert.Empty(stub.Posts);
        return Assert.IsType<InvalidRequestError>(result.Error);
    }

    private static async Task AcceptedAsync(GenerationRequest request)
    {
        var result = await Clients.WithStub(new StubHttpHandler()).QuoteAsync(request);
        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public async Task SubmitAsync_RetiredRhart15_IsRefusedNamingGptImage2()
    {
        var stub = new StubHttpHandler();

        var result = await Clients.WithStub(stub).SubmitAsync(Clients.Request("rhart-1.5"));

        var error = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains("gpt-image-2", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task SubmitAsync_UnknownModel_ListsWhatMeiGenServes()
    {
        var error = await RefusedAsync(Clients.Request("dall-e-3"));

        Assert.Contains("seedance-2-0", error.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("z-image-turbo", 1)]
    [InlineData("midjourney-v8.1", 2)]
    [InlineData("happyhorse-1.0", 2)]
    [InlineData("nanobanana-2", 6)]
    public async Task SubmitAsync_TooManyReferenceImages_IsRefused(string model, int count)
    {
        var request = new GenerationRequest(model, "p") { ReferenceImages = [.. Enumerable.Range(0, count).Select(i => new Uri($"https://example.com/{i}.jpg"))] };

        var error = await RefusedAsync(request);

        Assert.Equal("ReferenceImages", Assert.Single(error.Errors).Field);
    }

    [Theory]
    [InlineData("midjourney-v8.1", 1)]
    [InlineData("happyhorse-1.0", 1)]
    [InlineData("nanobanana-2", 5)]
    public async Task QuoteAsync_ReferenceImagesWithinTheModelsMaximum_AreAccepted(string model, int count) =>
        await AcceptedAsync(new GenerationRequest(model, "p") { ReferenceImages = [.. Enumerable.Range(0, count).Select(i => new Uri($"https://example.com/{i}.jpg"))] });

    [Theory]
    [InlineData("seedance-2-0", 3)]
    [InlineData("seedance-2-0", 16)]
    [InlineData("happyhorse-1.0", 2)]
    [InlineData("veo-3.1", 5)]
    [InlineData("veo-3.1", 10)]
    public async Task SubmitAsync_DurationOutsideTheModelsRange_IsRefused(string model, int seconds)
    {
        var error = await RefusedAsync(new GenerationRequest(model, "p") { DurationSeconds = seconds });

        Assert.Equal("DurationSeconds", Assert.Single(error.Errors).Field);
    }

    [Theory]
    [InlineData("seedance-2-0", 4)]
    [InlineData("seedance-2-0", 15)]
    [InlineData("happyhorse-1.0", 3)]
    [InlineData("veo-3.1", 4)]
    [InlineData("veo-3.1", 6)]
    [InlineData("veo-3.1", 8)]
    public async Task QuoteAsync_DurationInTheModelsRange_IsAccepted(string model, int seconds) =>
        await AcceptedAsync(new GenerationRequest(model, "p") { DurationSeconds = seconds });

    [Fact]
    public async Task SubmitAsync_AdaptiveRatio_OnlyForSeedanceWithAReference()
    {
        var onImage = await RefusedAsync(new GenerationRequest("nanobanana-2", "p") { AspectRatio = AspectRatio.Adaptive });
        var withoutReference = await RefusedAsync(new GenerationRequest("seedance-2-0", "p") { AspectRatio = AspectRatio.Adaptive });
        await AcceptedAsync(new GenerationRequest("seedance-2-0", "p") { AspectRatio = AspectRatio.Adaptive, ReferenceImages = [new Uri("https://example.com/a.jpg")] });

        Assert.Equal("AspectRatio", onImage.Errors.Single().Field);
        Assert.Equal("AspectRatio", withoutReference.Errors.Single().Field);
    }

    [Fact]
    public async Task SubmitAsync_ContinuationWithoutTheReferenceLength_IsRefused()
    {
        var error = await RefusedAsync(new GenerationRequest("seedance-2-0", "p") { ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/v.mp4"))] });

        Assert.Equal("ReferenceVideos[0].DurationSeconds", error.Errors.Single().Field);
    }

    [Fact]
    public async Task SubmitAsync_TiersAndReferenceVideos_FollowTheModel()
    {
        var veoMini = await RefusedAsync(new GenerationRequest("veo-3.1", "p") { Tier = GenerationTier.Mini });
        var miniContinuation = await RefusedAsync(new GenerationRequest("seedance-2-0", "p")
        {
            Tier = GenerationTier.Mini,
            ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/v.mp4"), 3)],
        });
        var veoContinuation = await RefusedAsync(new GenerationRequest("veo-3.1", "p") { ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/v.mp4"), 3)] });

        Assert.Equal("Tier", veoMini.Errors.Single().Field);
        Assert.Equal("Tier", miniContinuation.Errors.Single().Field);
        Assert.Equal("ReferenceVideos", veoContinuation.Errors.Single().Field);
    }

    [Fact]
    public async Task SubmitAsync_GptImage2UnknownQuality_IsRefused()
    {
        var error = await RefusedAsync(new GenerationRequest("gpt-image-2", "p") { Quality = "ultra" });

        Assert.Contains("low, medium, high", error.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_MidjourneyOptionsOutOfRange_NamesEveryBadFieldAtOnce()
    {
        var request = new GenerationRequest("midjourney-v8.1", "p").WithMeiGenMidjourneyOptions(new MeiGenMidjourneyOptions
        {
            Stylize = 1001,
            Chaos = -1,
            ImageWeight = 3,
            StyleWeight = 2000,
            Quality = "2",
            Weird = 3001,
            StyleVersion = 5,
        });

        var error = await RefusedAsync(request);

        Assert.Equal(
            ["stylize", "chaos", "iw", "sw", "quality", "weird", "sv"],
            error.Errors.Select(e => e.Field["ProviderOptions.meigen.niji7Options.".Length..]));
    }

    [Fact]
    public async Task SubmitAsync_MidjourneyOptionsOfTheWrongType_AreRefused()
    {
        var request = new GenerationRequest("midjourney-v8.1", "p");
        request.ProviderOptions["meigen"] = new JsonObject { ["niji7Options"] = new JsonObject { ["raw"] = "yes", ["sref"] = 5, ["stylize"] = "high" } };

        var error = await RefusedAsync(request);

        Assert.Equal(3, error.Errors.Count);
    }

    [Fact]
    public async Task SubmitAsync_ProviderOptionsCannotReplaceTheKeyOrTheModel()
    {
        var request = Clients.Request("nanobanana-2");
        request.ProviderOptions["meigen"] = new JsonObject { ["idempotencyKey"] = "x", ["modelId"] = "veo-3.1" };

        var error = await RefusedAsync(request);

        Assert.Equal(["ProviderOptions.meigen.idempotencyKey", "ProviderOptions.meigen.modelId"], error.Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task SubmitAsync_SeveralProblems_AreAllReportedTogether()
    {
        var request = new GenerationRequest("seedance-2-0", "p")
        {
            DurationSeconds = 30,
            Resolution = "8K",
            Tier = "ultra",
            ReferenceImages = [new Uri("http://example.com/a.jpg")],
            IdempotencyKey = "not-a-uuid",
        };

        var error = await RefusedAsync(request);

        Assert.Equal(
            new[] { "DurationSeconds", "IdempotencyKey", "ReferenceImages[0]", "Resolution", "Tier" },
            error.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
