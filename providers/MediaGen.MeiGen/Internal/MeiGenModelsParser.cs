using System.Globalization;
using System.Text.Json;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>The models and prices read from <c>GET /api/models</c>, merged over the docs' snapshot.</summary>
internal sealed record MeiGenLiveCatalog(IReadOnlyList<MeiGenModel> Models, MeiGenPrices Prices);

/// <summary>
/// Reads <c>GET /api/models</c> tolerantly: <c>extra_config</c> is an open object (unknown keys ignored, wrong types
/// skipped), <c>capabilities.video</c> is preferred where present, <c>tierResolutions</c> is merged with
/// <c>resolutions</c>. Never throws on vendor content: what cannot be read is left to the snapshot.
/// </summary>
internal static class MeiGenModelsParser
{
    public const string Reference = "GET /api/models";

    /// <summary>Parses the body; returns null when it is not the documented <c>{ "models": [...] }</c> shape.</summary>
    public static MeiGenLiveCatalog? Parse(string body, IReadOnlyList<MeiGenModel> snapshot, DateOnly today)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            JsonElement list;
            if (root.ValueKind == JsonValueKind.Array)
            {
                list = root;
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("models", out var models) && models.ValueKind == JsonValueKind.Array)
            {
                list = models;
            }
            else
            {
                return null;
            }

            var provenance = new PriceProvenance(PriceSource.Live, today, Reference);
            var prices = new MeiGenPrices();
            var merged = new List<MeiGenModel>(snapshot);
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || LooseJson.Text(item, "id") is not { } id || string.IsNullOrWhiteSpace(id))
                {
                    continue;
                }

                var modelId = new ModelId(id);
                var index = merged.FindIndex(m => m.Id == modelId);
                var model = ParseModel(item, modelId, index >= 0 ? merged[index] : null, prices, provenance);
                if (index >= 0)
                {
                    merged[index] = model;
                }
                else
                {
                    merged.Add(model);
                }
            }

            return new MeiGenLiveCatalog(merged, prices);
        }
    }

    private static MeiGenModel ParseModel(JsonElement item, ModelId id, MeiGenModel? known, MeiGenPrices prices, PriceProvenance provenance)
    {
        var kind = LooseJson.Text(item, "media_type") switch
        {
            { } t when t.Equals("video", StringComparison.OrdinalIgnoreCase) => MediaKind.Video,
            { } t when t.Equals("image", StringComparison.OrdinalIgnoreCase) => MediaKind.Image,
            _ => known?.Capabilities.Kind ?? MediaKind.Image,
        };

        var caps = known?.Capabilities ?? new ModelCapabilities
        {
            Id = id,
            Kind = kind,
            SupportsAutoAspectRatio = true,
            MaxPromptLength = int.MaxValue,
            TypicalGenerationTime = kind == MediaKind.Video ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(15),
            MaxReferenceImages = 0,
        };
        caps = caps with { Kind = kind, DisplayName = LooseJson.Text(item, "name") ?? caps.DisplayName };

        if (Strings(item, "supported_ratios") is { } ratios)
        {
            var explicitRatios = new List<AspectRatio>();
            foreach (var text in ratios)
            {
                if (AspectRatio.TryParse(text, out var ratio) && ratio.IsExplicit)
                {
                    explicitRatios.Add(ratio);
                }
                else if (ratio.IsAdaptive)
                {
                    caps = caps with { SupportsAdaptiveAspectRatio = true };
                }
            }

            caps = caps with { AspectRatios = explicitRatios };
        }

        if (Int(item, "max_reference_images") is { } maxRefs && maxRefs >= 0)
        {
            caps = caps with { MaxReferenceImages = maxRefs };
        }

        var extra = Object(item, "extra_config");
        var billing = known?.Billing ?? (kind == MediaKind.Video ? MeiGenBilling.PerSecond : MeiGenBilling.Flat);
        if (extra is { } x)
        {
            caps = ApplyExtraConfig(caps, x);
            if (x.TryGetProperty("pricingPerCall", out var perCall) && perCall.ValueKind == JsonValueKind.Object)
            {
                billing = MeiGenBilling.PerCall;
            }
            else if (x.TryGetProperty("pricingPerSec", out var perSec) && perSec.ValueKind == JsonValueKind.Object)
            {
                billing = MeiGenBilling.PerSecond;
            }
        }

        if (Object(item, "capabilities") is { } capabilities && Object(capabilities, "video") is { } video)
        {
            caps = ApplyVideoCapabilities(caps, video);
            if (Object(video, "billing") is { } bill)
            {
                billing = LooseJson.Text(bill, "mode") switch
                {
                    "per_call" => MeiGenBilling.PerCall,
                    "per_second" => MeiGenBilling.PerSecond,
                    _ => billing,
                };
            }
        }

        if (billing == MeiGenBilling.Flat && LooseJson.Number(item, "credits_per_generation") is { } flat && flat >= 0)
        {
            prices.SetFlat(id, flat, provenance);
        }

        if (extra is { } e)
        {
            ReadRates(e, "pricingPerSec", caps, (tier, res, v) => prices.SetPerSecond(id, tier, res, v, provenance));
            ReadRates(e, "pricingPerSecWithVideo", caps, (tier, res, v) => prices.SetWithVideo(id, tier, res, v, provenance));
            if (Object(e, "minBillableTable") is { } floors)
            {
                foreach (var floor in floors.EnumerateObject())
                {
                    if (ParseInt(floor.Name) is { } duration && duration > 0 && LooseJson.Number(floor.Value) is { } seconds && seconds >= 0)
                    {
                        prices.SetMinBillable(id, duration, (int)Math.Ceiling(seconds), provenance);
                    }
                }
            }

            ReadPerCall(e, id, prices, provenance);
        }

        return new MeiGenModel(caps, billing);
    }

    private static ModelCapabilities ApplyExtraConfig(ModelCapabilities caps, JsonElement x)
    {
        var resolutions = Strings(x, "resolutions")?.Select(r => new Resolution(r)).ToList();
        var byTier = new Dictionary<GenerationTier, IReadOnlyList<Resolution>>();
        if (Object(x, "tierResolutions") is { } tierResolutions)
        {
            foreach (var entry in tierResolutions.EnumerateObject())
            {
                if (!string.IsNullOrWhiteSpace(entry.Name) && StringArray(entry.Value) is { Count: > 0 } list)
                {
                    byTier[new GenerationTier(entry.Name)] = [.. list.Select(r => new Resolution(r))];
                }
            }
        }

        if (resolutions is not null || byTier.Count > 0)
        {
            // The model-level list lags behind the per-tier lists: offer the union.
            var union = new List<Resolution>(resolutions ?? [.. caps.Resolutions]);
            foreach (var list in byTier.Values)
            {
                union.AddRange(list.Where(r => !union.Contains(r)));
            }

            caps = caps with { Resolutions = union, ResolutionsByTier = byTier.Count > 0 ? byTier : caps.ResolutionsByTier };
        }

        if (TierNames(x) is { Count: > 0 } tiers)
        {
            caps = caps with { Tiers = tiers };
        }

        if (Strings(x, "qualities") is { Count: > 0 } qualities)
        {
            caps = caps with { Qualities = qualities };
        }

        if (LooseJson.Text(x, "defaultResolution") is { Length: > 0 } defaultResolution)
        {
            caps = caps with { DefaultResolution = new Resolution(defaultResolution) };
        }

        if (LooseJson.Text(x, "defaultTier") is { Length: > 0 } defaultTier)
        {
            caps = caps with { DefaultTier = new GenerationTier(defaultTier) };
        }

        if (x.TryGetProperty("durations", out var durations) && durations.ValueKind == JsonValueKind.Array)
        {
            var values = durations.EnumerateArray().Select(v => LooseJson.Number(v)).Where(d => d is > 0).Select(d => (int)d!.Value).Distinct().ToArray();
            if (values.Length > 0)
            {
                var fallback = Int(x, "defaultDuration") ?? caps.Durations?.DefaultSeconds;
                caps = caps with { Durations = DurationOptions.OneOf(fallback, values) };
            }
        }
        else if (Int(x, "defaultDuration") is { } defaultDuration && caps.Durations is { } known)
        {
            caps = caps with { Durations = known.Values is { } set ? DurationOptions.OneOf(defaultDuration, [.. set]) : DurationOptions.Range(known.Min, known.Max, defaultDuration) };
        }

        if (x.TryGetProperty("supportsReferenceVideo", out var supportsVideo) && supportsVideo.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            var enabled = supportsVideo.ValueKind == JsonValueKind.True;
            caps = caps with { MaxReferenceVideos = enabled ? Math.Max(caps.MaxReferenceVideos, 1) : 0, ReferenceVideoRequiresDuration = enabled && caps.ReferenceVideoRequiresDuration };
        }

        return caps;
    }

    private static ModelCapabilities ApplyVideoCapabilities(ModelCapabilities caps, JsonElement video)
    {
        if (Object(video, "outputDuration") is { } duration)
        {
            var kind = LooseJson.Text(duration, "kind");
            var defaultSeconds = Int(duration, "default");
            if (kind == "enum" && duration.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                var set = values.EnumerateArray().Select(v => LooseJson.Number(v)).Where(d => d is > 0).Select(d => (int)d!.Value).Distinct().ToArray();
                if (set.Length > 0)
                {
                    caps = caps with { Durations = DurationOptions.OneOf(defaultSeconds, set) };
                }
            }
            else if (kind == "range" && Int(duration, "min") is { } min && Int(duration, "max") is { } max && min > 0 && max >= min)
            {
                caps = caps with { Durations = DurationOptions.Range(min, max, defaultSeconds) };
            }
        }

        if (Object(video, "referenceVideo") is { } reference && reference.TryGetProperty("enabled", out var enabled) && enabled.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            caps = enabled.ValueKind == JsonValueKind.True
                ? caps with { MaxReferenceVideos = Int(reference, "maxCount") is { } count and > 0 ? count : Math.Max(caps.MaxReferenceVideos, 1) }
                : caps with { MaxReferenceVideos = 0 };
        }

        if (Object(video, "billing") is { } billing && LooseJson.Text(billing, "referenceSeconds") is { } referenceSeconds)
        {
            caps = caps with { ReferenceVideoRequiresDuration = referenceSeconds.StartsWith("reference_plus_output", StringComparison.Ordinal) };
        }

        return caps;
    }

    private static void ReadRates(JsonElement extra, string name, ModelCapabilities caps, Action<GenerationTier?, Resolution, decimal> set)
    {
        if (Object(extra, name) is not { } table)
        {
            return;
        }

        foreach (var entry in table.EnumerateObject())
        {
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                continue;
            }

            if (entry.Value.ValueKind == JsonValueKind.Object)
            {
                // tier → resolution → rate (documented shape)
                GenerationTier? tier = caps.Tiers.Count == 0 && (entry.Name is "default" or "*") ? default(GenerationTier?) : new GenerationTier(entry.Name);
                foreach (var rate in entry.Value.EnumerateObject())
                {
                    if (!string.IsNullOrWhiteSpace(rate.Name) && LooseJson.Number(rate.Value) is { } value && value >= 0)
                    {
                        set(tier, new Resolution(rate.Name), value);
                    }
                }
            }
            else if (LooseJson.Number(entry.Value) is { } flatRate && flatRate >= 0)
            {
                // resolution → rate without tiers: the same for every tier the model has (or the tierless rate)
                if (caps.Tiers.Count == 0)
                {
                    set(null, new Resolution(entry.Name), flatRate);
                }

                foreach (var tier in caps.Tiers)
                {
                    set(tier, new Resolution(entry.Name), flatRate);
                }
            }
        }
    }

    private static void ReadPerCall(JsonElement extra, ModelId id, MeiGenPrices prices, PriceProvenance provenance)
    {
        if (Object(extra, "pricingPerCall") is not { } table)
        {
            return;
        }

        foreach (var entry in table.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.Object && !string.IsNullOrWhiteSpace(entry.Name))
            {
                var tier = new GenerationTier(entry.Name);
                foreach (var price in entry.Value.EnumerateObject())
                {
                    if (ParseInt(price.Name) is { } duration && duration > 0 && LooseJson.Number(price.Value) is { } value && value >= 0)
                    {
                        prices.SetPerCall(id, tier, duration, value, provenance);
                    }
                }
            }
            else if (ParseInt(entry.Name) is { } duration && duration > 0 && LooseJson.Number(entry.Value) is { } value && value >= 0)
            {
                prices.SetPerCall(id, null, duration, value, provenance);
            }
        }
    }

    private static List<GenerationTier>? TierNames(JsonElement x)
    {
        if (!x.TryGetProperty("tiers", out var tiers) || tiers.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<GenerationTier>();
        foreach (var tier in tiers.EnumerateArray())
        {
            var name = tier.ValueKind switch
            {
                JsonValueKind.String => tier.GetString(),
                JsonValueKind.Object => LooseJson.Text(tier, "id") ?? LooseJson.Text(tier, "value") ?? LooseJson.Text(tier, "name"),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(name))
            {
                list.Add(new GenerationTier(name));
            }
        }

        return list;
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static List<string>? Strings(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? StringArray(value) : null;

    private static List<string>? StringArray(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).Where(s => !string.IsNullOrWhiteSpace(s))]
            : null;

    private static int? Int(JsonElement element, string name) =>
        LooseJson.Number(element, name) is { } d && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;

    private static int? ParseInt(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && d is > 0 and <= int.MaxValue ? (int)d : null;
}
