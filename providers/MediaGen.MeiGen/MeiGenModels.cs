namespace MediaGen.MeiGen;

/// <summary>
/// MeiGen's model ids (generate v2, newest docs). <c>POST /api/generate/v2</c> serves every one of them and routes by
/// <c>modelId</c>; <c>GET /api/models</c> may add more at run time.
/// </summary>
public static class MeiGenModels
{
    /// <summary>GPT Image 2.0 (takes <c>quality</c> low/medium/high). Replaces the retired <see cref="RetiredRhart15"/>.</summary>
    public static ModelId GptImage2 { get; } = new("gpt-image-2");

    /// <summary>Nanobanana Pro.</summary>
    public static ModelId Gemini3ProImagePreview { get; } = new("gemini-3-pro-image-preview");

    /// <summary>Nanobanana 2.</summary>
    public static ModelId Nanobanana2 { get; } = new("nanobanana-2");

    /// <summary>Seedream 5.0 Lite.</summary>
    public static ModelId Seedream50Lite { get; } = new("seedream-5.0-lite");

    /// <summary>Seedream 4.5.</summary>
    public static ModelId Seedream45 { get; } = new("seedream-4.5");

    /// <summary>Midjourney V8.1: 4 candidate images per job, options in <c>niji7Options</c>.</summary>
    public static ModelId MidjourneyV81 { get; } = new("midjourney-v8.1");

    /// <summary>Legacy id of Midjourney, replaced by <see cref="MidjourneyV81"/> on 2026-05-09; still accepted by MeiGen.</summary>
    public static ModelId LegacyMidjourneyV7 { get; } = new("midjourney-v7");

    /// <summary>Legacy Niji 7 id from the older (rev1) docs; takes the rev1 options <c>weird</c> and <c>sv</c>.</summary>
    public static ModelId LegacyMidjourneyNiji7 { get; } = new("midjourney-niji7");

    /// <summary>FLUX.2 Klein.</summary>
    public static ModelId Flux2Klein { get; } = new("flux2-klein");

    /// <summary>Z Image Turbo (takes no reference images).</summary>
    public static ModelId ZImageTurbo { get; } = new("z-image-turbo");

    /// <summary>Seedance 2.0 video: 4–15 s, tiers fast/pro (rev2), continuation from a reference video.</summary>
    public static ModelId Seedance20 { get; } = new("seedance-2-0");

    /// <summary>Happyhorse 1.0 video: 3–15 s, one reference image.</summary>
    public static ModelId Happyhorse10 { get; } = new("happyhorse-1.0");

    /// <summary>Veo 3.1 video: 4, 6 or 8 s, tiers fast/pro.</summary>
    public static ModelId Veo31 { get; } = new("veo-3.1");

    /// <summary>GPT image 1.5, retired on 2026-04-22: refused before any call, use <see cref="GptImage2"/>.</summary>
    public static ModelId RetiredRhart15 { get; } = new("rhart-1.5");
}
