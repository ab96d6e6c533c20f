namespace MediaGen.Tests.Requests;

public class VocabularyTests
{
    [Theory]
    [InlineData("16:9", 16, 9)]
    [InlineData(" 1:1 ", 1, 1)]
    [InlineData("21:9", 21, 9)]
    public void AspectRatioParse_Explicit_ReadsParts(string text, int w, int h)
    {
        var ratio = AspectRatio.Parse(text);
        Assert.True(ratio.IsExplicit);
        Assert.Equal(w, ratio.Width);
        Assert.Equal(h, ratio.Height);
    }

    [Theory]
    [InlineData("AUTO")]
    [InlineData("auto")]
    public void AspectRatioParse_Auto_IsAuto(string text) => Assert.True(AspectRatio.Parse(text).IsAuto);

    [Fact]
    public void AspectRatioParse_Adaptive_IsAdaptive() => Assert.True(AspectRatio.Parse("adaptive").IsAdaptive);

    [Theory]
    [InlineData("16x9")]
    [InlineData("0:9")]
    [InlineData("-16:9")]
    [InlineData("16:")]
    [InlineData("wide")]
    [InlineData("")]
    public void AspectRatioTryParse_Malformed_ReturnsFalse(string text) => Assert.False(AspectRatio.TryParse(text, out _));

    [Fact]
    public void Resolution_Equality_IgnoresCase()
    {
        Assert.Equal(new Resolution("4K"), new Resolution("4k"));
        Assert.NotEqual(Resolution.P720, Resolution.P1080);
    }

    [Fact]
    public void ModelId_Equality_IgnoresCaseKeepsSpelling()
    {
        ModelId id = "NanoBanana-2";
        Assert.Equal(new ModelId("nanobanana-2"), id);
        Assert.Equal("NanoBanana-2", id.Value);
        Assert.Throws<ArgumentException>(() => new ModelId(" "));
    }

    [Fact]
    public void GenerationTier_Normalizes()
    {
        Assert.Equal(GenerationTier.Pro, new GenerationTier("PRO"));
    }

    [Fact]
    public void Clone_DeepCopiesListsAndProviderOptions()
    {
        var request = new GenerationRequest("nano-banana-2", "a lighthouse")
        {
            ReferenceImages = [new Uri("https://example.com/a.png")],
            ProviderOptions = { ["meigen"] = new System.Text.Json.Nodes.JsonObject { ["modelVariant"] = "x" } },
        };
        var copy = request.Clone();
        copy.ReferenceImages.Add(new Uri("https://example.com/b.png"));
        copy.ProviderOptions["meigen"]["modelVariant"] = "y";

        Assert.Single(request.ReferenceImages);
        Assert.Equal("x", request.ProviderOptions["meigen"]["modelVariant"]!.GetValue<string>());
    }

    [Fact]
    public void Clone_EverySettableProperty_IsCopied()
    {
        // A property added later and forgotten in Clone() fails this test.
        var request = new GenerationRequest("m", "p")
        {
            AspectRatio = AspectRatio.Square, Resolution = Resolution.TwoK, DurationSeconds = 5, Tier = GenerationTier.Pro,
            Quality = "high", Count = 2, Seed = 7, ReferenceMode = ReferenceMode.Style, Style = "anime", Mode = "frame",
            Webhook = new WebhookOptions { Url = new Uri("https://example.com/hook") }, IdempotencyKey = "k", Strict = true,
            ReferenceImages = [new Uri("https://example.com/i.png")],
            ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/v.mp4"), 3)],
            ReferenceAudio = [new Uri("https://example.com/a.mp3")],
            ProviderOptions = { ["x"] = new System.Text.Json.Nodes.JsonObject() },
            Routing = new MediaGen.Routing.RoutingPreferences { MaxCostUsd = 1m, Preference = ["meigen"] },
        };
        var copy = request.Clone();
        Assert.NotSame(request.Routing, copy.Routing);
        foreach (var property in typeof(GenerationRequest).GetProperties().Where(p => p.CanWrite))
        {
            var original = property.GetValue(request);
            var copied = property.GetValue(copy);
            if (original is System.Collections.IEnumerable list and not string)
            {
                Assert.Equal(list.Cast<object>().Count(), ((System.Collections.IEnumerable)copied!).Cast<object>().Count());
            }
            else if (original is WebhookOptions hook)
            {
                Assert.Equal(hook.Url, ((WebhookOptions)copied!).Url);
            }
            else if (original is MediaGen.Routing.RoutingPreferences routing)
            {
                Assert.Equal(routing.MaxCostUsd, ((MediaGen.Routing.RoutingPreferences)copied!).MaxCostUsd);
                Assert.Equal(routing.Preference, ((MediaGen.Routing.RoutingPreferences)copied!).Preference);
            }
            else
            {
                Assert.Equal(original, copied);
            }
        }
    }

    [Fact]
    public void ToString_DoesNotLeakPrompt()
    {
        var request = new GenerationRequest("m", "secret prompt text");
        Assert.DoesNotContain("secret prompt text", request.ToString(), StringComparison.Ordinal);
    }
}
