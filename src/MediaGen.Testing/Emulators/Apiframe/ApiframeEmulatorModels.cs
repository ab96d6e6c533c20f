using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGen.Testing.Emulators.Apiframe;

/// <summary>
/// Apiframe's facts as the emulator serves them, written from the vendor docs (jobs-api-image-generation.txt and
/// reference/provider-apis.md §3) independently of the provider, so the emulator stays a test oracle: the model slugs,
/// the documented prices, the status and error texts, the timestamp format.
/// </summary>
internal static class ApiframeEmulatorModels
{
    public static readonly string[] ImageModels =
    [
        "midjourney", "nano-banana", "nano-banana-pro", "nano-banana-2", "flux-1.1-pro", "flux-1.1-pro-ultra", "flux-2-pro", "flux-2-dev",
        "flux-2-flex", "flux-2-max", "seedream-3", "seedream-3.1", "seedream-4", "seedream-4.5", "seedream-5-lite", "ideogram-v2",
        "ideogram-v2-turbo", "ideogram-v2a", "ideogram-v2a-turbo", "ideogram-v3-balanced", "ideogram-v3-turbo", "ideogram-v3-quality",
        "ideogram-character", "imagen-3", "imagen-3-fast", "imagen-4", "imagen-4-ultra", "imagen-4-fast", "dall-e-3", "dall-e-2",
        "gpt-image-1.5", "kling-image", "qwen-image", "qwen-image-2", "qwen-image-2-pro", "wan-image-2.6", "wan-image-2.7",
        "wan-image-2.7-pro", "grok-imagine-image", "reve-create",
    ];

    public static readonly string[] VideoModels =
    [
        "grok-imagine-video", "hailuo-02", "hailuo-2.3", "hailuo-2.3-fast", "luma-ray-2", "luma-ray-flash-2", "kling-2.1",
        "kling-2.1-master", "kling-2.5-turbo-pro", "kling-2.6", "kling-3.0", "midjourney-video",
    ];

    /// <summary>The body fields every generate request documents (A1, A2); the model's parameters object comes on top.</summary>
    public static readonly string[] CommonFields = ["prompt", "model", "webhookUrl", "webhookEvents"];

    private static readonly string[] FluxFields = ["aspect_ratio", "output_format", "output_quality", "seed", "width", "height", "resolution", "input_images", "prompt_upsampling"];
    private static readonly string[] Kling26Fields = ["duration", "aspect_ratio", "start_image", "negative_prompt", "generate_audio"];

    /// <summary>The models of one kind.</summary>
    public static string[] Models(MediaKind kind) => kind == MediaKind.Video ? VideoModels : ImageModels;

    /// <summary>
    /// The credits a generation costs: the documented prices; gpt-image-1.5 without a quality is charged as <c>auto</c>,
    /// Kling without a duration as 5 s, and a model without a documented price costs <paramref name="undocumented"/>.
    /// </summary>
    public static decimal Price(string model, JsonObject parameters, int count, decimal undocumented)
    {
        var duration = EmulatorJson.Decimal(parameters["duration"]) is { } d ? (int)d : 5;
        var audio = parameters["generate_audio"] is JsonValue a && a.GetValueKind() == JsonValueKind.False ? false : parameters["generate_audio"] is JsonValue t && t.GetValueKind() == JsonValueKind.True;
        var mode = EmulatorJson.String(parameters["mode"]) ?? "pro";
        return model switch
        {
            "midjourney" => 16,
            "qwen-image-2" => 3,
            "gpt-image-1.5" => (EmulatorJson.String(parameters["quality"]) ?? "auto") switch { "low" => 4, "medium" => 9, _ => 24 } * count,
            "kling-2.6" => (duration, parameters["generate_audio"] is null || audio) switch { (10, true) => 40, (10, false) => 25, (_, true) => 25, _ => 15 },
            "kling-2.1" => (mode, duration) switch { ("standard", 10) => 5, ("standard", _) => 3, (_, 10) => 10, _ => 5 },
            "kling-2.5-turbo-pro" => duration == 10 ? 7 : 4,
            "kling-3.0" => (mode == "standard" ? (audio ? 4 : 3) : (audio ? 7 : 5)) * duration,
            _ => undocumented,
        };
    }

    /// <summary>
    /// The parameters object a model's page documents — its key and fields (provider-apis.md §3.4) — or null when no page
    /// names one. seedreamParams, ideogramParams and imagenParams are named by stored docs-v2 pages without a field list.
    /// Anything else is not documented: the emulator ignores it and records it.
    /// </summary>
    public static (string Key, string[] Fields)? DocumentedParameters(string? model) => model switch
    {
        "midjourney" => ("midjourneyParams", ["aspect_ratio"]),
        "nano-banana" or "nano-banana-pro" or "nano-banana-2" => ("nanoBananaParams", ["image_input", "output_format", "google_search", "image_search"]),
        "flux-2-flex" => ("fluxParams", [.. FluxFields, "steps", "guidance"]),
        "flux-1.1-pro" or "flux-1.1-pro-ultra" or "flux-2-pro" or "flux-2-dev" or "flux-2-max" => ("fluxParams", FluxFields),
        "gpt-image-1.5" => ("gptImageParams", ["quality", "aspect_ratio", "output_format", "background", "input_images", "input_fidelity", "number_of_images"]),
        "qwen-image-2" => ("qwenImage2Params", ["image", "aspect_ratio", "negative_prompt", "seed"]),
        "reve-create" => ("reveParams", ["seed"]),
        "kling-2.6" => ("klingParams", Kling26Fields),
        "kling-2.1" => ("klingParams", [.. Kling26Fields, "mode", "end_image", "cfg_scale"]),
        "kling-2.5-turbo-pro" => ("klingParams", [.. Kling26Fields, "end_image", "cfg_scale"]),
        "kling-3.0" => ("klingParams", [.. Kling26Fields, "mode", "end_image", "multi_prompt"]),
        _ when model?.StartsWith("seedream-", StringComparison.Ordinal) == true => ("seedreamParams", []),
        _ when model?.StartsWith("ideogram-", StringComparison.Ordinal) == true => ("ideogramParams", []),
        _ when model?.StartsWith("imagen-", StringComparison.Ordinal) == true => ("imagenParams", []),
        _ => null,
    };

    /// <summary>How many outputs a job publishes: Midjourney answers a grid of four.</summary>
    public static int OutputCount(string model, int count) => model is "midjourney" or "midjourney-video" ? 4 : count;

    public static string WireStatus(JobState state) => state switch
    {
        JobState.Queued => "QUEUED",
        JobState.Running => "PROCESSING",
        JobState.Succeeded => "COMPLETED",
        _ => "FAILED",
    };

    public static string FailureText(JobSnapshot snapshot) => snapshot.FailureKind == JobFailureKind.ContentPolicy
        ? "Provider returned an error: content policy violation"
        : "Provider returned an error: " + (snapshot.FailureMessage ?? "internal error");

    public static string? Timestamp(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
