using MediaGen.Testing;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Tests;

/// <summary>MediaGen → MEAI → MediaGen: what survives both adapters.</summary>
public sealed class RoundTripTests
{
    [Fact]
    public async Task SubmitAsync_ThroughBothAdapters_SettingsAndOutputsSurvive()
    {
        var clock = new FakeClock();
        var fake = new FakeMediaGenerator("fake", timeProvider: clock);
        var model = new ModelCapabilities
        {
            Id = "img-1",
            Kind = MediaKind.Image,
            Resolutions = [Resolution.OneK, Resolution.TwoK],
            Tiers = [GenerationTier.Pro],
            MaxCount = 4,
            SupportsSeed = true,
        };
        fake.AddModel(model, price: 3m);
        fake.EnqueueScript(FakeJobScript.SucceedAfterPolls(2, outputs: 2));
        var provider = fake
            .AsIImageGenerator(new MediaGenImageGeneratorOptions { Wait = new WaitOptions { TimeProvider = clock } })
            .AsIMediaGenerator("bridge", [model], new ImageGeneratorProviderOptions { CarryUnmappedSettings = true, TimeProvider = clock });
        var request = new GenerationRequest("img-1", "a lighthouse")
        {
            AspectRatio = AspectRatio.Landscape16x9,
            Resolution = Resolution.OneK,
            Seed = 42,
            Tier = GenerationTier.Pro,
            Count = 2,
            IdempotencyKey = "rt-1",
        };

        var job = (await clock.DriveAsync(provider.SubmitAsync(request))).GetValueOrThrow();

        var inner = Assert.Single(fake.AcceptedJobs);
        Assert.Equal("a lighthouse", inner.Request.Prompt);
        Assert.Equal(AspectRatio.Landscape16x9, inner.Request.AspectRatio);
        Assert.Equal(Resolution.OneK, inner.Request.Resolution);
        Assert.Equal(42L, inner.Request.Seed);
        Assert.Equal(GenerationTier.Pro, inner.Request.Tier);
        Assert.Equal(2, inner.Request.Count);
        Assert.Equal("rt-1", inner.Request.IdempotencyKey);
        Assert.Equal(2, job.Outputs.Count);
        Assert.All(job.Outputs, o => Assert.Equal("image/png", o.ContentType));
        var meai = Assert.IsType<ImageGenerationResponse>(job.RawRepresentation);
        Assert.Equal(inner.Handle, meai.GetGenerationJob()!.Handle);
    }

    [Fact]
    public async Task SubmitAsync_InnerRejects_TypedErrorSurvivesBothAdapters()
    {
        var fake = new FakeMediaGenerator("fake");
        var model = new ModelCapabilities { Id = "img-1", Kind = MediaKind.Image };
        fake.AddModel(model);
        fake.FailNextSubmit(new RateLimitedError("slow down", "fake", TimeSpan.FromSeconds(7)));
        var provider = fake.AsIImageGenerator().AsIMediaGenerator("bridge", [model]);

        var error = (await provider.SubmitAsync(new GenerationRequest("img-1", "a cat"))).Error;

        var limited = Assert.IsType<RateLimitedError>(error);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.RetryAfter);
        Assert.Equal("fake", limited.Provider);
    }
}
