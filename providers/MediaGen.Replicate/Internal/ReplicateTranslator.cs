using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaGen.Providers;

namespace MediaGen.Replicate.Internal;

/// <summary>What the translator produced: the create's body and headers, the report, and the values the price depends on.</summary>
/// <param name="Input">The model's <c>input</c> object.</param>
/// <param name="Report">Every setting applied, adjusted or dropped.</param>
/// <param name="Version">A version to run (<c>POST /v1/predictions</c>), or null for the official-model endpoint.</param>
/// <param name="CancelAfter">The <c>Cancel-After</c> deadline, as sent (<c>600s</c>).</param>
/// <param name="Webhook">The webhook URL, or null.</param>
/// <param name="WebhookEvents">The <c>webhook_events_filter</c>, or empty for Replicate's default.</param>
/// <param name="Resolution">The resolution sent, or null.</param>
/// <param name="DurationSeconds">The duration sent, or null.</param>
/// <param name="Images">How many images the prediction makes.</param>
internal sealed record Translation(
    JsonObject Input,
    TranslationReport Report,
    string? Version,
    string CancelAfter,
    Uri? Webhook,
    IReadOnlyList<string> WebhookEvents,
    string? Resolution,
    int? DurationSeconds,
    int Images)
{
    public string Prompt => Input["prompt"]?.GetValue<string>() ?? string.Empty;

    /// <summary>The create's JSON body: <c>input</c> (required), <c>version</c>, <c>webhook</c>, <c>webhook_events_filter</c> (R0; extra fields are forbidden).</summary>
    public string Body()
    {
        var body = new JsonObject();
        if (Version is not null)
        {
            body["version"] = Version;
        }

        body["input"] = Input.DeepClone();
        if (Webhook is not null)
        {
            body["webhook"] = Webhook.AbsoluteUri;
            if (WebhookEvents.Count > 0)
            {
                body["webhook_events_filter"] = new JsonArray([.. WebhookEvents.Select(e => (JsonNode)e)]);
            }
        }

        return body.ToJsonString();
    }
}

/// <summary>Translates a <see cref="GenerationRequest"/> into a Replicate create: the per-model <c>input</c> names of <see cref="ModelInputs"/>.</summary>
internal static partial class ReplicateTranslator
{
    /// <summary>The provider options the translator reads itself (they are not model inputs).</summary>
    public const string VersionOption = "version";

    public const string CancelAfterOption = "cancel_after";

    /// <summary>Replicate's webhook events (R0 <c>webhook_events_filter</c>).</summary>
    public static readonly string[] WebhookEvents = ["start", "output", "logs", "completed"];

    /// <summary>The capabilities the generic validator checks against: what this translator drops rather than refuses is widened.</summary>
    public static ModelCapabilities ValidationView(ReplicateModel model, GenerationRequest request)
    {
        var caps = model.Capabilities;
        return caps with
        {
            SupportsAutoAspectRatio = true, // 'auto' is dropped (the model's default applies), never refused
            SupportsSeed = true, // a seed the model does not take is dropped and reported
            MaxReferenceVideos = Math.Max(caps.MaxReferenceVideos, model.Inputs.ReferenceVideos is null ? request.ReferenceVideos.Count : 0),
            MaxReferenceAudio = Math.Max(caps.MaxReferenceAudio, model.Inputs.ReferenceAudio is null ? request.ReferenceAudio.Count : 0),
        };
    }

    /// <summary>Replicate's rules beyond the generic ones: webhook URL and events, the Cancel-After option, the version option.</summary>
    public static IEnumerable<FieldError> ValidateVendorRules(GenerationRequest request, ReplicateModel model)
    {
        if (request.Webhook is { } webhook)
        {
            if (!webhook.Url.IsAbsoluteUri || !(webhook.Url.Scheme == Uri.UriSchemeHttps || (webhook.Url.Scheme == Uri.UriSchemeHttp && webhook.Url.IsLoopback)))
            {
                yield return new("Webhook.Url", $"Replicate delivers webhooks to HTTPS URLs (and does not follow redirects); got '{webhook.Url}'.");
            }

            for (var i = 0; i < webhook.Events.Count; i++)
            {
                if (EventOf(webhook.Events[i]) is null)
                {
                    yield return new($"Webhook.Events[{i}]", $"'{webhook.Events[i]}' is not a Replicate webhook event; accepted: {string.Join(", ", WebhookEvents)} (and MediaGen's progress, failed).");
                }
            }
        }

        var options = request.GetProviderOptions(ReplicateProvider.Name);
        if (options?[CancelAfterOption] is { } cancelAfter && ParseDuration(LooseJson.Text(cancelAfter) ?? cancelAfter.ToJsonString()) is not { } parsed)
        {
            yield return new(ProviderOptionsMerge.Field(ReplicateProvider.Name, CancelAfterOption), $"'{cancelAfter.ToJsonString()}' is not a Replicate duration (e.g. 90s, 10m, 1h30m; a bare number is seconds).");
        }
        else if (options?[CancelAfterOption] is { } given && ParseDuration(LooseJson.Text(given) ?? given.ToJsonString()) is { } value && value < MinimumCancelAfter)
        {
            yield return new(ProviderOptionsMerge.Field(ReplicateProvider.Name, CancelAfterOption), "Replicate's minimum Cancel-After is 5 seconds.");
        }

        if (options?[VersionOption] is { } version && LooseJson.Text(version) is not { Length: > 0 })
        {
            yield return new(ProviderOptionsMerge.Field(ReplicateProvider.Name, VersionOption), "must be a version id (64 hex characters), owner/name or owner/name:id.");
        }

        _ = model;
    }

    /// <summary>Replicate's minimum <c>Cancel-After</c> (R0).</summary>
    public static readonly TimeSpan MinimumCancelAfter = TimeSpan.FromSeconds(5);

    public static Translation Translate(GenerationRequest request, ReplicateModel model, ReplicateOptions options)
    {
        var inputs = model.Inputs;
        var report = new TranslationReport(ReplicateProvider.Name);
        var input = new JsonObject { ["prompt"] = request.Prompt };
        report.Applied(nameof(request.Model), model.Slug);
        var slug = model.Slug;

        if (request.AspectRatio is { } ratio && !string.IsNullOrEmpty(ratio.Value))
        {
            if (ratio.IsAuto)
            {
                report.Dropped(nameof(request.AspectRatio), ratio.Value, $"{slug} has no 'auto' aspect ratio; its default applies");
            }
            else if (inputs.AspectRatio is { } name)
            {
                input[name] = ratio.Value;
                report.Applied(nameof(request.AspectRatio), ratio.Value);
            }
            else
            {
                report.Dropped(nameof(request.AspectRatio), ratio.Value, $"the documented {slug} schema has no aspect_ratio input");
            }
        }

        if (request.Resolution is { } resolution)
        {
            var wire = model.Capabilities.Resolutions.FirstOrDefault(r => r == resolution);
            if (inputs.Resolution is { } name && !string.IsNullOrEmpty(wire.Value))
            {
                input[name] = wire.Value;
                report.Applied(nameof(request.Resolution), wire.Value);
            }
            else
            {
                report.Dropped(nameof(request.Resolution), resolution.Value, $"{slug} takes no resolution setting");
            }
        }

        if (request.DurationSeconds is { } seconds)
        {
            if (inputs.Duration is { } name)
            {
                input[name] = seconds;
                report.Applied(nameof(request.DurationSeconds), seconds);
            }
            else
            {
                report.Dropped(nameof(request.DurationSeconds), seconds, $"{slug} is an image model; it takes no duration");
            }
        }

        if (request.Seed is { } seed)
        {
            if (inputs.Seed is { } name)
            {
                input[name] = seed;
                report.Applied(nameof(request.Seed), seed);
            }
            else
            {
                report.Dropped(nameof(request.Seed), seed, $"the {slug} schema has no seed input");
            }
        }

        var images = 1;
        if (request.Count is { } count)
        {
            if (inputs.Count is { } name)
            {
                input[name] = count;
                foreach (var (key, value) in inputs.CountCompanions)
                {
                    input[key] = value;
                }

                images = count;
                report.Applied(nameof(request.Count), count);
            }
            else if (count != 1)
            {
                report.Dropped(nameof(request.Count), count, $"{slug} makes one output per prediction");
            }
        }

        if (request.ReferenceImages.Count > 0)
        {
            if (inputs.Images is not { } name)
            {
                report.Dropped(nameof(request.ReferenceImages), request.ReferenceImages, $"{slug} takes no image input");
            }
            else if (inputs.ImagesIsSingle)
            {
                input[name] = request.ReferenceImages[0].OriginalString;
                if (request.ReferenceImages.Count > 1 && inputs.LastFrame is { } last)
                {
                    input[last] = request.ReferenceImages[1].OriginalString;
                }

                report.Applied(nameof(request.ReferenceImages), request.ReferenceImages);
            }
            else
            {
                input[name] = Urls(request.ReferenceImages);
                report.Applied(nameof(request.ReferenceImages), request.ReferenceImages);
            }
        }

        Media(inputs.ReferenceVideos, nameof(request.ReferenceVideos), [.. request.ReferenceVideos.Select(v => v.Url)]);
        Media(inputs.ReferenceAudio, nameof(request.ReferenceAudio), request.ReferenceAudio);

        if (request.Tier is { } tier)
        {
            report.Dropped(nameof(request.Tier), tier.Value, "Replicate has no tier input; the tier is its own model (e.g. google/veo-3.1-fast)");
        }

        if (!string.IsNullOrWhiteSpace(request.Quality))
        {
            report.Dropped(nameof(request.Quality), request.Quality, $"{slug} has no quality input in the documented schema");
        }

        if (!string.IsNullOrWhiteSpace(request.Style))
        {
            report.Dropped(nameof(request.Style), request.Style, $"{slug} has no style input");
        }

        if (!string.IsNullOrWhiteSpace(request.Mode))
        {
            report.Dropped(nameof(request.Mode), request.Mode, $"{slug} has no mode input");
        }

        if (request.ReferenceMode is { } referenceMode)
        {
            report.Dropped(nameof(request.ReferenceMode), referenceMode, "Replicate has no reference mode; the input name decides (first frame vs reference images)");
        }

        Uri? webhook = null;
        List<string> events = [];
        if (request.Webhook is { } hook)
        {
            webhook = hook.Url;
            report.Applied("Webhook.Url", hook.Url.AbsoluteUri);
            foreach (var e in hook.Events)
            {
                if (EventOf(e) is { } mapped && !events.Contains(mapped))
                {
                    events.Add(mapped);
                }
            }

            if (events.Count > 0)
            {
                report.Applied("Webhook.Events", string.Join(",", events));
            }
        }

        var providerOptions = request.GetProviderOptions(ReplicateProvider.Name);
        string? version = null;
        var cancelAfter = model.Capabilities.Kind == MediaKind.Video ? options.VideoCancelAfter : options.ImageCancelAfter;
        if (providerOptions is not null)
        {
            if (LooseJson.Text(providerOptions[VersionOption]) is { Length: > 0 } v)
            {
                version = v.Trim();
                report.Applied(ProviderOptionsMerge.Field(ReplicateProvider.Name, VersionOption), version);
            }

            if (providerOptions[CancelAfterOption] is { } ca && ParseDuration(LooseJson.Text(ca) ?? ca.ToJsonString()) is { } parsed)
            {
                cancelAfter = parsed;
                report.Applied(ProviderOptionsMerge.Field(ReplicateProvider.Name, CancelAfterOption), FormatDuration(parsed));
            }

            ProviderOptionsMerge.Merge(providerOptions, input, report, ReplicateProvider.Name,
                dropReason: (key, _) => key == "prompt" ? "set the prompt through the request (the paying-once lookup matches on the input)" : null,
                handledElsewhere: key => key is VersionOption or CancelAfterOption);
        }

        return new Translation(
            input,
            report,
            version,
            FormatDuration(cancelAfter < MinimumCancelAfter ? MinimumCancelAfter : cancelAfter),
            webhook,
            events,
            inputs.Resolution is { } r && LooseJson.Text(input[r]) is { } res ? res : null,
            inputs.Duration is { } d && input[d] is JsonValue dv && dv.TryGetValue<int>(out var dur) ? dur : null,
            images);

        void Media(string? name, string field, IList<Uri> urls)
        {
            if (urls.Count == 0)
            {
                return;
            }

            if (name is null)
            {
                report.Dropped(field, urls, $"{slug} takes no {field switch { "ReferenceVideos" => "reference videos", _ => "reference audio" }}");
            }
            else
            {
                input[name] = Urls(urls);
                report.Applied(field, urls);
            }
        }
    }

    /// <summary>A MediaGen or Replicate event name → Replicate's (<c>completed</c>/<c>failed</c> → <c>completed</c>, <c>progress</c> → <c>output</c>).</summary>
    public static string? EventOf(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "completed" or "failed" => "completed",
        "progress" or "output" => "output",
        "start" => "start",
        "logs" => "logs",
        _ => null,
    };

    /// <summary>Parses a Replicate duration (R0: suffixes s, m, h, combinable, a bare number = seconds).</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var s = text.Trim().Trim('"');
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            return bare <= 86_400 ? TimeSpan.FromSeconds(bare) : null;
        }

        var match = DurationPattern().Match(s);
        if (!match.Success || match.Length == 0)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        total += match.Groups["h"].Success ? TimeSpan.FromHours(int.Parse(match.Groups["h"].ValueSpan, CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        total += match.Groups["m"].Success ? TimeSpan.FromMinutes(int.Parse(match.Groups["m"].ValueSpan, CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        total += match.Groups["s"].Success ? TimeSpan.FromSeconds(int.Parse(match.Groups["s"].ValueSpan, CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        return total;
    }

    /// <summary>Writes a duration as whole seconds (<c>600s</c>), rounded up.</summary>
    public static string FormatDuration(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Ceiling(value.TotalSeconds)}s");

    [GeneratedRegex(@"^(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,5})m)?(?:(?<s>\d{1,6})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

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
