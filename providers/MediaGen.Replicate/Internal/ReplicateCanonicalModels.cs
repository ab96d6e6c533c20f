using MediaGen.Routing;

namespace MediaGen.Replicate.Internal;

/// <summary>
/// The canonical slugs Replicate serves and what Replicate calls each (<c>owner/name</c> of the official model), with
/// why they are believed to be the same model. The router reads them through the generator's
/// <c>GetService(typeof(ProviderModelMappings))</c>. Replicate sells tiers as models of their own (<c>-fast</c>), so
/// those mappings carry the tier.
/// </summary>
internal static class ReplicateCanonicalModels
{
    public static readonly ProviderModelMappings Mappings = new(
    [
        new("nano-banana-2", "google/nano-banana-2", "Google's official Nano Banana 2 on Replicate (M3), published by google"),
        new("nano-banana-pro", "google/nano-banana-pro", "Google's official Nano Banana Pro on Replicate (M2), published by google"),
        new("seedream-5.0-lite", "bytedance/seedream-5-lite", "ByteDance's official Seedream 5 Lite (M11); Replicate drops the '.0' from the slug"),
        new("seedream-4.5", "bytedance/seedream-4.5", "ByteDance's official Seedream 4.5 (M10); same name"),
        new("seedance-2.0", "bytedance/seedance-2.0-fast", "Replicate sells the fast tier of Seedance 2.0 as its own official model (M8)", GenerationTier.Fast),
        new("seedance-2.0", "bytedance/seedance-2.0", "ByteDance's official Seedance 2.0 (M7), the full-quality tier", GenerationTier.Pro) { IsDefaultForNoTier = true },
        new("veo-3.1", "google/veo-3.1-fast", "Replicate sells the fast tier of Veo 3.1 as its own model (M5, [3p] schema)", GenerationTier.Fast),
        new("veo-3.1", "google/veo-3.1", "Google's official Veo 3.1 (M4), the full-quality tier", GenerationTier.Pro) { IsDefaultForNoTier = true },
    ]);
}
