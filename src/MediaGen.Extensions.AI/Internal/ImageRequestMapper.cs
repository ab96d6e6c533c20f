using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Internal;

/// <summary>
/// What an MEAI request became: the MediaGen request, a report of what happened to each MEAI setting, and the original
/// images given as bytes that must be uploaded before submitting (each goes into <c>ReferenceImages</c> at its position).
/// </summary>
internal sealed record MappedImageRequest(GenerationRequest Request, TranslationReport Report, bool WantsData, IReadOnlyList<PendingUpload> Uploads);

/// <summary>An original image given as bytes: <paramref name="Position"/> is its index in the final <c>ReferenceImages</c>.</summary>
internal sealed record PendingUpload(int Position, string Field, DataContent Content);

/// <summary>Maps an MEAI <see cref="ImageGenerationRequest"/> and <see cref="ImageGenerationOptions"/> to a <see cref="GenerationRequest"/>.</summary>
internal static class ImageRequestMapper
{
    private const string ClassList = "0.5K = 512, 1K = 1024, 2K = 2048, 3K = 3072, 4K = 4096 px";

    public static MappedImageRequest Map(
        ImageGenerationRequest request,
        ImageGenerationOptions? options,
        IImageGenerator self,
        string provider,
        ModelId? defaultModel,
        bool canUpload)
    {
        // Native values win (the MEAI RawRepresentationFactory convention), then mediagen.* keys, then typed MEAI options.
        var target = options?.RawRepresentationFactory?.Invoke(self) is GenerationRequest native ? native.Clone() : new GenerationRequest();
        var report = new TranslationReport(provider);

        if (!string.IsNullOrEmpty(request.Prompt))
        {
            target.Prompt = request.Prompt;
        }

        if (target.Model.IsEmpty)
        {
            if (!string.IsNullOrWhiteSpace(options?.ModelId))
            {
                target.Model = new ModelId(options.ModelId);
            }
            else if (defaultModel is { IsEmpty: false } model)
            {
                target.Model = model;
            }
            else
            {
                throw new InvalidOperationException(
                    $"No model to generate with: set ImageGenerationOptions.ModelId or {nameof(MediaGenImageGeneratorOptions)}.{nameof(MediaGenImageGeneratorOptions.DefaultModel)}.");
            }
        }

        var uploads = MapOriginalImages(request, target, canUpload);
        if (options is null)
        {
            return new MappedImageRequest(target, report, false, uploads);
        }

        MapAdditionalProperties(options, target, report, provider);

        if (options.Count is { } count && target.Count is null)
        {
            target.Count = count;
        }

        if (options.ImageSize is { } size)
        {
            MapImageSize(size, target, report, provider);
        }

        var wantsData = false;
        switch (options.ResponseFormat)
        {
            case ImageGenerationResponseFormat.Data:
                wantsData = true;
                break;
            case ImageGenerationResponseFormat.Hosted:
                report.Adjusted(nameof(ImageGenerationOptions.ResponseFormat), "Hosted", "Uri", "MediaGen outputs are vendor URLs, not hosted file ids");
                break;
            default:
                break;
        }

        if (!string.IsNullOrWhiteSpace(options.MediaType))
        {
            report.Dropped(nameof(ImageGenerationOptions.MediaType), options.MediaType, "MediaGen cannot ask a vendor for an output format; each content carries the vendor's actual media type");
        }

        if (options.StreamingCount is > 0)
        {
            report.Dropped(nameof(ImageGenerationOptions.StreamingCount), options.StreamingCount, "MediaGen jobs do not stream partial images");
        }

        return new MappedImageRequest(target, report, wantsData, uploads);
    }

    private static List<PendingUpload> MapOriginalImages(ImageGenerationRequest request, GenerationRequest target, bool canUpload)
    {
        var uploads = new List<PendingUpload>();
        if (request.OriginalImages is null)
        {
            return uploads;
        }

        var index = 0;
        foreach (var content in request.OriginalImages)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"ImageGenerationRequest.OriginalImages[{index}]");
            switch (content)
            {
                case UriContent uri:
                    target.ReferenceImages.Add(uri.Uri);
                    break;
                case DataContent data when !data.HasTopLevelMediaType("image"):
                    throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                        $"{field} is a DataContent of {data.MediaType}: original images must be images (image/*)."));
                case DataContent data when canUpload:
                    // Its slot in ReferenceImages: the URLs before it plus the uploads before it, so order is kept.
                    uploads.Add(new PendingUpload(target.ReferenceImages.Count + uploads.Count, field, data));
                    break;
                case DataContent data:
                    throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                        $"{field} is a DataContent ({data.MediaType}, {data.Data.Length} bytes): vendors take reference images as public HTTPS URLs, so bytes must be uploaded first. Set {nameof(MediaGenImageGeneratorOptions)}.{nameof(MediaGenImageGeneratorOptions.Uploader)} (e.g. a {nameof(DelegateMediaUploader)} over your own storage; no vendor documents an upload endpoint), or pass a UriContent."));
                case null:
                    throw new NotSupportedException($"{field} is null.");
                default:
                    throw new NotSupportedException(
                        $"{field} is a {content.GetType().Name}: MediaGen takes reference images as UriContent (public HTTPS URLs), or as DataContent with {nameof(MediaGenImageGeneratorOptions)}.{nameof(MediaGenImageGeneratorOptions.Uploader)} set.");
            }

            index++;
        }

        return uploads;
    }

    private static void MapImageSize(System.Drawing.Size size, GenerationRequest target, TranslationReport report, string provider)
    {
        const string field = nameof(ImageGenerationOptions.ImageSize);
        var text = ImageSizes.Format(size);
        if (size.Width <= 0 || size.Height <= 0)
        {
            throw new InvalidRequestError(field, $"{text} is not a size; both sides must be positive.", provider).ToException();
        }

        var (ratio, exact) = ImageSizes.ToAspectRatio(size);
        var resolution = ImageSizes.ToResolution(size);
        if (target.AspectRatio is { } already)
        {
            report.Dropped(field, text, $"the aspect ratio is already set to {already}");
            return;
        }

        target.AspectRatio = ratio;
        var resolutionText = string.Empty;
        if (resolution is { } r)
        {
            if (target.Resolution is null)
            {
                target.Resolution = r;
                resolutionText = $", resolution {r}";
            }
        }

        var to = $"aspect ratio {ratio}{resolutionText}";
        if (!exact)
        {
            report.Adjusted(field, text, to, $"the exact ratio has parts over 100; {ratio} is the nearest ratio MediaGen can send");
        }
        else if (resolution is null)
        {
            report.Adjusted(field, text, to, $"the pixel size is not sent: no MediaGen resolution class has a {Math.Max(size.Width, size.Height)}-px long side ({ClassList}), so the model's default resolution applies");
        }
        else
        {
            report.Applied(field, to);
        }
    }

    private static void MapAdditionalProperties(ImageGenerationOptions options, GenerationRequest target, TranslationReport report, string provider)
    {
        if (options.AdditionalProperties is not { Count: > 0 } properties)
        {
            return;
        }

        foreach (var (key, value) in properties)
        {
            var field = $"AdditionalProperties[{key}]";
            if (key.StartsWith(MediaGenAdditionalProperties.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                ApplySetting(key, value, field, target, report, provider);
                continue;
            }

            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == key.Length - 1)
            {
                report.Dropped(field, Describe(value), "not namespaced: write 'provider.field' (e.g. 'meigen.negativePrompt') to send it to one vendor");
                continue;
            }

            var vendor = key[..dot];
            var name = key[(dot + 1)..];
            if (!PropertyValues.TryToJsonNode(value, out var node))
            {
                throw new InvalidRequestError(field, $"is a {value!.GetType().Name}; provider options take JSON values (JsonNode, JsonElement, strings, numbers, Booleans).", provider).ToException();
            }

            if (!target.ProviderOptions.TryGetValue(vendor, out var bag))
            {
                bag = new JsonObject();
                target.ProviderOptions[vendor] = bag;
            }

            if (bag.ContainsKey(name))
            {
                report.Dropped(field, Describe(value), $"the raw request already sets {vendor}.{name}");
                continue;
            }

            bag[name] = node;
        }
    }

    private static void ApplySetting(string key, object? value, string field, GenerationRequest target, TranslationReport report, string provider)
    {
        MediaGenException Invalid(string message) => new InvalidRequestError(field, message, provider).ToException();

        string Text()
        {
            if (!PropertyValues.TryGetString(value, out var text) || string.IsNullOrWhiteSpace(text))
            {
                throw Invalid($"must be a non-empty string; got {Describe(value)}.");
            }

            return text.Trim();
        }

        long Number()
        {
            if (!PropertyValues.TryGetInt64(value, out var number))
            {
                throw Invalid($"must be a whole number; got {Describe(value)}.");
            }

            return number;
        }

        void AlreadySet(string setting) => report.Dropped(field, Describe(value), $"{setting} is already set by the raw request");

        switch (key.ToLowerInvariant())
        {
            case MediaGenAdditionalProperties.AspectRatio:
                var ratioText = Text();
                if (!MediaGen.AspectRatio.TryParse(ratioText, out var ratio))
                {
                    throw Invalid($"'{ratioText}' is not an aspect ratio; expected 'auto', 'adaptive' or W:H such as '16:9'.");
                }

                if (target.AspectRatio is null)
                {
                    target.AspectRatio = ratio;
                }
                else
                {
                    AlreadySet("AspectRatio");
                }

                break;
            case MediaGenAdditionalProperties.Resolution:
                var resolution = new Resolution(Text());
                if (target.Resolution is null)
                {
                    target.Resolution = resolution;
                }
                else
                {
                    AlreadySet("Resolution");
                }

                break;
            case MediaGenAdditionalProperties.DurationSeconds:
                var seconds = Number();
                if (seconds is <= 0 or > int.MaxValue)
                {
                    throw Invalid($"must be a positive number of seconds; got {seconds.ToString(CultureInfo.InvariantCulture)}.");
                }

                target.DurationSeconds ??= (int)seconds;
                break;
            case MediaGenAdditionalProperties.Tier:
                target.Tier ??= new GenerationTier(Text().ToLowerInvariant());
                break;
            case MediaGenAdditionalProperties.Quality:
                target.Quality ??= Text();
                break;
            case MediaGenAdditionalProperties.Seed:
                target.Seed ??= Number();
                break;
            case MediaGenAdditionalProperties.Style:
                target.Style ??= Text();
                break;
            case MediaGenAdditionalProperties.Mode:
                target.Mode ??= Text();
                break;
            case MediaGenAdditionalProperties.ReferenceMode:
                var modeText = Text();
                if (!Enum.TryParse<ReferenceMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
                {
                    throw Invalid($"'{modeText}' is not a reference mode; expected one of {string.Join(", ", Enum.GetNames<ReferenceMode>())}.");
                }

                target.ReferenceMode ??= mode;
                break;
            case MediaGenAdditionalProperties.IdempotencyKey:
                target.IdempotencyKey ??= Text();
                break;
            case MediaGenAdditionalProperties.Strict:
                if (!PropertyValues.TryGetBoolean(value, out var strict))
                {
                    throw Invalid($"must be true or false; got {Describe(value)}.");
                }

                target.Strict |= strict;
                break;
            default:
                throw Invalid($"is not a MediaGen setting; known keys: {string.Join(", ", MediaGenAdditionalProperties.SettingKeys)}.");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? value.GetType().Name,
    };
}
