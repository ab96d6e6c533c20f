using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI;

/// <summary>Uses a MediaGen <see cref="IMediaGenerator"/> (one provider or the router) as a Microsoft.Extensions.AI <see cref="IImageGenerator"/>.</summary>
/// <remarks>
/// <para>What maps (see <c>docs/extensions-ai.md</c> for the full table):</para>
/// <list type="bullet">
/// <item><description><c>Prompt</c> → <see cref="GenerationRequest.Prompt"/>; <c>ModelId</c> (or <see cref="MediaGenImageGeneratorOptions.DefaultModel"/>) → <see cref="GenerationRequest.Model"/>; <c>Count</c> → <see cref="GenerationRequest.Count"/>.</description></item>
/// <item><description><c>ImageSize</c> → the exact aspect ratio (W:H reduced by their gcd; the nearest ratio with parts ≤ 100 when it has none, reported) and, when the long side is 512/1024/2048/3072/4096 px, the resolution <c>0.5K</c>…<c>4K</c>. The pixel size itself is not sent.</description></item>
/// <item><description><c>OriginalImages</c> → <see cref="GenerationRequest.ReferenceImages"/>, in order. A <see cref="UriContent"/> is carried as is; a <see cref="DataContent"/> (MEAI's image-edit path) is uploaded with <see cref="MediaGenImageGeneratorOptions.Uploader"/> and its HTTPS URL sent, because vendors take references as public URLs. Without an uploader it throws <see cref="NotSupportedException"/> naming the item and the option.</description></item>
/// <item><description><c>AdditionalProperties</c>: <c>mediagen.*</c> keys (<see cref="MediaGenAdditionalProperties"/>) set seed, tier, quality, duration and the other settings MEAI lacks; <c>provider.field</c> keys become <see cref="GenerationRequest.ProviderOptions"/> for that provider. Keys without a namespace are dropped and reported.</description></item>
/// <item><description><c>RawRepresentationFactory</c> may return a <see cref="GenerationRequest"/>: its values win over the MEAI options.</description></item>
/// <item><description><c>ResponseFormat</c> <c>Uri</c> (the default) → <see cref="UriContent"/> per output; <c>Data</c> → downloads each output (with <see cref="MediaGenImageGeneratorOptions.HttpClient"/>, capped at <see cref="MediaGenImageGeneratorOptions.MaxDownloadBytes"/>) into a <see cref="DataContent"/>; <c>Hosted</c> → URIs, reported.</description></item>
/// <item><description>Dropped and reported (under <see cref="MediaGenAdditionalProperties.OptionsReport"/>; refused in strict mode): <c>MediaType</c>, <c>StreamingCount</c>, a pixel size with no resolution class.</description></item>
/// </list>
/// <para>
/// Each call submits and waits through <see cref="MediaGeneratorExtensions.GenerateAsync"/>. Errors throw a
/// <see cref="MediaGenException"/> carrying the error; a failed or canceled job throws <see cref="GenerationFailedException"/>; canceling
/// the token throws <see cref="JobWaitCanceledException"/> carrying the handle (the job goes on at the vendor). The
/// response's <c>RawRepresentation</c> is the <see cref="GenerationJob"/>; each content's <c>RawRepresentation</c> is
/// its <see cref="GenerationOutput"/> and its <c>AdditionalProperties</c> carry the handle, charge and quote.
/// <c>Usage</c> stays null: MEAI usage counts tokens and MediaGen jobs have none.
/// </para>
/// <para>
/// The generator composes with MEAI's <c>ImageGeneratorBuilder</c> (<c>.AsBuilder().UseLogging().UseOpenTelemetry().ConfigureOptions()</c>).
/// Under <c>UseOpenTelemetry</c>, the span of each call names the vendor that took the job in <c>gen_ai.provider.name</c>
/// (with <c>gen_ai.response.model</c> and <c>gen_ai.response.id</c>), also behind the router; the metrics keep the
/// name in <see cref="ImageGeneratorMetadata"/>, which MEAI reads once when the pipeline is built.
/// </para>
/// </remarks>
[Experimental("MEAI001", UrlFormat = "https://aka.ms/dotnet-extensions-warnings/{0}")]
public static class MediaGenImageGeneratorExtensions
{
    /// <summary>Wraps a MediaGen generator as an <see cref="IImageGenerator"/>.</summary>
    /// <param name="generator">The provider or router.</param>
    /// <param name="options">The model to default to, how to wait and how to download; copied.</param>
    /// <returns>The image generator. Disposing it does not dispose <paramref name="generator"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MediaGenImageGeneratorOptions.MaxDownloadBytes"/> is not positive.</exception>
    public static IImageGenerator AsIImageGenerator(this IMediaGenerator generator, MediaGenImageGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new MediaGenImageGenerator(generator, options);
    }

    /// <summary>Gets the MediaGen job behind a response from an image generator made by <see cref="AsIImageGenerator"/>.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The job, or <see langword="null"/> when the response did not come from MediaGen.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    public static GenerationJob? GetGenerationJob(this ImageGenerationResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RawRepresentation as GenerationJob;
    }
}
