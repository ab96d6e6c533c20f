using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>What the translator produced: the wire body, the report, and the wire values the price depends on.</summary>
/// <param name="Body">The POST body.</param>
/// <param name="Report">Every setting applied, adjusted or dropped.</param>
/// <param name="Resolution">The resolution sent, or null.</param>
/// <param name="DurationSeconds">The duration sent, or null.</param>
/// <param name="ReferenceVideo">Whether a reference video is sent (Seedance's discounted rate).</param>
internal sealed record Translation(JsonObject Body, TranslationReport Report, string? Resolution, int? DurationSeconds, bool ReferenceVideo);

/// <summary>Translates a <see cref="GenerationRequest"/> into the body of <c>POST /generations</c>.</summary>
internal static class VeoGenTranslator
{
    private const string SoraOnly = "only sora-2 and sora-2-pro take it";
    private const string SeedanceOnly = "only seedance-2.0 and seedance-2.0-fast take it";

    /// <summary>The capabilities the generic validator checks against: what this translator drops rather than refuses is widened.</summary>
    public static ModelCapabilities ValidationView(VeoGenModel model, GenerationRequest request)
    {
        var caps = model.Capabilities;
        return caps with
        {
            // 'auto' is dropped (the vendor then uses the model's first ratio), never refused.
            SupportsAutoAspectRatio = true,

            // Reference videos/audio on a model that takes none are dropped and reported, not refused.
            MaxReferenceVideos = model.Takes(GatedFields.VideoUrls) ? caps.MaxReferenceVideos : Math.Max(caps.MaxReferenceVideos, request.ReferenceVideos.Count),
            MaxReferenceAudio = model.Takes(GatedFields.AudioUrls) ? caps.MaxReferenceAudio : Math.Max(caps.MaxReferenceAudio, request.ReferenceAudio.Count),
            Durations = model.Takes(GatedFields.Duration) ? caps.Durations : null,
        };
    }

    /// <summary>VeoGen's rules beyond the generic ones.</summary>
    public static IEnumerable<FieldError> ValidateVendorRules(GenerationRequest request, VeoGenModel model)
    {
        if (model.AllowedImageCounts is { } counts && !counts.Contains(request.ReferenceImages.Count))
        {
            yield return new FieldError(
                nameof(GenerationRequest.ReferenceImages),
                $"{model.Slug} takes {string.Join(", ", counts)} image URLs (0 = text-to-video, 1 = image-to-video, 3 = reference fusion); {request.ReferenceImages.Count} given.");
        }
    }

    public static Translation Translate(GenerationRequest request, VeoGenModel model)
    {
        var caps = model.Capabilities;
        var report = new TranslationReport(VeoGenProvider.Name);
        var body = new JsonObject
        {
            ["model"] = model.Slug,
            ["prompt"] = request.Prompt,
        };
        report.Applied(nameof(request.Model), model.Slug);

        if (request.AspectRatio is { } ratio && !string.IsNullOrEmpty(ratio.Value))
        {
            if (ratio.IsAuto)
            {
                report.Dropped(nameof(request.AspectRatio), ratio.Value, "VeoGen has no 'auto'; without aspect_ratio it uses the model's first supported ratio");
            }
            else
            {
                body["aspect_ratio"] = ratio.Value;
                report.Applied(nameof(request.AspectRatio), ratio.Value);
            }
        }

        if (request.Resolution is { } resolution)
        {
            // Write the vendor's spelling (video '4k', image '4K'); the setting itself is unchanged.
            var wire = caps.Resolutions.FirstOrDefault(r => r == resolution);
            if (string.IsNullOrEmpty(wire.Value))
            {
                report.Dropped(nameof(request.Resolution), resolution.Value, $"{model.Slug} takes no resolution setting");
            }
            else
            {
                body["resolution"] = wire.Value;
                report.Applied(nameof(request.Resolution), wire.Value);
            }
        }

        if (request.DurationSeconds is { } seconds)
        {
            if (model.Takes(GatedFields.Duration))
            {
                body["duration"] = seconds;
                report.Applied(nameof(request.DurationSeconds), seconds);
            }
            else
            {
                report.Dropped(nameof(request.DurationSeconds), seconds, $"{model.Slug} is an image model; only video models take a duration");
            }
        }

        if (!string.IsNullOrWhiteSpace(request.Mode))
        {
            if (model.Takes(GatedFields.Mode))
            {
                var mode = caps.Modes.FirstOrDefault(m => string.Equals(m, request.Mode, StringComparison.OrdinalIgnoreCase)) ?? request.Mode;
                body["mode"] = mode;
                report.Applied(nameof(request.Mode), mode);
            }
            else
            {
                report.Dropped(nameof(request.Mode), request.Mode, $"{model.Slug} has no modes; only grok-video-1 and veo-3.1-fast take one");
            }
        }

        if (!string.IsNullOrWhiteSpace(request.Style))
        {
            if (model.Takes(GatedFields.Style))
            {
                var style = caps.Styles.FirstOrDefault(s => string.Equals(s, request.Style, StringComparison.OrdinalIgnoreCase)) ?? request.Style;
                body["style"] = style;
                report.Applied(nameof(request.Style), style);
            }
            else
            {
                report.Dropped(nameof(request.Style), request.Style, $"{model.Slug} takes no style; {SoraOnly}");
            }
        }

        if (request.ReferenceImages.Count > 0)
        {
            body["image_urls"] = Urls(request.ReferenceImages);
            report.Applied(nameof(request.ReferenceImages), request.ReferenceImages);
        }

        var videos = request.ReferenceVideos.Select(v => v.Url).ToList();
        Media(GatedFields.VideoUrls, "video_urls", nameof(request.ReferenceVideos), videos);
        Media(GatedFields.AudioUrls, "audio_urls", nameof(request.ReferenceAudio), request.ReferenceAudio);

        if (request.Tier is { } tier)
        {
            report.Dropped(nameof(request.Tier), tier.Value, "VeoGen has no tiers; the tier is part of the model slug (e.g. seedance-2.0-fast)");
        }

        if (!string.IsNullOrWhiteSpace(request.Quality))
        {
            report.Dropped(nameof(request.Quality), request.Quality, "VeoGen has no quality setting");
        }

        if (request.Seed is { } seed)
        {
            report.Dropped(nameof(request.Seed), seed, "VeoGen takes no seed");
        }

        if (request.ReferenceMode is { } referenceMode)
        {
            report.Dropped(nameof(request.ReferenceMode), referenceMode, "VeoGen has no reference mode (veo-3.1-fast's Mode 'frame' / 'ingredient' is the nearest setting)");
        }

        if (request.Webhook is not null)
        {
            report.Dropped(nameof(request.Webhook), request.Webhook.Url, "VeoGen has no webhooks; MediaGen polls the job");
        }

        MergeProviderOptions(request.GetProviderOptions(VeoGenProvider.Name), model, body, report);

        return new Translation(
            body,
            report,
            body["resolution"] is JsonValue r && r.TryGetValue<string>(out var res) ? res : null,
            body["duration"] is JsonValue d && d.TryGetValue<int>(out var dur) ? dur : null,
            body["video_urls"] is JsonArray { Count: > 0 });

        void Media(GatedFields field, string wireName, string requestField, IList<Uri> urls)
        {
            if (urls.Count == 0)
            {
                return;
            }

            if (model.Takes(field))
            {
                body[wireName] = Urls(urls);
                report.Applied(requestField, urls);
            }
            else
            {
                report.Dropped(requestField, urls, $"{model.Slug} takes no {wireName}; {SeedanceOnly}");
            }
        }
    }

    /// <summary>
    /// Merges <c>"veogen": {...}</c> into the body: options win over translated fields (reported as adjusted), gated
    /// fields the model does not take are dropped (reported), and <c>model</c> / <c>prompt</c> stay as requested because
    /// pricing and the paying-once reconciliation match on them.
    /// </summary>
    private static void MergeProviderOptions(JsonObject? options, VeoGenModel model, JsonObject body, TranslationReport report)
    {
        if (options is null)
        {
            return;
        }

        ProviderOptionsMerge.Merge(options, body, report, VeoGenProvider.Name, dropReason: (key, _) =>
            key is "model" or "prompt"
                ? $"set {key} through the request, not provider options (pricing and the paying-once lookup match on it)"
                : Gate(key) is { } gate && !model.Takes(gate.Field) ? $"{model.Slug} does not take {key}; {gate.Who}" : null);
    }

    private static (GatedFields Field, string Who)? Gate(string key) => key switch
    {
        "duration" => (GatedFields.Duration, "only video models take it"),
        "mode" => (GatedFields.Mode, "only grok-video-1 and veo-3.1-fast take it"),
        "style" => (GatedFields.Style, SoraOnly),
        "watermark" => (GatedFields.Watermark, SoraOnly),
        "private" => (GatedFields.Private, SoraOnly),
        "video_urls" => (GatedFields.VideoUrls, SeedanceOnly),
        "audio_urls" => (GatedFields.AudioUrls, SeedanceOnly),
        _ => null,
    };

    private static JsonArray Urls(IEnumerable<Uri> urls)
    {
        var array = new JsonArray();
        foreach (var url in urls)
        {
            array.Add((JsonNode)url.OriginalString);
        }

        return array;
    }
}
