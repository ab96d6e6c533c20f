namespace MediaGen;

/// <summary>
/// What one request is priced on, read by the vendor from the payload it will send (after provider options and the
/// vendor's documented defaults): the model and the settings a <see cref="PriceRule"/> can depend on. A setting left
/// null is unknown (not sent, and its default undocumented); a rule that needs it cannot price the request.
/// </summary>
/// <param name="Model">The vendor's model id.</param>
public sealed record PriceKey(ModelId Model)
{
    private readonly string? _mode;
    private readonly string? _quality;

    /// <summary>Gets the tier, or null (none sent and the default unknown, or the model has no tiers).</summary>
    public GenerationTier? Tier { get; init; }

    /// <summary>Gets the resolution, or null.</summary>
    public Resolution? Resolution { get; init; }

    /// <summary>Gets the duration in whole seconds, or null.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>Gets the mode (lower case), or null.</summary>
    public string? Mode { get => _mode; init => _mode = PriceConditions.Normalize(value); }

    /// <summary>Gets the quality (lower case), or null.</summary>
    public string? Quality { get => _quality; init => _quality = PriceConditions.Normalize(value); }

    /// <summary>Gets whether audio is generated, or null when unknown.</summary>
    public bool? Audio { get; init; }

    /// <summary>Gets the number of images billed.</summary>
    /// <value>The default is 1.</value>
    public int ImageCount { get; init; } = 1;

    /// <summary>Gets whether a reference video is sent (selects the rules for <see cref="PriceConditions.ReferenceVideo"/>).</summary>
    public bool ReferenceVideo { get; init; }

    /// <summary>
    /// Gets whether the vendor bills this request as a continuation of its reference video: then only
    /// <see cref="PriceRuleKind.Continuation"/> rules price it, and no other rule does.
    /// </summary>
    public bool BilledAsContinuation { get; init; }

    /// <summary>Gets the reference video's length in seconds (what a continuation is billed on), or null when not given.</summary>
    public double? ReferenceVideoSeconds { get; init; }

    /// <summary>Describes the settings, e.g. <c>720p, fast tier, 5 s</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Join(", ", [Model.Value, .. PriceConditions.Describe(Tier, Resolution, DurationSeconds, Mode, Quality, Audio, ReferenceVideo ? true : null)]);
}
