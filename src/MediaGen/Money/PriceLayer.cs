namespace MediaGen;

/// <summary>
/// The price rules from one source (the docs' snapshot, a vendor's models endpoint, or the user's overrides), as one
/// layer of a <see cref="PriceBook"/>. Immutable. A later rule for the same model, kind and conditions replaces an
/// earlier one.
/// </summary>
public sealed class PriceLayer
{
    private readonly Dictionary<ModelId, List<PriceRule>> _byModel = [];

    /// <summary>Creates a layer.</summary>
    /// <param name="source">The source: <see cref="PriceSource.Snapshot"/>, <see cref="PriceSource.Live"/> or <see cref="PriceSource.Override"/>.</param>
    /// <param name="rules">The rules; each one's provenance must name <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">The source is not a layer's, or a rule comes from another source.</exception>
    public PriceLayer(PriceSource source, IEnumerable<PriceRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (source is not (PriceSource.Snapshot or PriceSource.Live or PriceSource.Override))
        {
            throw new ArgumentException($"A price layer is a snapshot, live or override layer, not {source}.", nameof(source));
        }

        Source = source;
        var all = new List<PriceRule>();
        foreach (var rule in rules)
        {
            ArgumentNullException.ThrowIfNull(rule, nameof(rules));
            if (rule.Provenance.Source != source)
            {
                throw new ArgumentException($"The {source} layer cannot hold a rule from {rule.Provenance.Source} ({rule.Model}, {rule.Kind}).", nameof(rules));
            }

            if (!_byModel.TryGetValue(rule.Model, out var list))
            {
                _byModel[rule.Model] = list = [];
            }

            var same = list.FindIndex(r => r.Kind == rule.Kind && r.When == rule.When);
            if (same >= 0)
            {
                all.Remove(list[same]);
                list[same] = rule;
            }
            else
            {
                list.Add(rule);
            }

            all.Add(rule);
        }

        Rules = all;
    }

    /// <summary>Gets the source of every rule in the layer.</summary>
    public PriceSource Source { get; }

    /// <summary>Gets the rules.</summary>
    public IReadOnlyList<PriceRule> Rules { get; }

    /// <summary>Gets whether the layer holds no rule.</summary>
    public bool IsEmpty => Rules.Count == 0;

    /// <summary>An empty layer.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The layer.</returns>
    public static PriceLayer Empty(PriceSource source) => new(source, []);

    /// <summary>The rules of one model (empty when none).</summary>
    /// <param name="model">The model.</param>
    /// <returns>The rules.</returns>
    public IReadOnlyList<PriceRule> For(ModelId model) => _byModel.TryGetValue(model, out var list) ? list : [];
}
