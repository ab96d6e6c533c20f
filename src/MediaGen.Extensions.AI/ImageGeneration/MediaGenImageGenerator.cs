using System.Diagnostics;
using System.Globalization;
using MediaGen.Extensions.AI.Internal;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI;

/// <summary>An <see cref="IMediaGenerator"/> (a provider or the router) seen as an MEAI <see cref="IImageGenerator"/>.</summary>
internal sealed class MediaGenImageGenerator : IImageGenerator
{
    // The OpenTelemetry GenAI attributes MEAI's UseOpenTelemetry writes (and the two it leaves empty for images).
    private const string GenAiOperationName = "gen_ai.operation.name";
    private const string GenAiProviderName = "gen_ai.provider.name";
    private const string GenAiResponseId = "gen_ai.response.id";
    private const string GenAiResponseModel = "gen_ai.response.model";

    private readonly IMediaGenerator _generator;
    private readonly string _name;
    private readonly MediaGenImageGeneratorOptions _options;
    private readonly ImageGeneratorMetadata _metadata;

    public MediaGenImageGenerator(IMediaGenerator generator, MediaGenImageGeneratorOptions? options)
    {
        _generator = generator;
        _options = options?.Copy() ?? new MediaGenImageGeneratorOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxDownloadBytes, "options.MaxDownloadBytes");
        var metadata = generator.GetMetadata();
        _name = metadata.Name;
        _metadata = new ImageGeneratorMetadata(metadata.Name, metadata.Endpoint, _options.DefaultModel?.Value);
    }

    public async Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uploader = _options.Uploader;
        var mapped = ImageRequestMapper.Map(request, options, this, _name, _options.DefaultModel, canUpload: uploader is not null);

        // Everything that can refuse the call does so before anything is uploaded or submitted (and paid for).
        if (mapped.Report.ToStrictError(mapped.Request.Strict) is { } strict)
        {
            throw strict.ToException();
        }

        var http = _options.HttpClient;
        if (mapped.WantsData && http is null)
        {
            throw new InvalidOperationException(
                $"ImageGenerationOptions.ResponseFormat is Data, but no {nameof(MediaGenImageGeneratorOptions)}.{nameof(MediaGenImageGeneratorOptions.HttpClient)} is configured to download the outputs; set one, or ask for Uri.");
        }

        foreach (var pending in mapped.Uploads)
        {
            var url = await UploadAsync(uploader!, pending, cancellationToken).ConfigureAwait(false);
            mapped.Request.ReferenceImages.Insert(pending.Position, url);
            mapped.Report.Applied(pending.Field, url);
        }

        GenerationJob job;
        try
        {
            var result = await _generator.GenerateAsync(mapped.Request, _options.Wait, null, cancellationToken).ConfigureAwait(false);
            if (result.Error is TimedOutError timedOut)
            {
                NameServingVendorOnCurrentSpan(timedOut.Handle);
            }

            job = result.GetValueOrThrow();
        }
        catch (JobWaitCanceledException canceled)
        {
            NameServingVendorOnCurrentSpan(canceled.Handle);
            throw;
        }

        NameServingVendorOnCurrentSpan(job.Handle);
        job.EnsureSucceeded();

        var contents = new List<AIContent>(job.Outputs.Count);
        foreach (var output in job.Outputs)
        {
            AIContent content = mapped.WantsData
                ? await DownloadAsync(job.Handle, output, http!, cancellationToken).ConfigureAwait(false)
                : new UriContent(output.Url, MediaTypeOf(output));
            content.RawRepresentation = output;
            content.AdditionalProperties = Describe(job, output, mapped.Report);
            contents.Add(content);
        }

        return new ImageGenerationResponse(contents) { RawRepresentation = job };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(ImageGeneratorMetadata))
            {
                return _metadata;
            }

            if (serviceType.IsInstanceOfType(this))
            {
                return this;
            }

            if (serviceType.IsInstanceOfType(_generator))
            {
                return _generator;
            }
        }

        return _generator.GetService(serviceType, serviceKey);
    }

    /// <summary>Does nothing: the adapter does not own the MediaGen generator.</summary>
    public void Dispose()
    {
    }

    private static async Task<Uri> UploadAsync(IMediaUploader uploader, PendingUpload pending, CancellationToken cancellationToken)
    {
        var data = pending.Content;
        var url = await uploader.UploadAsync(new MediaUpload(data.Data, data.MediaType) { Name = data.Name }, cancellationToken).ConfigureAwait(false);
        if (url is not { IsAbsoluteUri: true } || url.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(url.Host))
        {
            throw new InvalidOperationException(
                $"The configured {nameof(MediaGenImageGeneratorOptions)}.{nameof(MediaGenImageGeneratorOptions.Uploader)} returned '{url}' for {pending.Field}: vendors fetch reference images from public URLs, so it must return an absolute https:// URL.");
        }

        return url;
    }

    /// <summary>
    /// MEAI's <c>UseOpenTelemetry</c> reads <see cref="ImageGeneratorMetadata.ProviderName"/> once, when the pipeline is
    /// built, so behind the router its span says <c>router</c>. Its span for this call is <see cref="Activity.Current"/>
    /// here; once a vendor has taken the job, name that vendor (and its model and the job) on it, whether the job
    /// succeeded, failed, or is still running when the wait ended. Only a GenAI span that carries this adapter's own
    /// provider name is touched, never a caller's unrelated parent span.
    /// </summary>
    private void NameServingVendorOnCurrentSpan(JobHandle handle)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity
            || activity.GetTagItem(GenAiOperationName) is null
            || !string.Equals(activity.GetTagItem(GenAiProviderName) as string, _metadata.ProviderName, StringComparison.Ordinal))
        {
            return;
        }

        activity.SetTag(GenAiProviderName, handle.Provider);
        activity.SetTag(GenAiResponseId, handle.ToString());
        if (handle.Model is { IsEmpty: false } model)
        {
            activity.SetTag(GenAiResponseModel, model.Value);
        }
    }

    internal static string? MediaTypeOf(GenerationOutput output) =>
        string.IsNullOrWhiteSpace(output.ContentType) ? null : output.ContentType;

    private async Task<DataContent> DownloadAsync(JobHandle handle, GenerationOutput output, HttpClient http, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var rules = (_options.Downloads ?? MediaDownloadOptions.ForJob(_generator, handle)) with { MaxBytes = _options.MaxDownloadBytes, Job = handle };
        await output.DownloadToAsync(http, buffer, rules, cancellationToken).ConfigureAwait(false);
        var mediaType = MediaTypeOf(output) ?? new UriContent(output.Url).MediaType;
        return new DataContent(buffer.ToArray(), mediaType)
        {
            Name = Path.GetFileName(output.Url.AbsolutePath) is { Length: > 0 } name ? name : null,
        };
    }

    private static AdditionalPropertiesDictionary Describe(GenerationJob job, GenerationOutput output, TranslationReport optionsReport)
    {
        var properties = new AdditionalPropertiesDictionary
        {
            [MediaGenAdditionalProperties.Job] = job.Handle.ToString(),
            [MediaGenAdditionalProperties.Provider] = job.Handle.Provider,
        };

        if (job.Handle.Model is { IsEmpty: false } model)
        {
            properties[MediaGenAdditionalProperties.Model] = model.Value;
        }

        if (job.Charge is { } charge)
        {
            properties[MediaGenAdditionalProperties.Charge] = charge.Amount;
            properties[MediaGenAdditionalProperties.ChargeUnit] = charge.Unit.Code;
        }

        if (job.Quote?.Amount is { } quoted)
        {
            properties[MediaGenAdditionalProperties.Quote] = quoted.Amount;
            properties[MediaGenAdditionalProperties.QuoteUnit] = quoted.Unit.Code;
        }

        if (job.Quote?.Usd is { } usd)
        {
            properties[MediaGenAdditionalProperties.QuoteUsd] = usd.Amount;
        }

        if (output.Role is { Length: > 0 } role)
        {
            properties[MediaGenAdditionalProperties.Role] = role;
        }

        if (job.Translation is { Entries.Count: > 0 } translation)
        {
            properties[MediaGenAdditionalProperties.Translation] = translation.ToString();
        }

        if (optionsReport.Entries.Count > 0)
        {
            properties[MediaGenAdditionalProperties.OptionsReport] = optionsReport.ToString();
        }

        return properties;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"MediaGenImageGenerator({_name})");
}
