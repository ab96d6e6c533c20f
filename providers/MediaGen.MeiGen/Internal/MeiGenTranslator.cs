using System.Globalization;
using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>The body for <c>POST /api/generate/v2</c>, what translation did, and what the price is computed on.</summary>
internal sealed record MeiGenTranslation(JsonObject Body, TranslationReport Report, PriceKey Pricing);

/// <summary>
/// MeiGen's vendor rules (checked before translation) and the translation of a validated request into its wire body,
/// reporting every setting applied, adjusted or dropped.
/// </summary>
internal static class MeiGenTranslator
{
    /// <summary>MeiGen's rules on top of <see cref="RequestValidator"/>: checked before any submit, every bad field reported.</summary>
    public static List<FieldError> ValidateVendorRules(GenerationRequest request, MeiGenModel model)
    {
        var errors = new List<FieldError>();
        if (request.IdempotencyKey is { Length: > 0 } key && !Guid.TryParse(key, out _))
        {
            errors.Add(new(nameof(request.IdempotencyKey), $"MeiGen's idempotencyKey is a UUID; '{Shorten(key)}' is not one. Leave it null to have one minted, or pass a UUID."));
        }

        if (request.GetProviderOptions(MeiGenProvider.Name) is not { } bag)
        {
            return errors;
        }

        foreach (var reserved in new[] { "idempotencyKey", "modelId" })
        {
            if (bag.ContainsKey(reserved))
            {
                var instead = reserved == "modelId" ? nameof(request.Model) : nameof(request.IdempotencyKey);
                errors.Add(new(ProviderOptionsMerge.Field(MeiGenProvider.Name, reserved), $"cannot be set through provider options: set GenerationRequest.{instead} instead (MediaGen prices, validates and recovers the job by it)."));
            }
        }

        if (bag.TryGetPropertyValue(MeiGenRequestExtensions.MidjourneyOptionsField, out var node) && node is not null && model.IsMidjourney)
        {
            CheckMidjourneyOptions(node, errors);
        }

        return errors;
    }

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

        if (request.Tier is { } tier && caps.Tiers.Count == 0)
        {
            report.Dropped(nameof(request.Tier), tier.Value, $"{model.Id} has no tiers (only Seedance 2.0 and Veo 3.1 do)");
        }
        else if (caps.Tiers.Count > 0 && (request.Tier ?? caps.DefaultTier) is { } sent)
        {
            // The tier is always sent, the default too: the quote is priced on it, so the server's own default (rev2:
            // fast; a third-party mirror: mini) can never make the bill differ from the quote.
            body["tier"] = sent.Value;
            report.Applied(nameof(request.Tier), request.Tier is null ? $"{sent.Value} (the default tier, sent because the quote is priced on it)" : sent.Value);
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
                ProviderOptionsMerge.Merge(options, midjourney, report, MeiGenProvider.Name, MeiGenRequestExtensions.MidjourneyOptionsField, handledElsewhere: name => !model.IsLegacyMidjourney && name is "weird" or "sv");
                foreach (var legacy in new[] { "weird", "sv" })
                {
                    if (!model.IsLegacyMidjourney && options.TryGetPropertyValue(legacy, out var value))
                    {
                        midjourney[legacy] = value?.DeepClone();
                        report.SentUndocumented(
                            ProviderOptionsMerge.Field(MeiGenProvider.Name, $"{MeiGenRequestExtensions.MidjourneyOptionsField}.{legacy}"),
                            ProviderOptionsMerge.Display(value),
                            $"{MeiGenRequestExtensions.MidjourneyOptionsField}.{legacy}",
                            $"rev1 documents {legacy} for Niji 7; rev2's Midjourney V8.1 table omits it without saying it is refused, so {model.Id} may ignore it");
                    }
                }
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

    private static void CheckMidjourneyOptions(JsonNode node, List<FieldError> errors)
    {
        var field = ProviderOptionsMerge.Field(MeiGenProvider.Name, MeiGenRequestExtensions.MidjourneyOptionsField);
        if (node is not JsonObject options)
        {
            errors.Add(new(field, "must be a JSON object (stylize, chaos, raw, iw, sref, sw, quality)."));
            return;
        }

        Range(options, "stylize", 0, 1000, field, errors);
        Range(options, "chaos", 0, 100, field, errors);
        Range(options, "iw", 0, 2, field, errors);
        Range(options, "sw", 0, 1000, field, errors);
        if (options.TryGetPropertyValue("raw", out var raw) && raw is not null && LooseJson.Bool(raw, acceptText: false) is null)
        {
            errors.Add(new($"{field}.raw", $"must be true or false; got {raw.ToJsonString()}."));
        }

        if (options.TryGetPropertyValue("sref", out var sref) && sref is not null && LooseJson.Text(sref) is null)
        {
            errors.Add(new($"{field}.sref", $"must be a string (a URL or text); got {sref.ToJsonString()}."));
        }

        if (options.TryGetPropertyValue("quality", out var quality) && quality is not null)
        {
            var text = LooseJson.Text(quality) ?? ((double?)LooseJson.Number(quality, acceptText: false))?.ToString(CultureInfo.InvariantCulture);
            if (text is not ("1" or "4"))
            {
                errors.Add(new($"{field}.quality", $"must be 1 or 4; got {quality.ToJsonString()}."));
            }
        }

        // rev1 documents weird and sv (Niji 7); rev2's V8.1 table only omits them. They are checked against rev1's ranges
        // and sent on every Midjourney id — reported as undocumented on V8.1 (see MergeProviderOptions).
        Range(options, "weird", 0, 3000, field, errors);
        Range(options, "sv", 1, 4, field, errors);
    }

    private static void Range(JsonObject options, string name, double min, double max, string field, List<FieldError> errors)
    {
        if (!options.TryGetPropertyValue(name, out var node) || node is null)
        {
            return;
        }

        if ((double?)LooseJson.Number(node, acceptText: false) is not { } value || value < min || value > max)
        {
            errors.Add(new($"{field}.{name}", $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; got {node.ToJsonString()}."));
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
