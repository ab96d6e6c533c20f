namespace MediaGen;

/// <summary>Describes a provider: its name, billing unit and what it offers for paying once and for waiting.</summary>
public sealed record ProviderMetadata
{
    /// <summary>Gets the provider name used in handles and options (lower case, e.g. <c>meigen</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets a display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the unit the vendor bills in.</summary>
    public required MoneyUnit BillingUnit { get; init; }

    /// <summary>Gets whether the vendor deduplicates submits by idempotency key (so a retried submit cannot charge twice).</summary>
    public bool DedupesByIdempotencyKey { get; init; }

    /// <summary>Gets whether the vendor pushes job events to a webhook.</summary>
    public bool PushesWebhooks { get; init; }

    /// <summary>Gets the vendor's recommended status-poll interval.</summary>
    /// <value>The default is 3 seconds.</value>
    public TimeSpan RecommendedPollInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Gets the vendor's documented pacing: its back-off after a 429 without <c>Retry-After</c>, its polling interval as
    /// a floor for every poll gap, and whether status reads share the submit budget.
    /// </summary>
    /// <value>The default states nothing (<see cref="Providers.VendorPacing.None"/>).</value>
    public Providers.VendorPacing Pacing { get; init; } = Providers.VendorPacing.None;

    /// <summary>Gets the base address the provider talks to, when it is an HTTP provider.</summary>
    public Uri? Endpoint { get; init; }
}
