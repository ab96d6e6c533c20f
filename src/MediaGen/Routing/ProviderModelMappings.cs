namespace MediaGen.Routing;

/// <summary>
/// The canonical slugs a provider serves and what it calls each, contributed to the router's <see cref="ModelCatalog"/>
/// as data. A provider returns one from <c>GetService(typeof(ProviderModelMappings))</c>; the router merges every
/// provider's mappings under that provider's name, then applies <see cref="RouterOptions.Catalog"/> on top, so the core
/// needs no table of vendors and a new provider routes by canonical slug with no change to the core.
/// </summary>
public sealed class ProviderModelMappings
{
    /// <summary>Creates the set.</summary>
    /// <param name="mappings">The mappings, in the order they are applied (a later one for the same canonical slug and tier replaces an earlier one).</param>
    public ProviderModelMappings(IEnumerable<CanonicalModelMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        Mappings = [.. mappings];
        foreach (var m in Mappings)
        {
            ArgumentNullException.ThrowIfNull(m, nameof(mappings));
            if (m.Canonical.IsEmpty || m.VendorModel.IsEmpty)
            {
                throw new ArgumentException($"A model mapping needs both a canonical slug and a vendor model id; got '{m.Canonical}' → '{m.VendorModel}'.", nameof(mappings));
            }
        }
    }

    /// <summary>Gets the mappings.</summary>
    public IReadOnlyList<CanonicalModelMapping> Mappings { get; }
}
