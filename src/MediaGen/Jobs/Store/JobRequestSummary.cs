namespace MediaGen;

/// <summary>
/// What a stored job was asked for, without secrets: the model, prompt and settings. Reference media are counted, not kept
/// (their URLs may be presigned); the webhook's address, secret and provider options are left out.
/// </summary>
public sealed record JobRequestSummary
{
    /// <summary>Gets the model asked for (a vendor id or a canonical id the router maps).</summary>
    public required ModelId Model { get; init; }

    /// <summary>Gets the prompt.</summary>
    public string Prompt { get; init; } = string.Empty;

    /// <summary>Gets the aspect ratio asked for, as text (e.g. <c>16:9</c>).</summary>
    public string? AspectRatio { get; init; }

    /// <summary>Gets the resolution asked for, as text.</summary>
    public string? Resolution { get; init; }

    /// <summary>Gets the duration asked for, in seconds.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>Gets the tier asked for, as text.</summary>
    public string? Tier { get; init; }

    /// <summary>Gets the number of outputs asked for.</summary>
    public int? Count { get; init; }

    /// <summary>Gets the seed asked for.</summary>
    public long? Seed { get; init; }

    /// <summary>Gets how many reference images, videos and audio clips the request carried.</summary>
    public int ReferenceCount { get; init; }

    /// <summary>Gets whether the request asked for a webhook (its address and secret are not kept).</summary>
    public bool Webhook { get; init; }

    /// <summary>Summarizes a request.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The summary.</returns>
    public static JobRequestSummary From(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new JobRequestSummary
        {
            Model = request.Model,
            Prompt = request.Prompt,
            AspectRatio = request.AspectRatio?.ToString(),
            Resolution = request.Resolution?.ToString(),
            DurationSeconds = request.DurationSeconds,
            Tier = request.Tier?.ToString(),
            Count = request.Count,
            Seed = request.Seed,
            ReferenceCount = request.ReferenceImages.Count + request.ReferenceVideos.Count + request.ReferenceAudio.Count,
            Webhook = request.Webhook is not null,
        };
    }
}
