using System.Runtime.CompilerServices;
using System.Text;
using MediaGen.Apiframe.Internal;
using MediaGen.Providers;

namespace MediaGen.Apiframe;

/// <summary>
/// Apiframe calls beyond the <see cref="IMediaGenerator"/> contract: the account (<c>GET /v2/me</c>) and the job list
/// (<c>GET /v2/jobs</c>, cursor paging). Get it with <c>generator.GetService&lt;ApiframeClient&gt;()</c>. Thread-safe.
/// </summary>
public sealed class ApiframeClient
{
    private readonly ApiframeApi _api;

    internal ApiframeClient(ApiframeApi api) => _api = api;

    /// <summary>Reads the account behind the key: credits and <c>maxConcurrentJobs</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account, or the error.</returns>
    public async Task<Result<ApiframeAccount>> GetAccountAsync(CancellationToken cancellationToken = default)
    {
        var got = await _api.GetAsync("v2/me", ApiframeJsonContext.Default.MeDto, "GET /v2/me", cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var value))
        {
            return got.Error;
        }

        var (me, _) = value;
        var credits = me.Team is { } team ? LooseJson.Number(team.Credits) : null;
        var max = me.Team is { } t ? LooseJson.Number(t.MaxConcurrentJobs) : null;
        return new ApiframeAccount
        {
            Credits = credits is { } c ? Money.Credits(c, ApiframeProvider.Name) : null,
            MaxConcurrentJobs = max is { } m && m >= 1 && m <= int.MaxValue ? (int)m : null,
            Plan = me.Team?.Plan,
            TeamId = me.Team?.Id,
            TeamName = me.Team?.Name,
            UserId = me.User?.Id,
            Role = me.User?.Role,
            ApiKeyName = me.ApiKey?.Name,
        };
    }

    /// <summary>Reads one page of jobs.</summary>
    /// <param name="query">Filters and the cursor; null for the first page of the vendor defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, or the error.</returns>
    public async Task<Result<ApiframeJobPage>> ListJobsAsync(ApiframeJobQuery? query = null, CancellationToken cancellationToken = default)
    {
        if (query?.Limit is < 1 or > 100)
        {
            return new InvalidRequestError(nameof(ApiframeJobQuery.Limit), $"must be 1–100; got {query.Limit}.", ApiframeProvider.Name);
        }

        var got = await _api.GetAsync(ListPath(query), ApiframeJsonContext.Default.JobListDto, "GET /v2/jobs", cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var value))
        {
            return got.Error;
        }

        var (list, _) = value;
        if (list.Jobs is null)
        {
            return new ProviderUnavailableError("Apiframe answered GET /v2/jobs without a 'jobs' array. Retry later; if it persists the API may have changed.", ApiframeProvider.Name);
        }

        var jobs = new List<GenerationJob>(list.Jobs.Count);
        foreach (var dto in list.Jobs)
        {
            var job = dto is null ? null : ApiframeJobMapper.TryMap(ApiframeJobMapper.From(dto), null, dto, out var problem);
            if (job is null)
            {
                return new ProviderUnavailableError($"Apiframe listed a job MediaGen cannot read ({(dto is null ? "null entry" : dto.Id)}). Retry later; if it persists the API may have changed.", ApiframeProvider.Name);
            }

            jobs.Add(job);
        }

        var next = string.IsNullOrWhiteSpace(list.NextCursor) ? null : list.NextCursor;
        return new ApiframeJobPage(jobs, next, (list.HasMore ?? next is not null) && next is not null);
    }

    /// <summary>Reads every page, following <c>nextCursor</c> until <c>hasMore</c> is false.</summary>
    /// <param name="query">Filters (its <see cref="ApiframeJobQuery.Cursor"/> is the starting page).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The jobs, page by page.</returns>
    /// <exception cref="MediaGenException">A page could not be read; <see cref="MediaGenException.Error"/> is the error.</exception>
    public async IAsyncEnumerable<GenerationJob> ListAllJobsAsync(ApiframeJobQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new ApiframeJobQuery
        {
            Status = query?.Status, Model = query?.Model, Limit = query?.Limit, Cursor = query?.Cursor, Scope = query?.Scope, Search = query?.Search,
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var result = await ListJobsAsync(page, cancellationToken).ConfigureAwait(false);
            var current = result.GetValueOrThrow();
            foreach (var job in current.Jobs)
            {
                yield return job;
            }

            // Stop on the last page, and on a cursor that repeats (a vendor bug would otherwise loop forever).
            if (!current.HasMore || current.NextCursor is null || !seen.Add(current.NextCursor))
            {
                yield break;
            }

            page.Cursor = current.NextCursor;
        }
    }

    private static string ListPath(ApiframeJobQuery? q)
    {
        var sb = new StringBuilder("v2/jobs");
        var first = true;
        void Add(string name, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }

            sb.Append(first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        Add("status", q?.Status);
        Add("model", q?.Model);
        Add("limit", q?.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("cursor", q?.Cursor);
        Add("scope", q?.Scope);
        Add("search", q?.Search);
        return sb.ToString();
    }
}
