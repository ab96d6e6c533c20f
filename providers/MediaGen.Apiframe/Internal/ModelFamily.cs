namespace MediaGen.Apiframe.Internal;

/// <summary>
/// One model family's parameters object on the wire (key <c>&lt;family&gt;Params</c>) and the field each normalized
/// setting becomes. A null field means the docs give no such field for the family: the setting is dropped and reported.
/// </summary>
internal sealed record ModelFamily(string ParamsKey, string Source)
{
    public string? AspectRatioField { get; init; }

    /// <summary>Gets the vendor spelling of <c>adaptive</c> (match the reference), when the family has one.</summary>
    public string? AdaptiveAspectRatioValue { get; init; }

    public string? SeedField { get; init; }

    public string? CountField { get; init; }

    public string? QualityField { get; init; }

    public string? ReferenceField { get; init; }

    /// <summary>Gets whether <see cref="ReferenceField"/> takes an array (else a single URL).</summary>
    public bool ReferenceIsList { get; init; }

    /// <summary>Gets the field the second reference image goes to (a video's last frame).</summary>
    public string? EndImageField { get; init; }

    public string? DurationField { get; init; }

    public string? ModeField { get; init; }

    /// <summary>Gets whether the docs describe the family's parameters (else its key follows the naming convention only).</summary>
    public bool Documented { get; init; } = true;

    public static ModelFamily Midjourney { get; } = new("midjourneyParams", "B2 apiframe.ai/docs/images/midjourney")
    {
        AspectRatioField = "aspect_ratio",
    };

    public static ModelFamily NanoBanana { get; } = new("nanoBananaParams", "B4 apiframe.ai/models/nano-banana")
    {
        AspectRatioField = "aspect_ratio",
        ReferenceField = "image_input",
        ReferenceIsList = true,
    };

    public static ModelFamily Flux { get; } = new("fluxParams", "A9 docs-v2.apiframe.ai/docs/images/flux/flux-2-pro, flux-2-flex")
    {
        AspectRatioField = "aspect_ratio",
        AdaptiveAspectRatioValue = "match_input_image",
        SeedField = "seed",
        ReferenceField = "input_images",
        ReferenceIsList = true,
    };

    public static ModelFamily GptImage { get; } = new("gptImageParams", "A10/B3 gpt-image-1-5")
    {
        AspectRatioField = "aspect_ratio",
        QualityField = "quality",
        CountField = "number_of_images",
        ReferenceField = "input_images",
        ReferenceIsList = true,
    };

    public static ModelFamily QwenImage2 { get; } = new("qwenImage2Params", "A11 docs-v2.apiframe.ai/docs/images/qwen-image/qwen-image-2")
    {
        AspectRatioField = "aspect_ratio",
        SeedField = "seed",
        ReferenceField = "image",
    };

    public static ModelFamily Reve { get; } = new("reveParams", "B5 apiframe.ai/models/reve-create")
    {
        AspectRatioField = "aspect_ratio",
        SeedField = "seed",
    };

    public static ModelFamily Kling { get; } = new("klingParams", "A12 docs-v2.apiframe.ai/docs/videos/kling/*")
    {
        AspectRatioField = "aspect_ratio",
        DurationField = "duration",
        ModeField = "mode",
        ReferenceField = "start_image",
        EndImageField = "end_image",
    };

    /// <summary>A family the docs do not describe: its key follows the <c>&lt;family&gt;Params</c> convention and only the ratio is sent.</summary>
    public static ModelFamily Convention(string paramsKey) => new(paramsKey, "naming convention only (no parameter page found)")
    {
        AspectRatioField = "aspect_ratio",
        Documented = false,
    };
}
