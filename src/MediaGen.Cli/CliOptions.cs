using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MediaGen.Routing;

namespace MediaGen.Cli;

/// <summary>The options shared by commands, and turning them into a <see cref="GenerationRequest"/>.</summary>
internal sealed class CliOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document on stdout and nothing else." };

    public Option<bool> SandboxFlag { get; } = new("--sandbox") { Description = "Use the built-in emulators even when API keys are set." };

    public Option<string[]> UsdPerCredit { get; } = new("--usd-per-credit") { Description = "USD value of one credit, e.g. meigen=0.012 (repeatable; overrides <VENDOR>_USD_PER_CREDIT).", AllowMultipleArgumentsPerToken = false };

    public Option<string> Model { get; } = new("--model", "-m") { Description = "Canonical model slug (e.g. nano-banana-2) or a vendor's own id.", Required = true };

    public Option<string[]> Provider { get; } = new("--provider", "-p") { Description = "Vendor to use (repeatable: the preference order).", AllowMultipleArgumentsPerToken = false };

    public Option<string> AspectRatio { get; } = new("--aspect-ratio") { Description = "auto, adaptive or W:H (e.g. 16:9)." };

    public Option<string> Resolution { get; } = new("--resolution") { Description = "e.g. 1K, 2K, 4K, 480p, 720p, 1080p." };

    public Option<int?> Duration { get; } = new("--duration") { Description = "Video duration in seconds." };

    public Option<string> Tier { get; } = new("--tier") { Description = "fast or pro, for the models sold in tiers (Seedance 2.0, Veo 3.1); others ignore it." };

    public Option<string> Quality { get; } = new("--quality") { Description = "e.g. low, medium, high." };

    public Option<int?> Count { get; } = new("--count") { Description = "Number of images." };

    public Option<long?> Seed { get; } = new("--seed") { Description = "Random seed." };

    public Option<string[]> ReferenceImage { get; } = new("--reference-image") { Description = "Reference image URL (https; repeatable)." };

    public Option<string> ReferenceVideo { get; } = new("--reference-video") { Description = "Reference video URL (https)." };

    public Option<double?> ReferenceVideoDuration { get; } = new("--reference-video-duration") { Description = "Length of the reference video in seconds (continuation)." };

    public Option<string> Style { get; } = new("--style") { Description = "Style preset (vendor vocabulary)." };

    public Option<string> Mode { get; } = new("--mode") { Description = "Generation mode (vendor vocabulary)." };

    public Option<string[]> ProviderOption { get; } = new("--option") { Description = "Provider option provider.key=value, merged into that vendor's body only (repeatable)." };

    public Option<string> Strategy { get; } = new("--strategy") { Description = "ordered, cheapest or fastest." };

    public void AddSettings(Command command)
    {
        foreach (var option in new Option[] { Model, Provider, AspectRatio, Resolution, Duration, Tier, Quality, Count, Seed, ReferenceImage, ReferenceVideo, ReferenceVideoDuration, Style, Mode, ProviderOption, Strategy })
        {
            command.Options.Add(option);
        }
    }

    public void AddCommon(Command command)
    {
        command.Options.Add(Json);
        command.Options.Add(SandboxFlag);
        command.Options.Add(UsdPerCredit);
    }

    /// <summary>Builds the request; malformed values become a field error naming the flag.</summary>
    public GenerationRequest BuildRequest(ParseResult parse, string prompt)
    {
        var errors = new List<FieldError>();
        var request = new GenerationRequest
        {
            Prompt = prompt,
            DurationSeconds = parse.GetValue(Duration),
            Count = parse.GetValue(Count),
            Seed = parse.GetValue(Seed),
            Quality = parse.GetValue(Quality),
            Style = parse.GetValue(Style),
            Mode = parse.GetValue(Mode),
        };
        var model = parse.GetValue(Model);
        if (!string.IsNullOrWhiteSpace(model))
        {
            request.Model = model;
        }

        if (parse.GetValue(AspectRatio) is { } ratio)
        {
            if (MediaGen.AspectRatio.TryParse(ratio, out var parsed))
            {
                request.AspectRatio = parsed;
            }
            else
            {
                errors.Add(new FieldError("--aspect-ratio", $"'{ratio}' is not auto, adaptive or W:H (e.g. 16:9)."));
            }
        }

        if (parse.GetValue(Resolution) is { } resolution && !string.IsNullOrWhiteSpace(resolution))
        {
            request.Resolution = resolution;
        }

        if (parse.GetValue(Tier) is { } tier && !string.IsNullOrWhiteSpace(tier))
        {
            request.Tier = tier;
        }

        foreach (var url in parse.GetValue(ReferenceImage) ?? [])
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                request.ReferenceImages.Add(uri);
            }
            else
            {
                errors.Add(new FieldError("--reference-image", $"'{url}' is not an absolute URL."));
            }
        }

        if (parse.GetValue(ReferenceVideo) is { } video)
        {
            if (Uri.TryCreate(video, UriKind.Absolute, out var uri))
            {
                request.ReferenceVideos.Add(new MediaGen.ReferenceVideo(uri, parse.GetValue(ReferenceVideoDuration)));
            }
            else
            {
                errors.Add(new FieldError("--reference-video", $"'{video}' is not an absolute URL."));
            }
        }
        else if (parse.GetValue(ReferenceVideoDuration) is not null)
        {
            errors.Add(new FieldError("--reference-video-duration", "needs --reference-video."));
        }

        foreach (var option in parse.GetValue(ProviderOption) ?? [])
        {
            var dot = option.IndexOf('.', StringComparison.Ordinal);
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            if (dot <= 0 || eq <= dot + 1)
            {
                errors.Add(new FieldError("--option", $"'{option}' is not provider.key=value (e.g. meigen.modelVariant=fast)."));
                continue;
            }

            var provider = option[..dot];
            var key = option[(dot + 1)..eq];
            var value = option[(eq + 1)..];
            if (!request.ProviderOptions.TryGetValue(provider, out var bag))
            {
                request.ProviderOptions[provider] = bag = [];
            }

            bag[key] = ParseOptionValue(value);
        }

        var providers = parse.GetValue(Provider) ?? [];
        var strategyText = parse.GetValue(Strategy);
        RoutingStrategy? strategy = null;
        if (strategyText is not null)
        {
            strategy = strategyText.ToLowerInvariant() switch
            {
                "ordered" => RoutingStrategy.Ordered,
                "cheapest" => RoutingStrategy.Cheapest,
                "fastest" => RoutingStrategy.Fastest,
                _ => null,
            };
            if (strategy is null)
            {
                errors.Add(new FieldError("--strategy", $"'{strategyText}' is not ordered, cheapest or fastest."));
            }
        }

        if (providers.Length > 0 || strategy is not null)
        {
            request.Routing = new RoutingPreferences
            {
                Preference = [.. providers],
                AllowedProviders = [.. providers],
                Strategy = strategy ?? (providers.Length > 0 ? RoutingStrategy.Ordered : null),
            };
        }

        if (errors.Count > 0)
        {
            throw new CliInvalidSettingsException(new InvalidRequestError(errors));
        }

        return request;
    }

    private static JsonValue ParseOptionValue(string value)
    {
        if (bool.TryParse(value, out var b))
        {
            return JsonValue.Create(b);
        }

        if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(value);
    }
}

/// <summary>Settings that could not even be parsed into a request.</summary>
internal sealed class CliInvalidSettingsException(InvalidRequestError error) : Exception(error.Message)
{
    public InvalidRequestError Error { get; } = error;
}
