namespace MediaGen.Routing;

/// <summary>
/// Maps canonical model slugs to each vendor's slug. Kept as data: every mapping states why it is believed
/// equivalent; users can add and override entries. A vendor's own slug that is not a canonical slug routes to that
/// vendor only. The core ships no mappings: each provider contributes its own (<see cref="ProviderModelMappings"/>),
/// and <see cref="MediaRouter.Catalog"/> is their merge with the edits made to <see cref="RouterOptions.Catalog"/>,
/// applied in order on top, so a user's <see cref="Add"/> or <see cref="Remove"/> wins over a provider's mapping.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<ModelId, List<ModelMapping>> _entries = [];

    // Every edit, in order, so the router can replay a user's catalog over what the providers contribute: replaying
    // Add/Remove gives exactly what the same calls give on a catalog that already holds the providers' mappings.
    private readonly List<(ModelId Canonical, ModelMapping? Added, string? RemovedProvider)> _edits = [];
    private bool _readOnly;

    /// <summary>Gets the canonical slugs.</summary>
    public IReadOnlyCollection<ModelId> CanonicalModels => _entries.Keys;

    /// <summary>Gets a number that changes with every edit (the router rebuilds its merged catalog when it does).</summary>
    internal int Version => _edits.Count;

    /// <summary>
    /// Builds the catalog a router resolves with: each provider's contributed mappings under its name, then the user's
    /// edits replayed in order. The result refuses edits (make them on <see cref="RouterOptions.Catalog"/>).
    /// </summary>
    /// <param name="contributions">Each provider's name and what it contributes (null when it contributes nothing).</param>
    /// <param name="user">The user's catalog, or null.</param>
    /// <returns>The merged, read-only catalog.</returns>
    internal static ModelCatalog Merge(IEnumerable<(string Provider, ProviderModelMappings? Mappings)> contributions, ModelCatalog? user)
    {
        var merged = new ModelCatalog();
        foreach (var (provider, mappings) in contributions)
        {
            foreach (var m in mappings?.Mappings ?? [])
            {
                merged.Add(m.Canonical, m.ToMapping(provider));
            }
        }

        foreach (var (canonical, added, removed) in user?._edits ?? [])
        {
            if (added is not null)
            {
                merged.Add(canonical, added);
            }
            else
            {
                merged.Remove(canonical, removed!);
            }
        }

        merged._edits.Clear(); // nothing replays a merged catalog
        merged._readOnly = true;
        return merged;
    }

    /// <summary>Adds (or replaces) a vendor mapping for a canonical slug that applies to every tier.</summary>
    /// <param name="canonical">The canonical slug.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="vendorModel">The vendor's model id.</param>
    /// <param name="reason">Why it is believed equivalent.</param>
    /// <returns>This catalog.</returns>
    /// <exception cref="InvalidOperationException">This is a router's merged catalog (edit <see cref="RouterOptions.Catalog"/> instead).</exception>
    public ModelCatalog Map(ModelId canonical, string provider, ModelId vendorModel, string reason) =>
        Add(canonical, new ModelMapping(provider, vendorModel, reason));

    /// <summary>Adds a mapping; one that has the same provider and tier as an existing one replaces it.</summary>
    /// <param name="canonical">The canonical slug.</param>
    /// <param name="mapping">The mapping.</param>
    /// <returns>This catalog.</returns>
    /// <exception cref="InvalidOperationException">This is a router's merged catalog (edit <see cref="RouterOptions.Catalog"/> instead).</exception>
    public ModelCatalog Add(ModelId canonical, ModelMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ThrowIfReadOnly();
        if (canonical.IsEmpty)
        {
            throw new ArgumentException("A canonical slug is required.", nameof(canonical));
        }

        var normalized = mapping with { Provider = mapping.Provider.ToLowerInvariant() };
        if (!_entries.TryGetValue(canonical, out var list))
        {
            _entries[canonical] = list = [];
        }

        list.RemoveAll(m => m.Provider == normalized.Provider && m.Tier == normalized.Tier);
        list.Add(normalized);
        _edits.Add((canonical, normalized, null));
        return this;
    }

    /// <summary>Removes every mapping of a canonical slug to a provider.</summary>
    /// <param name="canonical">The canonical slug.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>This catalog.</returns>
    /// <exception cref="InvalidOperationException">This is a router's merged catalog (edit <see cref="RouterOptions.Catalog"/> instead).</exception>
    public ModelCatalog Remove(ModelId canonical, string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ThrowIfReadOnly();
        _edits.Add((canonical, null, provider));
        if (_entries.TryGetValue(canonical, out var list))
        {
            list.RemoveAll(m => string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase));
        }

        return this;
    }

    /// <summary>Gets the mappings of a canonical slug (empty when it is not canonical).</summary>
    /// <param name="canonical">The slug.</param>
    /// <returns>The mappings.</returns>
    public IReadOnlyList<ModelMapping> GetMappings(ModelId canonical) =>
        _entries.TryGetValue(canonical, out var list) ? list : [];

    /// <summary>Gets whether a slug is canonical.</summary>
    /// <param name="model">The slug.</param>
    /// <returns>Whether the catalog knows it.</returns>
    public bool IsCanonical(ModelId model) => _entries.ContainsKey(model);

    /// <summary>
    /// Picks the mapping of a canonical slug at one provider for the request's tier: a mapping for exactly that tier,
    /// else one for any tier, else (no tier asked) the one marked default.
    /// </summary>
    /// <param name="canonical">The slug.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="tier">The request's tier.</param>
    /// <returns>The mapping, or null.</returns>
    public ModelMapping? Resolve(ModelId canonical, string provider, GenerationTier? tier)
    {
        ModelMapping? any = null, fallback = null;
        foreach (var m in GetMappings(canonical))
        {
            if (!string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (m.Tier is null)
            {
                any = m;
            }
            else if (tier is { } t && m.Tier == t)
            {
                return m;
            }
            else if (tier is null && m.IsDefaultForNoTier)
            {
                fallback = m;
            }
        }

        return any ?? fallback;
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("This is the router's merged model catalog (what the providers contribute plus RouterOptions.Catalog); add, override or remove mappings on RouterOptions.Catalog instead.");
        }
    }
}
