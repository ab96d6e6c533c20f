using System.Text.RegularExpressions;
using MediaGen.Routing;

namespace MediaGen.Cli;

/// <summary>One line of <c>mediagen models</c>: a canonical (or vendor-only) model at one vendor.</summary>
internal sealed partial record ModelRows(string Model, string Provider, string Native, MediaKind Kind, PriceQuote? Price)
{
    /// <summary>
    /// The price cell: the amount, or <c>unknown</c>, with the basis as a note when it says more than a flat price. The
    /// model's own id in the note reads <c>&lt;native slug&gt;</c>, so that models unknown for the same reason share one note.
    /// </summary>
    public CliCell PriceCell()
    {
        if (Price is null)
        {
            return new CliCell("unknown", "the vendor gave no quote for this model");
        }

        var basis = Regex.Replace(Price.Basis, $@"(?<![\w.-]){Regex.Escape(Native)}(?![\w-]|\.\w)", "<native slug>");
        return Price.Amount is { } amount
            ? new CliCell(CliTable.Amount(amount), FlatPrice().IsMatch(basis) ? null : basis)
            : new CliCell("unknown", basis);
    }

    public static async Task<IReadOnlyList<ModelRows>> ListAsync(MediaRouter router, HashSet<string>? only, CancellationToken cancellationToken)
    {
        var rows = new List<ModelRows>();
        var catalog = router.Catalog;
        foreach (var provider in router.Providers)
        {
            var name = provider.GetMetadata().Name;
            if (only is not null && !only.Contains(name))
            {
                continue;
            }

            var models = await provider.GetModelsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var model in models)
            {
                var canonical = catalog.CanonicalModels.FirstOrDefault(c => catalog.GetMappings(c).Any(m => m.Provider == name && m.VendorModel == model.Id));
                var quote = await provider.QuoteAsync(new GenerationRequest(model.Id, "price probe"), cancellationToken).ConfigureAwait(false);
                rows.Add(new ModelRows(canonical.IsEmpty ? model.Id.Value : canonical.Value, name, model.Id.Value, model.Kind, quote.TryGetValue(out var q) ? q.Price.WithUsd(router.Options.ExchangeRates) : null));
            }
        }

        return [.. rows.OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Provider, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"^flat [^()]* per generation$", RegexOptions.CultureInvariant)]
    private static partial Regex FlatPrice();
}
