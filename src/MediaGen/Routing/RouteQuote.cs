namespace MediaGen.Routing;

/// <summary>A request quoted at one vendor: the vendor's quote and, when known, its USD price.</summary>
/// <param name="Provider">The vendor.</param>
/// <param name="Quote">The vendor's quote (its model, translation report and price).</param>
/// <param name="Usd">The price in USD, or null when the price or the credit rate is unknown.</param>
public sealed record RouteQuote(string Provider, GenerationQuote Quote, Money? Usd);

/// <summary>A vendor that cannot serve a request, and why.</summary>
/// <param name="Provider">The vendor.</param>
/// <param name="Reason">Why (the validation errors, no mapping, not configured, …).</param>
/// <param name="Error">The error, when there is one.</param>
public sealed record RouteUnavailable(string Provider, string Reason, MediaGenError? Error = null);

/// <summary>The cost comparison of one request across vendors.</summary>
/// <param name="Quotes">The vendors that can serve the request, ranked by the strategy.</param>
/// <param name="Unavailable">The vendors that cannot, with the reason.</param>
public sealed record RouteQuotes(IReadOnlyList<RouteQuote> Quotes, IReadOnlyList<RouteUnavailable> Unavailable);
