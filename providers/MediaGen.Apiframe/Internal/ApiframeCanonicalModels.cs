using MediaGen.Routing;

namespace MediaGen.Apiframe.Internal;

/// <summary>
/// The canonical slugs Apiframe serves and what Apiframe calls each, with why they are believed to be the same model.
/// The router reads them through the generator's <c>GetService(typeof(ProviderModelMappings))</c>.
/// </summary>
internal static class ApiframeCanonicalModels
{
    public static readonly ProviderModelMappings Mappings = new(
    [
        new("nano-banana-2", "nano-banana-2", "Apiframe lists 'Nano Banana 2' under this identifier"),
        new("nano-banana-pro", "nano-banana-pro", "Apiframe lists 'Nano Banana Pro' under this identifier"),
        new("seedream-5.0-lite", "seedream-5-lite", "Apiframe's 'Seedream 5 Lite' (identifier seedream-5-lite) is the same ByteDance model"),
        new("seedream-4.5", "seedream-4.5", "ByteDance Seedream 4.5; same slug"),
    ]);
}
