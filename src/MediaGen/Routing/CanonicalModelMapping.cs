namespace MediaGen.Routing;

/// <summary>
/// What one provider calls a canonical model, as data: the vendor's own model id, why the two are believed to be the
/// same model, and, when the vendor sells a tier as a slug of its own, that tier. A provider lists these in
/// <see cref="ProviderModelMappings"/>; the router stamps them with the provider's name.
/// </summary>
/// <param name="Canonical">The canonical slug.</param>
/// <param name="VendorModel">The vendor's model id.</param>
/// <param name="Reason">Why it is believed to be the same model.</param>
/// <param name="Tier">The tier this vendor model stands for, or null for any tier.</param>
public sealed record CanonicalModelMapping(ModelId Canonical, ModelId VendorModel, string Reason, GenerationTier? Tier = null)
{
    /// <summary>Gets whether this mapping also serves requests that give no tier.</summary>
    public bool IsDefaultForNoTier { get; init; }

    /// <summary>Gets this mapping as the router's <see cref="ModelMapping"/> for a provider.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <returns>The mapping.</returns>
    public ModelMapping ToMapping(string provider) =>
        new(provider, VendorModel, Reason, Tier) { IsDefaultForNoTier = IsDefaultForNoTier };
}
