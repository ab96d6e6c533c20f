using System.Globalization;
using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>The body for <c>POST /api/generate/v2</c>, what translation did, and what the price is computed on.</summary>
internal sealed record MeiGenTranslation(JsonObject Body, TranslationReport Report, PriceKey Pricing);

/// <summary>Translates a validated request into MeiGen's wire body, reporting every setting applied, adjusted or dropped.</summary>
internal static class MeiGenTranslator
{
    public static MeiGenTranslation Translate(GenerationRequest request, MeiGenModel model)
    {
        var caps = model.Capabilities;
        var report = new TranslationReport(MeiGenProvider.Name);
        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["modelId"] = model.Id.Value,
        };
        report.Applied(nameof(request.Model), model.Id.Value);
        report.Applied(nameof(request.Prompt), $"({request.Prompt.Length.ToString(CultureInfo.InvariantCulture)} characters)");

        if (request.AspectRatio is { } ratio && !string.IsNullOrEmpty(ratio.Value))
        {
            body["aspectRatio"] = ratio.Value;
            report.Applied(nameof(request.AspectRatio), ratio.Value);
        }

        if (request.Resolution is { } resolution)
        {
            var spelled = caps.ResolutionsFor(request.Tier ?? caps.DefaultTier).Concat(caps.Resolutions).FirstOrDefault(r => r == resolution);
            var wire = string.IsNullOrEmpty(spelled.Value) ? resolution.Value : spelled.Value;
            body["resolution"] = wire;
            report.Applied(nameof(request.Resolution), wire);
        }

        JsonObject? midjourney = null;
        if (request.Quality is { } quality)
        {
            if (model.IsMidjourney)
            {
                midjourney = new JsonObject { ["quality"] = quality.Trim() };
                report.Applied(nameof(request.Quality), $"niji7Options.quality = {quality.Trim()}");
            }
            else if (caps.Qualities.Count > 0)
            {
                var wire = quality.Trim().ToLowerInvariant();
                body["quality"] = wire;
                report.Applied(nameof(request.Quality), wire);
            }
            else
            {
                report.Dropped(nameof(request.Quality), quality, $"only GPT Image 2.0 (quality) and Midjourney (niji7Options.quality) take a quality on MeiGen; {model.Id} ignores it");
            }
        }

        if (request.ReferenceImages.Count > 0)
        {
            body["referenceImages"] = new JsonArray([.. request.ReferenceImages.Select(u => (JsonNode)JsonValue.Create(u.AbsoluteUri))]);
            report.Applied(nameof(request.ReferenceImages), request.ReferenceImages.Select(u => u.AbsoluteUri));
        }

        if (request.ReferenceMode is { } mode)
        {
            var wire = mode == ReferenceMode.Style ? "style" : "content";
            if (caps.SupportsReferenceMode)
            {
                body["referenceType"] = wire;
                report.Applied(nameof(request.ReferenceMode), wire);
            }
            else
            {
                report.Dropped(nameof(request.ReferenceMode), wire, $"referenceType is for Midjourney only; {model.Id} ignores it");
            }
        }

        if (request.DurationSeconds is { } duration)
        {
            if (caps.Durations is not null)
            {
                body["duration"] = duration;
                report.Applied(nameof(request.DurationSeconds), duration);
            }
            else
            {
                report.Dropped(nameof(request.DurationSeconds), duration, $"{model.Id} makes images; a duration applies to video models only");
            }
        }

        if (request.Tier is { } tier)
        {
            if (caps.Tiers.Count > 0)
            {
                body["tier"] = tier.Value;
                report.Applied(nameof(request.Tier), tier.Value);
            }
            else
            {
                report.Dropped(nameof(request.Tier), tier.Value, $"{model.Id} has no tiers (only Seedance 2.0 and Veo 3.1 do)");
            }
        }

        if (request.ReferenceVideos.Count > 0 && request.ReferenceVideos[0] is { } video)
        {
            body["referenceVideo"] = video.Url.AbsoluteUri;
            report.Applied($"{nameof(request.ReferenceVideos)}[0].{nameof(ReferenceVideo.Url)}", video.Url.AbsoluteUri);
            if (video.DurationSeconds is { } length)
            {
                body["referenceVideoDuration"] = length;
                report.Applied($"{nameof(request.ReferenceVideos)}[0].{nameof(ReferenceVideo.DurationSeconds)}", length);
            }
        }

        TranslateCount(request, model, report);
        if (request.Seed is { } seed)
        {
            report.Dropped(nameof(request.Seed), seed, "MeiGen's generate v2 takes no seed");
        }

        if (!string.IsNullOrWhiteSpace(request.Style))
        {
            report.Dropped(nameof(request.Style), request.Style, "MeiGen has no style presets (Midjourney style references go in niji7Options.sref)");
        }

        if (!string.IsNullOrWhiteSpace(request.Mode))
        {
            report.Dropped(nameof(request.Mode), request.Mode, "MeiGen has no generation modes");
        }

        if (request.Webhook is { } webhook)
        {
            report.Dropped(nameof(request.Webhook), webhook.Url, "MeiGen pushes no webhooks; MediaGen polls the status endpoint");
        }

        // The idempotency key is not part of the quoted body: the submit attaches it when it sends (a quote mints none).
        MergeProviderOptions(request, model, body, midjourney, report);
        return new MeiGenTranslation(body, report, MeiGenPrices.KeyOf(body, model));
    }

    private static void TranslateCount(GenerationRequest request, MeiGenModel model, TranslationReport report)
    {
        if (request.Count is not { } count)
        {
            return;
        }

        var produced = model.Capabilities.OutputsPerJob;
        if (count == produced)
        {
            report.Applied(nameof(request.Count), count);
        }
        else
        {
            report.Adjusted(nameof(request.Count), count, produced, $"{model.Id} always returns {produced.ToString(CultureInfo.InvariantCulture)} output{(produced == 1 ? string.Empty : "s")} per generation, priced as one generation");
        }
    }

    private static void MergeProviderOptions(GenerationRequest request, MeiGenModel model, JsonObject body, JsonObject? midjourney, TranslationReport report)
    {
        var bag = request.GetProviderOptions(MeiGenProvider.Name);
        if (bag is not null && bag.TryGetPropertyValue(MeiGenRequestExtensions.MidjourneyOptionsField, out var given) && given is not null)
        {
            if (!model.IsMidjourney)
            {
                report.Dropped(ProviderOptionsMerge.Field(MeiGenProvider.Name, MeiGenRequestExtensions.MidjourneyOptionsField), given.ToJsonString(), $"Midjourney options; {model.Id} ignores them");
            }
            else if (given is JsonObject options)
            {
                midjourney ??= [];
                ProviderOptionsMerge.Merge(options, midjourney, report, MeiGenProvider.Name, MeiGenRequestExtensions.MidjourneyOptionsField);
            }
        }

        if (midjourney is { Count: > 0 })
        {
            body[MeiGenRequestExtensions.MidjourneyOptionsField] = midjourney;
        }

        if (bag is null)
        {
            return;
        }

        // niji7Options was merged above, into the Midjourney object.
        ProviderOptionsMerge.Merge(bag, body, report, MeiGenProvider.Name, handledElsewhere: static name => name == MeiGenRequestExtensions.MidjourneyOptionsField);
    }
}
