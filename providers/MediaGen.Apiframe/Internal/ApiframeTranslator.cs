using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>The request body for one generate POST and how each setting got there.</summary>
internal sealed record TranslatedRequest(ApiframeModel Model, JsonObject Body, JsonObject Parameters, TranslationReport Report);

/// <summary>
/// Translates a <see cref="GenerationRequest"/> into the Apiframe body: <c>prompt</c>, <c>model</c>, webhook fields and
/// the family's parameters object, reporting every setting as applied, adjusted or dropped.
/// </summary>
internal static class ApiframeTranslator
{
    /// <summary>The events the docs allow in <c>webhookEvents</c>.</summary>
    public static readonly string[] WebhookEvents = ["progress", "completed", "failed"];

    /// <summary>Apiframe rules on top of the generic validation; every bad field is reported.</summary>
    public static List<FieldError> ValidateVendorRules(GenerationRequest request, ApiframeModel model)
    {
        var errors = new List<FieldError>();
        if (request.Webhook is { } webhook)
        {
            for (var i = 0; i < webhook.Events.Count; i++)
            {
                var e = webhook.Events[i];
                if (!WebhookEvents.Contains(e?.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add(new($"Webhook.Events[{i}]", $"'{e}' is not an Apiframe webhook event; accepted: {string.Join(", ", WebhookEvents)}."));
                }
            }
        }

        if (model.Id == "kling-2.1" && request.ReferenceImages.Count > 1 && string.Equals(request.Mode, "standard", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new(nameof(GenerationRequest.ReferenceImages), "kling-2.1 takes an end frame (the second reference image) only in mode 'pro'."));
        }

        return errors;
    }

    public static TranslatedRequest Translate(GenerationRequest request, ApiframeModel model)
    {
        var family = model.Family;
        var report = new TranslationReport(ApiframeProvider.Name);
        var p = new JsonObject();
        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["model"] = model.Id.Value,
        };
        report.Applied(nameof(request.Model), model.Id.Value);
        report.Applied(nameof(request.Prompt), $"{request.Prompt.Length} characters");

        TranslateAspectRatio(request, family, p, report);

        if (request.Seed is { } seed)
        {
            if (family.SeedField is { } f)
            {
                Send(report, p, family, nameof(request.Seed), f, seed, seed);
            }
            else
            {
                report.Dropped(nameof(request.Seed), seed, $"{model.Id} takes no seed that MediaGen knows of; pass one in the apiframe provider options if the model takes it");
            }
        }

        if (request.Count is { } count)
        {
            if (family.CountField is { } f)
            {
                Send(report, p, family, nameof(request.Count), f, count, count);
            }
            else if (count != model.Capabilities.OutputsPerJob)
            {
                report.Adjusted(nameof(request.Count), count, model.Capabilities.OutputsPerJob, $"{model.Id} always produces {model.Capabilities.OutputsPerJob} output(s) per job");
            }
            else
            {
                report.Applied(nameof(request.Count), $"{count} (the model's fixed output count; nothing sent)");
            }
        }

        if (request.Quality is { } quality)
        {
            if (family.QualityField is { } f)
            {
                Send(report, p, family, nameof(request.Quality), f, quality.Trim().ToLowerInvariant(), quality.Trim().ToLowerInvariant());
            }
            else
            {
                report.Dropped(nameof(request.Quality), quality, $"{model.Id} documents no quality setting");
            }
        }

        TranslateResolution(request, model, p, report);
        TranslateReferences(request, model, p, report);

        if (request.DurationSeconds is { } seconds)
        {
            if (family.DurationField is { } f)
            {
                Send(report, p, family, nameof(request.DurationSeconds), f, seconds, seconds);
            }
            else
            {
                report.Dropped(nameof(request.DurationSeconds), seconds, $"{model.Id} documents no duration field; pass it in the apiframe provider options");
            }
        }

        if (request.Mode is { } mode)
        {
            if (family.ModeField is { } f && model.Capabilities.Modes.Count > 0)
            {
                Send(report, p, family, nameof(request.Mode), f, mode.Trim().ToLowerInvariant(), mode.Trim().ToLowerInvariant());
            }
            else
            {
                report.Dropped(nameof(request.Mode), mode, $"{model.Id} has no mode setting");
            }
        }

        DropUnsupported(request, model, report);

        if (request.Webhook is { } webhook)
        {
            body["webhookUrl"] = webhook.Url.AbsoluteUri;
            report.Applied("Webhook.Url", webhook.Url.AbsoluteUri);
            if (webhook.Events.Count > 0)
            {
                var events = webhook.Events.Select(e => e.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
                body["webhookEvents"] = new JsonArray([.. events.Select(e => (JsonNode?)e)]);
                report.Applied("Webhook.Events", events);
            }
        }

        MergeProviderOptions(request, p, report);
        SendPricedDefaults(model, p, report);

        // No empty object: under a guessed key it would be a field the docs do not name, carrying nothing.
        if (p.Count > 0)
        {
            body[family.ParamsKey] = p;
        }

        return new TranslatedRequest(model, body, p, report);
    }

    private static void TranslateAspectRatio(GenerationRequest request, ApiframeModelFamily family, JsonObject p, TranslationReport report)
    {
        if (request.AspectRatio is not { } ratio || string.IsNullOrEmpty(ratio.Value))
        {
            return;
        }

        if (family.AspectRatioField is not { } field)
        {
            report.Dropped(nameof(request.AspectRatio), ratio, "the model documents no aspect ratio");
        }
        else if (ratio.IsAuto)
        {
            // Apiframe has no 'auto' value: leaving aspect_ratio out is how the model picks.
            report.Applied(nameof(request.AspectRatio), "auto (aspect_ratio omitted: the model's default)");
        }
        else if (ratio.IsAdaptive)
        {
            if (family.AdaptiveAspectRatioValue is { } value)
            {
                Send(report, p, family, nameof(request.AspectRatio), field, value, value);
            }
            else
            {
                report.Dropped(nameof(request.AspectRatio), ratio, "the model has no 'match the reference' ratio");
            }
        }
        else
        {
            Send(report, p, family, nameof(request.AspectRatio), field, ratio.Value, ratio.Value);
        }
    }

    private static void TranslateReferences(GenerationRequest request, ApiframeModel model, JsonObject p, TranslationReport report)
    {
        var refs = request.ReferenceImages;
        if (refs.Count == 0)
        {
            return;
        }

        var family = model.Family;
        if (family.ReferenceField is not { } field)
        {
            report.Dropped(nameof(request.ReferenceImages), refs.Select(u => u.AbsoluteUri), $"{model.Id} documents no reference image input");
            return;
        }

        if (family.ReferenceIsList)
        {
            Send(report, p, family, nameof(request.ReferenceImages), field, new JsonArray([.. refs.Select(u => (JsonNode?)u.AbsoluteUri)]), $"{refs.Count} URL(s) as {family.ParamsKey}.{field}");
            return;
        }

        Send(report, p, family, nameof(request.ReferenceImages) + "[0]", field, refs[0].AbsoluteUri, $"{family.ParamsKey}.{field}");
        if (refs.Count > 1 && family.EndImageField is { } end)
        {
            Send(report, p, family, nameof(request.ReferenceImages) + "[1]", end, refs[1].AbsoluteUri, $"{family.ParamsKey}.{end}");
        }
    }

    private static void TranslateResolution(GenerationRequest request, ApiframeModel model, JsonObject p, TranslationReport report)
    {
        if (request.Resolution is not { } resolution)
        {
            return;
        }

        var family = model.Family;
        if (family.ResolutionField is { } field && family.ResolutionSpelling.TryGetValue(resolution.Value, out var wire))
        {
            Send(report, p, family, nameof(request.Resolution), field, wire, wire);
        }
        else if (model.Id == "flux-1.1-pro-ultra")
        {
            report.Dropped(nameof(request.Resolution), resolution, "flux-1.1-pro-ultra always renders at up to 4 MP (the model table); it has no resolution setting");
        }
        else
        {
            report.Dropped(nameof(request.Resolution), resolution, $"{model.Id} has no resolution setting that MediaGen knows of; pass the family's own field in the apiframe provider options");
        }
    }

    /// <summary>
    /// Sends the documented defaults the quote is priced on when neither the request nor the provider options set them
    /// (gpt-image-1.5 quality auto, kling-2.1 mode pro, kling-2.6 generate_audio true), so the vendor's own default cannot
    /// make the bill differ from the quote.
    /// </summary>
    private static void SendPricedDefaults(ApiframeModel model, JsonObject p, TranslationReport report)
    {
        foreach (var (field, value, setting) in ApiframePrices.PricedDefaults(model.Id))
        {
            if (!p.ContainsKey(field))
            {
                p[field] = value.DeepClone();
                report.Applied(setting, $"{value.ToJsonString()} (the documented default, sent because the quote is priced on it)");
            }
        }
    }

    /// <summary>Puts one value in the parameters object and reports it: applied when documented, else sent-undocumented with the evidence.</summary>
    private static void Send(TranslationReport report, JsonObject p, ApiframeModelFamily family, string field, string wire, JsonNode? value, object? shown)
    {
        p[wire] = value;
        if (family.GuessFor(wire) is { } why)
        {
            report.SentUndocumented(field, shown, $"{family.ParamsKey}.{wire}", why);
        }
        else
        {
            report.Applied(field, shown);
        }
    }

    private static void DropUnsupported(GenerationRequest request, ApiframeModel model, TranslationReport report)
    {
        if (request.Tier is { } tier)
        {
            report.Dropped(nameof(request.Tier), tier, $"Apiframe selects tiers by model id (e.g. '-fast', '-pro' variants), not by a setting");
        }

        if (request.Style is { } style)
        {
            report.Dropped(nameof(request.Style), style, $"{model.Id} documents no style preset");
        }

        if (request.ReferenceMode is { } referenceMode)
        {
            report.Dropped(nameof(request.ReferenceMode), referenceMode, $"{model.Id} documents no reference mode");
        }
    }

    private static void MergeProviderOptions(GenerationRequest request, JsonObject p, TranslationReport report)
    {
        if (request.GetProviderOptions(ApiframeProvider.Name) is { } options)
        {
            ProviderOptionsMerge.Merge(options, p, report, ApiframeProvider.Name);
        }
    }
}
