namespace MediaGen.Routing;

/// <summary>
/// Maps canonical model slugs to each vendor's slug. Kept as data: every mapping states why it is believed
/// equivalent (see <c>docs/routing.md</c>); users can add and override entries. A vendor's own slug that is not a
/// canonical slug routes to that vendor only.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<ModelId, List<ModelMapping>> _entries = [];

    /// <summary>Gets the canonical slugs.</summary>
    public IReadOnlyCollection<ModelId> CanonicalModels => _entries.Keys;

    /// <summary>Creates the catalog MediaGen ships, built from the vendors' model lists.</summary>
    /// <returns>A new catalog the caller may extend.</returns>
    public static ModelCatalog CreateDefault()
    {
        const string SameGoogle = "both vendors resell Google's Gemini image model of this name";
        var catalog = new ModelCatalog();
        catalog.Map("nano-banana-2", "meigen", "nanobanana-2", "MeiGen's 'Nanobanana 2' is Google's Nano Banana 2 (Gemini image), " + SameGoogle)
               .Map("nano-banana-2", "veogen", "nano-banana-2", "same slug and name on VeoGen's model list")
               .Map("nano-banana-2", "apiframe", "nano-banana-2", "Apiframe lists 'Nano Banana 2' under this identifier");
        catalog.Map("nano-banana-pro", "meigen", "gemini-3-pro-image-preview", "MeiGen names this model 'Nanobanana Pro' (docs: models list, zh example); the slug is Google's Gemini 3 Pro Image preview id")
               .Map("nano-banana-pro", "veogen", "nano-banana-pro", "same slug and name on VeoGen's model list")
               .Map("nano-banana-pro", "apiframe", "nano-banana-pro", "Apiframe lists 'Nano Banana Pro' under this identifier");
        catalog.Map("seedream-5.0-lite", "meigen", "seedream-5.0-lite", "ByteDance Seedream 5.0 Lite; same slug")
               .Map("seedream-5.0-lite", "veogen", "seedream-5.0-lite", "ByteDance Seedream 5.0 Lite; same slug")
               .Map("seedream-5.0-lite", "apiframe", "seedream-5-lite", "Apiframe's 'Seedream 5 Lite' (identifier seedream-5-lite) is the same ByteDance model");
        catalog.Map("seedream-4.5", "meigen", "seedream-4.5", "ByteDance Seedream 4.5; same slug")
               .Map("seedream-4.5", "veogen", "seedream-4.5", "ByteDance Seedream 4.5; same slug")
               .Map("seedream-4.5", "apiframe", "seedream-4.5", "ByteDance Seedream 4.5; same slug");
        catalog.Map("seedance-2.0", "meigen", "seedance-2-0", "ByteDance Seedance 2.0; MeiGen selects mini/fast/pro with the tier field")
               .Add("seedance-2.0", new ModelMapping("veogen", "seedance-2.0-fast", "VeoGen sells the fast tier of Seedance 2.0 as its own slug", GenerationTier.Fast))
               .Add("seedance-2.0", new ModelMapping("veogen", "seedance-2.0", "VeoGen's standard Seedance 2.0 is the full-quality (pro) tier", GenerationTier.Pro) { IsDefaultForNoTier = true });
        catalog.Map("veo-3.1", "meigen", "veo-3.1", "Google Veo 3.1; MeiGen selects fast/pro with the tier field (fast is its default)")
               .Add("veo-3.1", new ModelMapping("veogen", "veo-3.1-fast", "VeoGen sells only the fast tier of Veo 3.1, as its own slug", GenerationTier.Fast) { IsDefaultForNoTier = true });
        return catalog;
    }

    /// <summary>Adds (or replaces) a vendor mapping for a canonical slug that applies to every tier.</summary>
    /// <param name="canonical">The canonical slug.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="vendorModel">The vendor's model id.</param>
    /// <param name="reason">Why it is believed equivalent.</param>
    /// <returns>This catalog.</returns>
    public ModelCatalog Map(ModelId canonical, string provider, ModelId vendorModel, string reason) =>
        Add(canonical, new ModelMapping(provider, vendorModel, reason));

    /// <summary>Adds a mapping; one that has the same provider and tier as an existing one replaces it.</summary>
    /// <param name="canonical">The canonical slug.</param>
    /// <param name="mapping">The mapping.</param>
    /// <returns>This catalog.</returns>
    public ModelCatalog Add(ModelId canonical, ModelMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
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
        return this;
    }

    /// <summary>Removes every mapping of a canonical slug to a provider.</summary>
    /// <param name="canonical">The canonical slug.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>This catalog.</returns>
    public ModelCatalog Remove(ModelId canonical, string provider)
    {
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
}
