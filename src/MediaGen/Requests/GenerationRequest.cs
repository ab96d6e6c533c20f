using System.Text.Json.Nodes;

namespace MediaGen;

/// <summary>
/// A vendor-neutral request to generate images or video. Every setting is optional except
/// <see cref="Model"/> and <see cref="Prompt"/>; <see langword="null"/> means "the vendor's default".
/// </summary>
/// <remarks>
/// Translation to a vendor never changes a setting silently: each one is reported as applied, adjusted
/// or dropped on the job's <see cref="TranslationReport"/>, and <see cref="Strict"/> refuses any change.
/// </remarks>
public sealed class GenerationRequest
{
    /// <summary>Creates an empty request; set <see cref="Model"/> and <see cref="Prompt"/>.</summary>
    public GenerationRequest()
    {
    }

    /// <summary>Creates a request for a model and prompt.</summary>
    /// <param name="model">The canonical or vendor model id.</param>
    /// <param name="prompt">The prompt.</param>
    public GenerationRequest(ModelId model, string prompt)
    {
        Model = model;
        Prompt = prompt;
    }

    /// <summary>Gets or sets the model: a canonical slug (routed) or a vendor's own id.</summary>
    public ModelId Model { get; set; }

    /// <summary>Gets or sets the prompt.</summary>
    public string Prompt { get; set; } = string.Empty;

    /// <summary>Gets or sets the aspect ratio (<c>auto</c>, <c>adaptive</c> or <c>W:H</c>).</summary>
    public AspectRatio? AspectRatio { get; set; }

    /// <summary>Gets or sets the resolution (<c>1K</c>…<c>4K</c>, <c>480p</c>…<c>1080p</c>, <c>4k</c>).</summary>
    public Resolution? Resolution { get; set; }

    /// <summary>Gets or sets the video duration in whole seconds.</summary>
    public int? DurationSeconds { get; set; }

    /// <summary>Gets or sets the tier (<c>mini</c>, <c>fast</c>, <c>pro</c>).</summary>
    public GenerationTier? Tier { get; set; }

    /// <summary>Gets or sets the quality (e.g. <c>low</c>, <c>medium</c>, <c>high</c>).</summary>
    public string? Quality { get; set; }

    /// <summary>Gets or sets how many images to generate.</summary>
    public int? Count { get; set; }

    /// <summary>Gets or sets the random seed.</summary>
    public long? Seed { get; set; }

    /// <summary>Gets or sets reference images (public HTTPS URLs).</summary>
    public IList<Uri> ReferenceImages { get; set; } = [];

    /// <summary>Gets or sets reference videos (public HTTPS URLs, with their length for continuation).</summary>
    public IList<ReferenceVideo> ReferenceVideos { get; set; } = [];

    /// <summary>Gets or sets reference audio tracks (public HTTPS URLs).</summary>
    public IList<Uri> ReferenceAudio { get; set; } = [];

    /// <summary>Gets or sets how reference images are interpreted.</summary>
    public ReferenceMode? ReferenceMode { get; set; }

    /// <summary>Gets or sets a style preset (vendor vocabulary, e.g. Sora's <c>anime</c>).</summary>
    public string? Style { get; set; }

    /// <summary>Gets or sets a generation mode (vendor vocabulary, e.g. Veo's <c>frame</c>).</summary>
    public string? Mode { get; set; }

    /// <summary>Gets or sets where webhook deliveries go, for vendors that push them.</summary>
    public WebhookOptions? Webhook { get; set; }

    /// <summary>
    /// Gets or sets the idempotency key of this logical request. When null, MediaGen mints one per submit and
    /// keeps it across retries and failover; set it to make a resubmission after a crash safe.
    /// </summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>
    /// Gets or sets provider options, namespaced by provider name (<c>"meigen": { ... }</c>). Each object is
    /// merged into that vendor's body only, and survives failover untouched.
    /// </summary>
    public IDictionary<string, JsonObject> ProviderOptions { get; set; } = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets whether any adjusted or dropped setting makes the request invalid instead of being reported.</summary>
    public bool Strict { get; set; }

    /// <summary>
    /// Gets or sets the providers (by name, e.g. <c>apiframe</c>) whose settings sent on undocumented fields strict mode
    /// accepts. Without an entry, strict mode refuses every setting the report marks
    /// <see cref="TranslationAction.SentUndocumented"/> for that vendor.
    /// </summary>
    public ISet<string> AllowUndocumentedFields { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets per-request routing choices (strategy, allowed vendors, cost ceiling); single providers ignore them.</summary>
    public Routing.RoutingPreferences? Routing { get; set; }

    /// <summary>Creates a deep copy (lists, webhook and provider options are copied).</summary>
    /// <returns>The copy.</returns>
    public GenerationRequest Clone()
    {
        // The new request's own (empty) collections are filled, not replaced: a clone per vendor per routed request
        // allocated each collection twice.
        var clone = new GenerationRequest
        {
            Model = Model,
            Prompt = Prompt,
            AspectRatio = AspectRatio,
            Resolution = Resolution,
            DurationSeconds = DurationSeconds,
            Tier = Tier,
            Quality = Quality,
            Count = Count,
            Seed = Seed,
            ReferenceMode = ReferenceMode,
            Style = Style,
            Mode = Mode,
            Webhook = Webhook?.Clone(),
            IdempotencyKey = IdempotencyKey,
            Strict = Strict,
            Routing = Routing?.Clone(),
        };
        if (ReferenceImages.Count > 0)
        {
            clone.ReferenceImages = [.. ReferenceImages];
        }

        if (ReferenceVideos.Count > 0)
        {
            clone.ReferenceVideos = [.. ReferenceVideos];
        }

        if (ReferenceAudio.Count > 0)
        {
            clone.ReferenceAudio = [.. ReferenceAudio];
        }

        foreach (var (key, value) in ProviderOptions)
        {
            clone.ProviderOptions[key] = (JsonObject)value.DeepClone();
        }

        clone.AllowUndocumentedFields.UnionWith(AllowUndocumentedFields);
        return clone;
    }

    /// <summary>
    /// The same request for one vendor the router quotes it at: its own model (and tier), every other setting shared with
    /// this request, not copied (the vendor reads it; nothing writes to it), so routing costs one object, not a deep copy.
    /// </summary>
    /// <param name="model">The vendor's model.</param>
    /// <param name="dropTier">Whether the vendor's slug carries the tier (the copy then has none).</param>
    /// <returns>The copy.</returns>
    internal GenerationRequest ForVendor(ModelId model, bool dropTier)
    {
        var copy = (GenerationRequest)MemberwiseClone();
        copy.Model = model;
        if (dropTier)
        {
            copy.Tier = null;
        }

        return copy;
    }

    /// <summary>Gets the options object for one provider, or null.</summary>
    /// <param name="provider">The provider name, e.g. <c>meigen</c>.</param>
    /// <returns>The provider's options, or null.</returns>
    public JsonObject? GetProviderOptions(string provider) =>
        ProviderOptions.TryGetValue(provider, out var value) ? value : null;

    /// <summary>A short description without the prompt text or URLs (safe to log).</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"GenerationRequest {{ Model = {Model}, PromptLength = {Prompt?.Length ?? 0}, AspectRatio = {AspectRatio}, Resolution = {Resolution}, DurationSeconds = {DurationSeconds}, Tier = {Tier}, Count = {Count} }}";
}
