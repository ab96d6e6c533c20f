namespace MediaGen.Extensions.AI;

/// <summary>Configures an <see cref="IMediaGenerator"/> used as a Microsoft.Extensions.AI <c>IImageGenerator</c>.</summary>
/// <remarks>The values are copied when the generator is created; later changes to this object are ignored.</remarks>
public sealed class MediaGenImageGeneratorOptions
{
    /// <summary>The default cap on one downloaded output: 64 MiB.</summary>
    public const long DefaultMaxDownloadBytes = 64L * 1024 * 1024;

    /// <summary>Gets or sets the model used when <c>ImageGenerationOptions.ModelId</c> is not set.</summary>
    /// <value>The default is none: every call must name a model.</value>
    public ModelId? DefaultModel { get; set; }

    /// <summary>Gets or sets how to wait for each job (clock, deadline, poll intervals, webhook updates).</summary>
    /// <value>The default is <see langword="null"/>: MediaGen's defaults on the system clock.</value>
    public WaitOptions? Wait { get; set; }

    /// <summary>
    /// Gets or sets the client that downloads outputs when a call asks for
    /// <c>ImageGenerationResponseFormat.Data</c>. The adapter does not own or dispose it. Use one from
    /// <see cref="MediaDownloads.CreateHttpClient"/> so the address actually connected to is checked after DNS
    /// resolution too (see <see cref="Downloads"/>).
    /// </summary>
    /// <value>The default is <see langword="null"/>: asking for data throws before anything is submitted.</value>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Gets or sets the largest output downloaded into memory when data is asked for.</summary>
    /// <value>The default is <see cref="DefaultMaxDownloadBytes"/> (64 MiB).</value>
    public long MaxDownloadBytes { get; set; } = DefaultMaxDownloadBytes;

    /// <summary>
    /// Gets or sets what downloads may reach. Output URLs come from vendor answers, so by default (null) a download
    /// takes https only and refuses loopback, private, link-local and multicast targets, except that loopback and http
    /// are allowed when the serving vendor's base address is itself loopback (<see cref="MediaDownloadOptions.ForJob"/>).
    /// A refused URL throws <see cref="MediaDownloadException"/> naming the vendor and the job, which is unaffected.
    /// </summary>
    /// <value>The default is <see langword="null"/>. <see cref="MaxDownloadBytes"/> sets the cap either way, and the job is always named.</value>
    public MediaDownloadOptions? Downloads { get; set; }

    /// <summary>
    /// Gets or sets what turns original images given as bytes (<c>DataContent</c>, MEAI's image-edit path) into the public
    /// HTTPS URLs vendors take as reference images. The adapter does not own or dispose it.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: a <c>DataContent</c> original image throws <see cref="NotSupportedException"/>
    /// before anything is submitted. No vendor MediaGen supports documents an upload endpoint, so there is no built-in
    /// uploader: use <see cref="DelegateMediaUploader"/> over your own storage.
    /// </value>
    /// <remarks>
    /// Uploads run after the adapter's own checks and before the submit, in the order of the original images; the
    /// vendor validates the request (e.g. its reference-image limit) only after that, so a refused request may leave
    /// uploads behind. Each returned URL must be absolute <c>https://</c>; anything else throws
    /// <see cref="InvalidOperationException"/> naming the item. An exception from the uploader propagates unchanged.
    /// </remarks>
    public IMediaUploader? Uploader { get; set; }

    internal MediaGenImageGeneratorOptions Copy() => new()
    {
        Uploader = Uploader,
        DefaultModel = DefaultModel,
        Wait = Wait,
        HttpClient = HttpClient,
        MaxDownloadBytes = MaxDownloadBytes,
        Downloads = Downloads,
    };
}
