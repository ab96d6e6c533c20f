using System.Globalization;
using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>MeiGen's rules on top of <see cref="RequestValidator"/>: checked before any submit, every bad field reported.</summary>
internal static class MeiGenRequestRules
{
    private const string OptionsPrefix = "ProviderOptions.meigen";

    public static void Check(GenerationRequest request, MeiGenModel model, List<FieldError> errors)
    {
        if (request.IdempotencyKey is { Length: > 0 } key && !Guid.TryParse(key, out _))
        {
            errors.Add(new(nameof(request.IdempotencyKey), $"MeiGen's idempotencyKey is a UUID; '{Shorten(key)}' is not one. Leave it null to have one minted, or pass a UUID."));
        }

        if (model.Id == MeiGenModels.Seedance20 && request.Tier == GenerationTier.Mini && request.ReferenceVideos.Count > 0)
        {
            errors.Add(new(nameof(request.Tier), "the Seedance 2.0 mini tier does not take a reference video (continuation); use the fast or pro tier."));
        }

        if (request.GetProviderOptions(MeiGenProvider.Name) is not { } bag)
        {
            return;
        }

        foreach (var reserved in new[] { "idempotencyKey", "modelId" })
        {
            if (bag.ContainsKey(reserved))
            {
                var instead = reserved == "modelId" ? nameof(request.Model) : nameof(request.IdempotencyKey);
                errors.Add(new($"{OptionsPrefix}.{reserved}", $"cannot be set through provider options: set GenerationRequest.{instead} instead (MediaGen prices, validates and recovers the job by it)."));
            }
        }

        if (bag.TryGetPropertyValue(MeiGenRequestExtensions.MidjourneyOptionsField, out var node) && node is not null && model.IsMidjourney)
        {
            CheckMidjourneyOptions(node, model, errors);
        }
    }

    private static void CheckMidjourneyOptions(JsonNode node, MeiGenModel model, List<FieldError> errors)
    {
        var field = $"{OptionsPrefix}.{MeiGenRequestExtensions.MidjourneyOptionsField}";
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

        foreach (var legacy in new[] { "weird", "sv" })
        {
            if (options.ContainsKey(legacy) && !model.IsLegacyMidjourney)
            {
                errors.Add(new($"{field}.{legacy}", $"'{legacy}' is an older Midjourney option that {model.Id} does not take; only the legacy ids midjourney-v7 and midjourney-niji7 accept it."));
            }
        }

        if (model.IsLegacyMidjourney)
        {
            Range(options, "weird", 0, 3000, field, errors);
            Range(options, "sv", 1, 4, field, errors);
        }
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
