using System.Globalization;
using MediaGen.Providers;
using MediaGen.VeoGen.Internal;

namespace MediaGen.VeoGen;

/// <summary>
/// The VeoGen endpoints beyond the generation contract: account, balance, the generation list and the models
/// endpoint. Get it with <c>generator.GetService&lt;VeoGenClient&gt;()</c>. Every call shares the provider's rate limiter.
/// </summary>
public sealed class VeoGenClient
{
    private readonly VeoGenGenerator _generator;

    internal VeoGenClient(VeoGenGenerator generator) => _generator = generator;

    /// <summary>Reads <c>GET /account</c>: the account's name, e-mail, USD balance and USD spent.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account, or the error.</returns>
    public async Task<Result<VeoGenAccount>> GetAccountAsync(CancellationToken cancellationToken = default)
    {
        var got = await _generator.Api.GetAsync("account", "the account", cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var response))
        {
            return got.Error;
        }

        var account = VeoGenApi.Deserialize(response, VeoGenJsonContext.Default.AccountEnvelope, out var problem)?.Data;
        return account is null
            ? Unreadable("the account", problem ?? "it has no 'data'", response)
            : new VeoGenAccount(account.Name, account.Email, Usd(account.UsdBalance), Usd(account.UsdSpent));
    }

    /// <summary>Reads <c>GET /balance</c> (on the documented <c>api.veogen.studio</c> host): the remaining and used USD balance.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The balance, or the error.</returns>
    public async Task<Result<VeoGenBalance>> GetBalanceAsync(CancellationToken cancellationToken = default)
    {
        var got = await _generator.Api.GetAsync(_generator.Api.BalancePath, "the balance", cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var response))
        {
            return got.Error;
        }

        var balance = VeoGenApi.Deserialize(response, VeoGenJsonContext.Default.BalanceWire, out var problem);
        return balance is null
            ? Unreadable("the balance", problem ?? "empty", response)
            : new VeoGenBalance(Usd(balance.RemainingBalance), Usd(balance.UsedBalance));
    }

    /// <summary>
    /// Reads <c>GET /models/{slug}</c> now (capabilities and price) and keeps it for later quotes: where the docs give
    /// no price, quotes use the one the endpoint publishes.
    /// </summary>
    /// <param name="model">The model slug.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model's capabilities as the endpoint describes them, or the error.</returns>
    public async Task<Result<ModelCapabilities>> RefreshModelAsync(ModelId model, CancellationToken cancellationToken = default)
    {
        if (model.IsEmpty)
        {
            return new InvalidRequestError(nameof(model), "a model slug is required.", VeoGenProvider.Name);
        }

        return await _generator.RefreshModelAsync(model, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one page of <c>GET /generations</c>. With a <paramref name="kind"/> the list is paged and carries its
    /// paging data; without one VeoGen returns a combined list of both kinds, most recent first, with no paging data
    /// and ignores <paramref name="page"/>.
    /// </summary>
    /// <param name="kind">Image or video, or null for the combined list.</param>
    /// <param name="perPage">Generations per page (1–100).</param>
    /// <param name="page">The page, from 1 (only with a kind).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, or the error.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="perPage"/> is outside 1–100 or <paramref name="page"/> is below 1.</exception>
    public async Task<Result<VeoGenGenerationPage>> ListGenerationsAsync(MediaKind? kind = null, int perPage = 20, int page = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perPage, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        if (kind is MediaKind.Audio)
        {
            return new InvalidRequestError(nameof(kind), "VeoGen lists image or video generations only.", VeoGenProvider.Name);
        }

        var path = kind is { } k
            ? string.Create(CultureInfo.InvariantCulture, $"generations?type={(k == MediaKind.Video ? "video" : "image")}&per_page={perPage}&page={page}")
            : string.Create(CultureInfo.InvariantCulture, $"generations?per_page={perPage}");
        var got = await _generator.Api.GetAsync(path, "the generation list", cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var response))
        {
            return got.Error;
        }

        var list = VeoGenApi.Deserialize(response, VeoGenJsonContext.Default.GenerationListWire, out var problem);
        if (list?.Data is not { } items)
        {
            return Unreadable("the generation list", problem ?? "it has no 'data'", response);
        }

        var jobs = new List<GenerationJob>(items.Count);
        foreach (var item in items)
        {
            var job = VeoGenJobMapper.Map(item, null, kind, out var itemProblem);
            if (job is null)
            {
                return Unreadable("the generation list", $"item {jobs.Count}: {itemProblem}", response);
            }

            jobs.Add(job);
        }

        return new VeoGenGenerationPage(jobs, list.Meta?.CurrentPage, list.Meta?.LastPage, list.Meta?.PerPage, list.Meta?.Total);
    }

    private static Money? Usd(decimal? amount) => amount is { } a ? Money.Usd(a) : null;

    private static ProviderUnavailableError Unreadable(string what, string problem, ApiResponse response) =>
        new($"VeoGen answered {what} with an unreadable body: {problem}.", VeoGenProvider.Name)
        {
            StatusCode = response.Status,
            VendorMessage = HttpResponseReader.Excerpt(response.Body),
        };
}
