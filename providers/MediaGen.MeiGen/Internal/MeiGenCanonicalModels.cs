using MediaGen.Routing;

namespace MediaGen.MeiGen.Internal;

/// <summary>
/// The canonical slugs MeiGen serves and what MeiGen calls each, with why they are believed to be the same model.
/// The router reads them through the generator's <c>GetService(typeof(ProviderModelMappings))</c>. MeiGen sends the
/// tier as a field, so no mapping carries one.
/// </summary>
internal static class MeiGenCanonicalModels
{
    public static readonly ProviderModelMappings Mappings = new(
    [
        new("nano-banana-2", "nanobanana-2", "MeiGen's 'Nanobanana 2' is Google's Nano Banana 2 (Gemini image), both vendors resell Google's Gemini image model of this name"),
        new("nano-banana-pro", "gemini-3-pro-image-preview", "MeiGen names this model 'Nanobanana Pro' (docs: models list, zh example); the slug is Google's Gemini 3 Pro Image preview id"),
        new("seedream-5.0-lite", "seedream-5.0-lite", "ByteDance Seedream 5.0 Lite; same slug"),
        new("seedream-4.5", "seedream-4.5", "ByteDance Seedream 4.5; same slug"),
        new("seedance-2.0", "seedance-2-0", "ByteDance Seedance 2.0; MeiGen selects fast/pro with the tier field (rev2; fast is its default)"),
        new("veo-3.1", "veo-3.1", "Google Veo 3.1; MeiGen selects fast/pro with the tier field (fast is its default)"),
    ]);
}
