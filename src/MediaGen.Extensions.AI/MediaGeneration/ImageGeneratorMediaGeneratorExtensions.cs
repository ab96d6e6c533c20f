using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI;

/// <summary>Uses a Microsoft.Extensions.AI <see cref="IImageGenerator"/> as a MediaGen provider (<see cref="IMediaGenerator"/>), e.g. behind the router.</summary>
/// <remarks>
/// <para>
/// Each submit validates the request against the model's <see cref="ModelCapabilities"/>, translates it and runs the
/// MEAI generation to completion, so the job it returns has already ended (succeeded with the images, or failed when
/// the generator returned none MediaGen can use). Jobs are kept in memory (the newest
/// <see cref="ImageGeneratorProviderOptions.MaxRetainedJobs"/>) so their handles resolve in this process; any other
/// handle is <see cref="NotFoundError"/>. Resubmitting a request with the idempotency key of a retained succeeded job
/// returns that job instead of generating again.
/// </para>
/// <para>What maps (every setting is on the translation report; strict mode refuses anything adjusted or dropped):</para>
/// <list type="bullet">
/// <item><description><see cref="GenerationRequest.Prompt"/>, <see cref="GenerationRequest.Model"/> and <see cref="GenerationRequest.Count"/> map one to one.</description></item>
/// <item><description>An explicit <see cref="GenerationRequest.AspectRatio"/> becomes <c>ImageSize</c>, its long side from <see cref="GenerationRequest.Resolution"/> (0.5K = 512 … 4K = 4096 px), else the model's default resolution, else 1024 px. <c>auto</c> leaves the size to the generator; <c>adaptive</c>, a resolution without a ratio, and video resolutions are dropped.</description></item>
/// <item><description><see cref="GenerationRequest.ReferenceImages"/> become <c>OriginalImages</c> (MEAI treats them as images to edit).</description></item>
/// <item><description>Seed, tier, quality, style, mode, duration and reference mode have no MEAI property: dropped, or sent as <c>mediagen.*</c> additional properties when <see cref="ImageGeneratorProviderOptions.CarryUnmappedSettings"/> is set. Reference videos, audio and webhooks are dropped.</description></item>
/// <item><description>This provider's <see cref="GenerationRequest.ProviderOptions"/> become <c>AdditionalProperties</c>.</description></item>
/// </list>
/// <para>
/// Prices are unknown unless <see cref="ImageGeneratorProviderOptions.Price"/> is given; the charge is never known.
/// Exceptions from the generator become errors where they can be classified: HTTP status codes (401/403, 402, 404,
/// 408/503, 429, other 4xx; other 5xx are outcome unknown), connection failures (unavailable, never billed), failures
/// mid-call and timeouts (outcome unknown), <see cref="ArgumentException"/>/<see cref="NotSupportedException"/>
/// (invalid request), and a <see cref="MediaGenException"/> keeps its error. Anything else propagates.
/// </para>
/// </remarks>
[Experimental("MEAI001", UrlFormat = "https://aka.ms/dotnet-extensions-warnings/{0}")]
public static class ImageGeneratorMediaGeneratorExtensions
{
    /// <summary>Wraps an MEAI image generator as a MediaGen provider.</summary>
    /// <param name="generator">The image generator. The provider does not dispose it.</param>
    /// <param name="providerName">The provider name used in handles and provider options (lower case, no colon), e.g. <c>openai</c>.</param>
    /// <param name="models">The models the generator serves and what they accept (image models only).</param>
    /// <param name="options">Pricing, clock, response format and what to do with settings MEAI lacks; copied.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/>, <paramref name="providerName"/> or <paramref name="models"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="providerName"/> is empty or has a colon, <paramref name="models"/> is empty or names a model twice, or a model does not produce images.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ImageGeneratorProviderOptions.MaxRetainedJobs"/> is not positive.</exception>
    public static IMediaGenerator AsIMediaGenerator(
        this IImageGenerator generator,
        string providerName,
        IEnumerable<ModelCapabilities> models,
        ImageGeneratorProviderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentNullException.ThrowIfNull(models);
        var list = models.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("Give at least one model the generator serves.", nameof(models));
        }

        var seen = new HashSet<ModelId>();
        foreach (var model in list)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            if (model.Kind != MediaKind.Image)
            {
                throw new ArgumentException($"Model '{model.Id}' produces {model.Kind}; an MEAI image generator produces images only.", nameof(models));
            }

            if (!seen.Add(model.Id))
            {
                throw new ArgumentException($"Model '{model.Id}' is listed twice.", nameof(models));
            }
        }

        return new ImageGeneratorMediaGenerator(generator, providerName, list, options);
    }
}
