using System.Globalization;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Internal;

/// <summary>A MediaGen request translated for an MEAI generator.</summary>
internal sealed record TranslatedImageRequest(ImageGenerationRequest Request, ImageGenerationOptions Options, TranslationReport Report, bool CarriesKey)
{
    /// <summary>The options to send with the idempotency key attached (to a copy; the quoted options stay as they were quoted).</summary>
    public ImageGenerationOptions OptionsWithKey(string idempotencyKey)
    {
        if (!CarriesKey)
        {
            return Options;
        }

        var options = Options.Clone();
        options.AdditionalProperties = options.AdditionalProperties?.Clone() ?? [];
        options.AdditionalProperties[MediaGenAdditionalProperties.IdempotencyKey] = idempotencyKey;
        return options;
    }
}

/// <summary>Translates a <see cref="GenerationRequest"/> to an MEAI request and options, reporting every setting.</summary>
internal static class MediaRequestMapper
{
    private const int DefaultLongSide = 1024;

    public static TranslatedImageRequest Translate(GenerationRequest request, ModelCapabilities model, string provider, ImageGeneratorProviderOptions options)
    {
        var report = new TranslationReport(provider);
        var meaiOptions = new ImageGenerationOptions
        {
            ModelId = model.Id.Value,
            ResponseFormat = options.ResponseFormat,
        };
        report.Applied(nameof(GenerationRequest.Prompt), string.Create(CultureInfo.InvariantCulture, $"{request.Prompt.Length} characters"));
        report.Applied(nameof(GenerationRequest.Model), model.Id.Value);

        if (request.Count is { } count)
        {
            meaiOptions.Count = count;
            report.Applied(nameof(GenerationRequest.Count), count);
        }

        MapSize(request, model, meaiOptions, report);

        var originals = new List<AIContent>(request.ReferenceImages.Count);
        foreach (var uri in request.ReferenceImages)
        {
            originals.Add(new UriContent(uri, ImageMediaType(uri)));
        }

        if (originals.Count > 0)
        {
            report.Applied(nameof(GenerationRequest.ReferenceImages), string.Create(CultureInfo.InvariantCulture, $"{originals.Count} as OriginalImages (MEAI treats them as images to edit)"));
        }

        var carry = options.CarryUnmappedSettings;
        Unmapped(request.Seed, nameof(GenerationRequest.Seed), MediaGenAdditionalProperties.Seed, carry, meaiOptions, report);
        Unmapped(request.Tier?.Value, nameof(GenerationRequest.Tier), MediaGenAdditionalProperties.Tier, carry, meaiOptions, report);
        Unmapped(request.Quality, nameof(GenerationRequest.Quality), MediaGenAdditionalProperties.Quality, carry, meaiOptions, report);
        Unmapped(request.Style, nameof(GenerationRequest.Style), MediaGenAdditionalProperties.Style, carry, meaiOptions, report);
        Unmapped(request.Mode, nameof(GenerationRequest.Mode), MediaGenAdditionalProperties.Mode, carry, meaiOptions, report);
        Unmapped(request.DurationSeconds, nameof(GenerationRequest.DurationSeconds), MediaGenAdditionalProperties.DurationSeconds, carry, meaiOptions, report);
        Unmapped(request.ReferenceMode?.ToString().ToLowerInvariant(), nameof(GenerationRequest.ReferenceMode), MediaGenAdditionalProperties.ReferenceMode, carry, meaiOptions, report);

        if (request.ReferenceVideos.Count > 0)
        {
            report.Dropped(nameof(GenerationRequest.ReferenceVideos), request.ReferenceVideos.Count, "MEAI image generation takes no reference videos");
        }

        if (request.ReferenceAudio.Count > 0)
        {
            report.Dropped(nameof(GenerationRequest.ReferenceAudio), request.ReferenceAudio.Count, "MEAI image generation takes no reference audio");
        }

        if (request.Webhook is not null)
        {
            report.Dropped(nameof(GenerationRequest.Webhook), "webhook", "the MEAI call runs to completion; there is nothing to push");
        }

        if (carry)
        {
            // Lets a MediaGen-backed generator on the other side stay strict, and (attached when sending) dedupe by the key;
            // not vendor settings, so not reported.
            if (request.Strict)
            {
                (meaiOptions.AdditionalProperties ??= [])[MediaGenAdditionalProperties.Strict] = true;
            }
        }

        if (request.GetProviderOptions(provider) is { Count: > 0 } vendorOptions)
        {
            meaiOptions.AdditionalProperties ??= [];
            foreach (var (name, node) in vendorOptions)
            {
                meaiOptions.AdditionalProperties[name] = node?.DeepClone();
            }

            report.Applied(nameof(GenerationRequest.ProviderOptions), "AdditionalProperties: " + string.Join(", ", vendorOptions.Select(p => p.Key)));
        }

        options.ConfigureOptions?.Invoke(request, meaiOptions);
        var meaiRequest = new ImageGenerationRequest(request.Prompt, originals.Count > 0 ? originals : null);
        return new TranslatedImageRequest(meaiRequest, meaiOptions, report, carry);
    }

    private static void MapSize(GenerationRequest request, ModelCapabilities model, ImageGenerationOptions meaiOptions, TranslationReport report)
    {
        const string ratioField = nameof(GenerationRequest.AspectRatio);
        const string resolutionField = nameof(GenerationRequest.Resolution);
        var resolutionSide = request.Resolution is { } asked ? ImageSizes.LongSide(asked) : null;
        if (request.Resolution is { } r && resolutionSide is null)
        {
            report.Dropped(resolutionField, r, "not an image resolution class (0.5K, 1K, 2K, 3K, 4K), so it has no pixel size");
        }

        switch (request.AspectRatio)
        {
            case { IsExplicit: true } ratio:
                var side = resolutionSide
                    ?? (model.DefaultResolution is { } d ? ImageSizes.LongSide(d) : null)
                    ?? DefaultLongSide;
                var size = ImageSizes.FromRatio(ratio, side);
                meaiOptions.ImageSize = size;
                var sizeText = "ImageSize " + ImageSizes.Format(size);
                if ((long)size.Width * ratio.Height != (long)size.Height * ratio.Width)
                {
                    report.Adjusted(ratioField, ratio, sizeText, "MEAI takes a pixel size; the short side is rounded to whole pixels");
                }
                else
                {
                    report.Applied(ratioField, $"{ratio} ({sizeText})");
                }

                if (resolutionSide is not null)
                {
                    report.Applied(resolutionField, $"{request.Resolution} ({sizeText})");
                }

                break;
            case { IsAuto: true }:
                report.Applied(ratioField, "auto (ImageSize unset: the generator picks)");
                DropResolutionWithoutRatio(request, resolutionSide, report);
                break;
            case { } other:
                report.Dropped(ratioField, other, "MEAI cannot match a reference's ratio; the generator's default size is used");
                DropResolutionWithoutRatio(request, resolutionSide, report);
                break;
            default:
                DropResolutionWithoutRatio(request, resolutionSide, report);
                break;
        }
    }

    private static void DropResolutionWithoutRatio(GenerationRequest request, int? resolutionSide, TranslationReport report)
    {
        if (resolutionSide is not null)
        {
            report.Dropped(nameof(GenerationRequest.Resolution), request.Resolution, "MEAI takes a pixel size, which needs an explicit aspect ratio; set AspectRatio too");
        }
    }

    private static void Unmapped(object? value, string field, string key, bool carry, ImageGenerationOptions meaiOptions, TranslationReport report)
    {
        if (value is null)
        {
            return;
        }

        if (carry)
        {
            (meaiOptions.AdditionalProperties ??= [])[key] = value;
            report.Adjusted(field, value, $"AdditionalProperties[{key}]", $"ImageGenerationOptions has no {field}; sent as an additional property, honoured only by generators that read it");
        }
        else
        {
            report.Dropped(field, value, $"ImageGenerationOptions has no {field}");
        }
    }

    // The MEAI inference when the extension says an image type; otherwise the generic image type.
    private static string ImageMediaType(Uri uri)
    {
        var inferred = new UriContent(uri).MediaType;
        return inferred.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? inferred : "image/*";
    }
}
