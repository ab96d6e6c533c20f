using MediaGen.Routing;

namespace MediaGen.VeoGen.Internal;

/// <summary>
/// The canonical slugs VeoGen serves and what VeoGen calls each, with why they are believed to be the same model.
/// The router reads them through the generator's <c>GetService(typeof(ProviderModelMappings))</c>. VeoGen sells some
/// tiers as slugs of their own (<c>seedance-2.0-fast</c>), so those mappings carry the tier.
/// </summary>
internal static class VeoGenCanonicalModels
{
    public static readonly ProviderModelMappings Mappings = new(
    [
        new("nano-banana-2", "nano-banana-2", "same slug and name on VeoGen's model list"),
        new("nano-banana-pro", "nano-banana-pro", "same slug and name on VeoGen's model list"),
        new("seedream-5.0-lite", "seedream-5.0-lite", "ByteDance Seedream 5.0 Lite; same slug"),
        new("seedream-4.5", "seedream-4.5", "ByteDance Seedream 4.5; same slug"),
        new("seedance-2.0", "seedance-2.0-fast", "VeoGen sells the fast tier of Seedance 2.0 as its own slug", GenerationTier.Fast),
        new("seedance-2.0", "seedance-2.0", "VeoGen's standard Seedance 2.0 is the full-quality (pro) tier", GenerationTier.Pro) { IsDefaultForNoTier = true },
        new("veo-3.1", "veo-3.1-fast", "VeoGen sells only the fast tier of Veo 3.1, as its own slug", GenerationTier.Fast) { IsDefaultForNoTier = true },
    ]);
}
