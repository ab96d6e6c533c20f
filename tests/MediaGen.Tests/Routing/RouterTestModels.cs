using MediaGen.Testing;

namespace MediaGen.Tests.Routing;

internal static class RouterTestModels
{
    public static ModelCapabilities Image(ModelId id, int maxRefs = 5, TimeSpan? typical = null, params string[] ratios) => new()
    {
        Id = id,
        Kind = MediaKind.Image,
        AspectRatios = ratios.Length == 0 ? [AspectRatio.Square, AspectRatio.Landscape16x9] : ratios.Select(AspectRatio.Parse).ToList(),
        SupportsAutoAspectRatio = true,
        MaxReferenceImages = maxRefs,
        TypicalGenerationTime = typical ?? TimeSpan.FromSeconds(15),
    };

    /// <summary>Three fakes serving nano-banana-2 under each vendor's own slug and contributing that mapping, like the real providers.</summary>
    public static (FakeMediaGenerator MeiGen, FakeMediaGenerator VeoGen, FakeMediaGenerator Apiframe) NanoBananaVendors(
        decimal? meigenCredits = 5, decimal? veogenUsd = 0.08m, decimal? apiframeCredits = null, TimeProvider? time = null)
    {
        var meigen = new FakeMediaGenerator("meigen", timeProvider: time).AddModel(Image("nanobanana-2", typical: TimeSpan.FromSeconds(15)), meigenCredits).MapCanonical("nano-banana-2", "nanobanana-2");
        var veogen = new FakeMediaGenerator("veogen", MoneyUnit.Usd, time).AddModel(Image("nano-banana-2", maxRefs: 14, typical: TimeSpan.FromSeconds(10)), veogenUsd).MapCanonical("nano-banana-2", "nano-banana-2");
        var apiframe = new FakeMediaGenerator("apiframe", timeProvider: time).AddModel(Image("nano-banana-2", typical: TimeSpan.FromSeconds(30)), apiframeCredits).MapCanonical("nano-banana-2", "nano-banana-2");
        return (meigen, veogen, apiframe);
    }
}
