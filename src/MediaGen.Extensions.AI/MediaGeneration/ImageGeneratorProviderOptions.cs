using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI;

/// <summary>Configures a Microsoft.Extensions.AI <c>IImageGenerator</c> used as a MediaGen provider.</summary>
/// <remarks>The values are copied when the provider is created; later changes to this object are ignored.</remarks>
public sealed class ImageGeneratorProviderOptions
{
    /// <summary>The default number of finished jobs kept in memory for <see cref="IMediaGenerator.GetJobAsync"/>: 1,000.</summary>
    public const int DefaultMaxRetainedJobs = 1000;

    /// <summary>Gets or sets a display name for the provider.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets the unit the vendor behind the generator bills in.</summary>
    /// <value>The default is <see cref="MoneyUnit.Usd"/>.</value>
    public MoneyUnit BillingUnit { get; set; } = MoneyUnit.Usd;

    /// <summary>
    /// Gets or sets how to price a validated request for a model. MEAI reports no prices, so without it every quote
    /// is unknown (never 0), and the router's cheapest strategy ranks this provider last.
    /// </summary>
    public Func<GenerationRequest, ModelCapabilities, PriceQuote>? Price { get; set; }

    /// <summary>Gets or sets the clock for submission and completion times.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the response format asked of the generator.</summary>
    /// <value>The default is <see cref="ImageGenerationResponseFormat.Uri"/>: MediaGen outputs are URLs.</value>
    public ImageGenerationResponseFormat? ResponseFormat { get; set; } = ImageGenerationResponseFormat.Uri;

    /// <summary>
    /// Gets or sets where images the generator returns as bytes (<see cref="DataContent"/>) are stored; it returns
    /// the URL the output points to. Without it, such an output's URL is a <c>data:</c> URI holding the bytes, which
    /// <c>GenerationOutputExtensions.DownloadToAsync</c> cannot fetch over HTTP.
    /// </summary>
    public Func<DataContent, CancellationToken, ValueTask<Uri>>? StoreData { get; set; }

    /// <summary>
    /// Gets or sets whether the settings <c>ImageGenerationOptions</c> has no property for (seed, tier, quality,
    /// style, mode, duration, reference mode) are sent as <c>mediagen.*</c> additional properties
    /// (<see cref="MediaGenAdditionalProperties"/>) instead of being dropped. Either way the translation report says
    /// so; only generators that read those keys (such as a MediaGen-backed one) honour them.
    /// </summary>
    /// <value>The default is <see langword="false"/>: such settings are dropped and reported.</value>
    public bool CarryUnmappedSettings { get; set; }

    /// <summary>
    /// Gets or sets a last step that may adjust the MEAI options built for a request, e.g. to pass the seed under the
    /// key a particular generator reads. What it changes is not in the translation report.
    /// </summary>
    public Action<GenerationRequest, ImageGenerationOptions>? ConfigureOptions { get; set; }

    /// <summary>Gets or sets how many finished jobs are kept in memory so their handles resolve; the oldest go first.</summary>
    /// <value>The default is <see cref="DefaultMaxRetainedJobs"/>.</value>
    public int MaxRetainedJobs { get; set; } = DefaultMaxRetainedJobs;

    internal ImageGeneratorProviderOptions Copy() => new()
    {
        DisplayName = DisplayName,
        BillingUnit = BillingUnit,
        Price = Price,
        TimeProvider = TimeProvider,
        ResponseFormat = ResponseFormat,
        StoreData = StoreData,
        CarryUnmappedSettings = CarryUnmappedSettings,
        ConfigureOptions = ConfigureOptions,
        MaxRetainedJobs = MaxRetainedJobs,
    };
}
