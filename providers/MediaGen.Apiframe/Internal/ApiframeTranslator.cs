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
                p[f] = seed;
                report.Applied(nameof(request.Seed), seed);
            }
            else
            {
                report.Dropped(nameof(request.Seed), seed, $"{model.Id} documents no seed; pass one in the apiframe provider options if the model takes it");
            }
        }

        if (request.Count is { } count)
        {
            if (family.CountField is { } f)
            {
                p[f] = count;
                report.Applied(nameof(request.Count), count);
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
                p[f] = quality.Trim().ToLowerInvariant();
                report.Applied(nameof(request.Quality), quality.Trim().ToLowerInvariant());
            }
            else
            {
                report.Dropped(nameof(request.Quality), quality, $"{model.Id} documents no quality setting");
            }
        }

        TranslateReferences(request, model, p, report);

        if (request.DurationSeconds is { } seconds)
        {
            if (family.DurationField is { } f)
            {
                p[f] = seconds;
                report.Applied(nameof(request.DurationSeconds), seconds);
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
                p[f] = mode.Trim().ToLowerInvariant();
                report.Applied(nameof(request.Mode), mode.Trim().ToLowerInvariant());
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
        body[family.ParamsKey] = p;
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
                p[field] = value;
                report.Applied(nameof(request.AspectRatio), value);
            }
            else
            {
                report.Dropped(nameof(request.AspectRatio), ratio, "the model has no 'match the reference' ratio");
            }
        }
        else
        {
            p[field] = ratio.Value;
            report.Applied(nameof(request.AspectRatio), ratio.Value);
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
            p[field] = new JsonArray([.. refs.Select(u => (JsonNode?)u.AbsoluteUri)]);
            report.Applied(nameof(request.ReferenceImages), $"{refs.Count} URL(s) as {family.ParamsKey}.{field}");
            return;
        }

        p[field] = refs[0].AbsoluteUri;
        report.Applied(nameof(request.ReferenceImages) + "[0]", $"{family.ParamsKey}.{field}");
        if (refs.Count > 1 && family.EndImageField is { } end)
        {
            p[end] = refs[1].AbsoluteUri;
            report.Applied(nameof(request.ReferenceImages) + "[1]", $"{family.ParamsKey}.{end}");
        }
    }

    private static void DropUnsupported(GenerationRequest request, ApiframeModel model, TranslationReport report)
    {
        if (request.Resolution is { } resolution)
        {
            report.Dropped(nameof(request.Resolution), resolution, $"{model.Id} has no documented resolution setting in MediaGen's vocabulary; pass the family's own field (e.g. fluxParams.resolution '2 MP') in the apiframe provider options");
        }

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
