using System.Globalization;

namespace MediaGen;

/// <summary>
/// Validates a request against a model's capabilities before any network call and reports every bad field at once.
/// </summary>
/// <remarks>
/// A value outside a vocabulary the model declares (ratios, resolutions, durations, tiers, qualities, modes,
/// styles) is an error. A setting the model does not take at all (an empty vocabulary) is not an error here:
/// the vendor's translator drops it and says so in the <see cref="TranslationReport"/> (strict mode refuses).
/// </remarks>
public static class RequestValidator
{
    /// <summary>The longest idempotency key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>
    /// The longest prompt accepted whatever the model (a model's own, usually lower, limit applies too). No vendor
    /// documents a longer one; a longer prompt is a mistake (a file passed as the prompt) and must not be sent or billed.
    /// </summary>
    public const int AbsoluteMaxPromptLength = 32_768;

    /// <summary>Validates the request; returns null when it is valid.</summary>
    /// <param name="request">The request.</param>
    /// <param name="capabilities">The model's capabilities at this provider.</param>
    /// <param name="provider">The provider (named in messages).</param>
    /// <returns>The error naming every bad field, or null.</returns>
    public static InvalidRequestError? Validate(GenerationRequest request, ModelCapabilities capabilities, string provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(capabilities);
        var errors = new List<FieldError>();
        ValidateBasics(request, errors);
        var where = $"{capabilities.Id} at {provider}";

        if (!string.IsNullOrWhiteSpace(request.Prompt) && request.Prompt.Length > capabilities.MaxPromptLength)
        {
            errors.Add(new(nameof(request.Prompt), $"is {request.Prompt.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; {where} accepts at most {capabilities.MaxPromptLength.ToString("N0", CultureInfo.InvariantCulture)}."));
        }

        ValidateAspectRatio(request, capabilities, where, errors);

        if (request.Resolution is { } resolution)
        {
            var offered = capabilities.ResolutionsFor(request.Tier ?? capabilities.DefaultTier);
            if (offered.Count > 0 && !offered.Contains(resolution))
            {
                var tierText = request.Tier is { } t && capabilities.ResolutionsByTier.ContainsKey(t) ? $" in tier {t}" : string.Empty;
                errors.Add(new(nameof(request.Resolution), $"'{resolution}' is not offered by {where}{tierText}; accepted: {Join(offered)}."));
            }
        }

        if (request.DurationSeconds is { } seconds && seconds > 0 && capabilities.Durations is { } durations && !durations.Accepts(seconds))
        {
            errors.Add(new(nameof(request.DurationSeconds), $"{seconds} s is not offered by {where}; accepted: {durations}."));
        }

        if (request.Tier is { } tier && capabilities.Tiers.Count > 0 && !capabilities.Tiers.Contains(tier))
        {
            errors.Add(new(nameof(request.Tier), $"'{tier}' is not offered by {where}; accepted: {Join(capabilities.Tiers)}."));
        }

        CheckVocabulary(nameof(request.Quality), request.Quality, capabilities.Qualities, where, errors);
        CheckVocabulary(nameof(request.Mode), request.Mode, capabilities.Modes, where, errors);
        CheckVocabulary(nameof(request.Style), request.Style, capabilities.Styles, where, errors);

        if (request.Count is { } count && count > capabilities.MaxCount)
        {
            errors.Add(new(nameof(request.Count), $"{count} outputs requested; {where} produces at most {capabilities.MaxCount} per request."));
        }

        CheckCount(nameof(request.ReferenceImages), request.ReferenceImages.Count, capabilities.MaxReferenceImages, "reference images", where, errors);
        CheckCount(nameof(request.ReferenceVideos), request.ReferenceVideos.Count, capabilities.MaxReferenceVideos, "reference videos", where, errors);
        CheckCount(nameof(request.ReferenceAudio), request.ReferenceAudio.Count, capabilities.MaxReferenceAudio, "reference audio tracks", where, errors);

        if (capabilities.ReferenceVideoRequiresDuration)
        {
            for (var i = 0; i < request.ReferenceVideos.Count; i++)
            {
                if (request.ReferenceVideos[i] is { DurationSeconds: null })
                {
                    errors.Add(new($"{nameof(request.ReferenceVideos)}[{i}].{nameof(ReferenceVideo.DurationSeconds)}", $"continuation on {where} is billed on the reference video's length plus the new duration: give the reference video's length in seconds."));
                }
            }
        }

        return errors.Count == 0 ? null : new InvalidRequestError(errors, provider);
    }

    /// <summary>
    /// Validates what holds at every vendor (prompt present, positive numbers, well-formed HTTPS URLs, key shape);
    /// returns null when valid. <see cref="Validate(GenerationRequest, ModelCapabilities, string)"/> includes these checks.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The error naming every bad field, or null.</returns>
    public static InvalidRequestError? ValidateBasics(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        ValidateBasics(request, errors);
        return errors.Count == 0 ? null : new InvalidRequestError(errors);
    }

    private static void ValidateBasics(GenerationRequest request, List<FieldError> errors)
    {
        if (request.Model.IsEmpty)
        {
            errors.Add(new(nameof(request.Model), "is required: a canonical slug such as 'nano-banana-2' or a vendor's own model id."));
        }

        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            errors.Add(new(nameof(request.Prompt), "must not be empty or white space."));
        }
        else if (request.Prompt.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(new(nameof(request.Prompt), "must not contain NUL characters."));
        }
        else if (request.Prompt.Length > AbsoluteMaxPromptLength)
        {
            errors.Add(new(nameof(request.Prompt), $"is {request.Prompt.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; no model accepts more than {AbsoluteMaxPromptLength.ToString("N0", CultureInfo.InvariantCulture)}."));
        }
        else if (IndexOfUnpairedSurrogate(request.Prompt) is int broken and >= 0)
        {
            errors.Add(new(nameof(request.Prompt), $"must be valid Unicode text; it has an unpaired surrogate (U+{(int)request.Prompt[broken]:X4}) at index {broken}."));
        }

        if (request.DurationSeconds is { } seconds && seconds <= 0)
        {
            errors.Add(new(nameof(request.DurationSeconds), $"must be a positive number of seconds; got {seconds}."));
        }

        if (request.Count is { } count && count < 1)
        {
            errors.Add(new(nameof(request.Count), $"must be at least 1; got {count}."));
        }

        if (request.Seed is { } seed && seed < 0)
        {
            errors.Add(new(nameof(request.Seed), $"must not be negative; got {seed}."));
        }

        if (request.Quality is { } quality && string.IsNullOrWhiteSpace(quality))
        {
            errors.Add(new(nameof(request.Quality), "must not be white space; leave it null for the vendor's default."));
        }

        CheckUrls(nameof(request.ReferenceImages), request.ReferenceImages, errors);
        CheckUrls(nameof(request.ReferenceAudio), request.ReferenceAudio, errors);
        for (var i = 0; i < request.ReferenceVideos.Count; i++)
        {
            var video = request.ReferenceVideos[i];
            if (video is null)
            {
                errors.Add(new($"{nameof(request.ReferenceVideos)}[{i}]", "must not be null."));
                continue;
            }

            CheckUrl($"{nameof(request.ReferenceVideos)}[{i}].{nameof(ReferenceVideo.Url)}", video.Url, errors);
            if (video.DurationSeconds is { } length && (double.IsNaN(length) || double.IsInfinity(length) || length <= 0))
            {
                errors.Add(new($"{nameof(request.ReferenceVideos)}[{i}].{nameof(ReferenceVideo.DurationSeconds)}", $"must be a positive, finite number of seconds; got {length.ToString(CultureInfo.InvariantCulture)}."));
            }
        }

        if (request.Webhook is { } webhook)
        {
            var url = webhook.Url;
            if (!Providers.HttpsOrLoopbackAttribute.IsAllowed(url))
            {
                errors.Add(new($"{nameof(request.Webhook)}.{nameof(WebhookOptions.Url)}", $"must be an absolute https URL (http only for loopback); got '{url}'."));
            }
        }

        if (request.IdempotencyKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Length > MaxIdempotencyKeyLength))
        {
            errors.Add(new(nameof(request.IdempotencyKey), $"must be 1–{MaxIdempotencyKeyLength} non-blank characters (a UUID is typical)."));
        }
        else if (request.IdempotencyKey is { } sent && sent.AsSpan().IndexOfAnyExceptInRange('!', '~') is int bad and >= 0)
        {
            // The key may travel in an HTTP header (a vendor's Idempotency-Key): a CR/LF in it would inject headers.
            errors.Add(new(nameof(request.IdempotencyKey), $"must be visible ASCII characters only (it is sent as an HTTP header); it has U+{(int)sent[bad]:X4} at index {bad}."));
        }
    }

    private static void ValidateAspectRatio(GenerationRequest request, ModelCapabilities capabilities, string where, List<FieldError> errors)
    {
        if (request.AspectRatio is not { } ratio || string.IsNullOrEmpty(ratio.Value))
        {
            return;
        }

        if (ratio.IsAdaptive)
        {
            if (!capabilities.SupportsAdaptiveAspectRatio)
            {
                errors.Add(new(nameof(request.AspectRatio), $"'adaptive' is not offered by {where}."));
            }
            else if (request.ReferenceImages.Count == 0 && request.ReferenceVideos.Count == 0)
            {
                errors.Add(new(nameof(request.AspectRatio), $"'adaptive' matches the reference media, so it needs a reference image or video; {where} gives undefined results without one."));
            }

            return;
        }

        if (ratio.IsAuto)
        {
            if (!capabilities.SupportsAutoAspectRatio && capabilities.AspectRatios.Count > 0)
            {
                errors.Add(new(nameof(request.AspectRatio), $"'auto' is not offered by {where}; accepted: {Join(capabilities.AspectRatios)}."));
            }

            return;
        }

        if (capabilities.AspectRatios.Count > 0 && !capabilities.AspectRatios.Contains(ratio))
        {
            errors.Add(new(nameof(request.AspectRatio), $"'{ratio}' is not offered by {where}; accepted: {Join(capabilities.AspectRatios)}."));
        }
    }

    private static void CheckVocabulary(string field, string? value, IReadOnlyList<string> offered, string where, List<FieldError> errors)
    {
        if (!string.IsNullOrWhiteSpace(value) && offered.Count > 0 && !offered.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(new(field, $"'{value}' is not offered by {where}; accepted: {string.Join(", ", offered)}."));
        }
    }

    private static void CheckCount(string field, int given, int max, string what, string where, List<FieldError> errors)
    {
        if (given > max)
        {
            errors.Add(new(field, max == 0 ? $"{where} accepts no {what}; {given} given." : $"{given} {what} given; {where} accepts at most {max}."));
        }
    }

    private static void CheckUrls(string field, IList<Uri> urls, List<FieldError> errors)
    {
        for (var i = 0; i < urls.Count; i++)
        {
            CheckUrl($"{field}[{i}]", urls[i], errors);
        }
    }

    private static void CheckUrl(string field, Uri? url, List<FieldError> errors)
    {
        if (url is null)
        {
            errors.Add(new(field, "must not be null."));
        }
        else if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(url.Host))
        {
            errors.Add(new(field, $"must be a public absolute https URL; got '{url.OriginalString}'."));
        }
    }

    private static string Join<T>(IEnumerable<T> values) => string.Join(", ", values);

    private static int IndexOfUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
