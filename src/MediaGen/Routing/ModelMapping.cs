namespace MediaGen.Routing;

/// <summary>
/// One vendor's model for a canonical slug, with the reason it is believed equivalent. When <see cref="Tier"/>
/// is set, the mapping applies only to requests of that tier (a vendor that sells a model's fast tier as a slug of its
/// own maps that slug at tier <c>fast</c>) and the tier is carried by the slug, not sent separately. Providers
/// contribute theirs as <see cref="CanonicalModelMapping"/>; users add their own to <see cref="RouterOptions.Catalog"/>.
/// </summary>
/// <param name="Provider">The provider name.</param>
/// <param name="VendorModel">The vendor's model id.</param>
/// <param name="Reason">Why it is believed to be the same model.</param>
/// <param name="Tier">The tier this mapping stands for, or null for any tier.</param>
public sealed record ModelMapping(string Provider, ModelId VendorModel, string Reason, GenerationTier? Tier = null)
{
    /// <summary>Gets whether the request's tier is encoded in the vendor slug (and so not sent as a setting).</summary>
    public bool TierInSlug => Tier is not null;

    /// <summary>Gets whether this mapping also serves requests that give no tier.</summary>
    public bool IsDefaultForNoTier { get; init; }
}
