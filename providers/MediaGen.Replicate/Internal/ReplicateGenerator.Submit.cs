using System.Collections.Concurrent;
using System.Globalization;
using MediaGen.Providers;

namespace MediaGen.Replicate.Internal;

/// <summary>One create attempt: what was sent, with which (local) key, and when it started (the reconciliation window).</summary>
internal sealed record SubmitAttempt(Prepared Prepared, string IdempotencyKey, DateTimeOffset StartedAt)
{
    public string Slug => Prepared.Model.Slug;

    public MediaKind Kind => Prepared.Model.Capabilities.Kind;

    public string Prompt => Prepared.Translation.Prompt;

    /// <summary>The job as this submit's: its handle, the quote and the translation report.</summary>
    public GenerationJob Adopt(GenerationJob job) => job with
    {
        Handle = HandleFor(job.Handle.VendorJobId),
        Quote = Prepared.Price,
        Translation = Prepared.Translation.Report,
        PollAfter = job.IsTerminal ? null : job.PollAfter,
    };

    public JobHandle HandleFor(string vendorJobId) => new(ReplicateProvider.Name, vendorJobId)
    {
        Model = Prepared.Model.Capabilities.Id,
        IdempotencyKey = IdempotencyKey,
        SubmittedAt = StartedAt,
        Kind = Kind,
    };
}

/// <summary>Creating, paying once, through the core's <see cref="SubmitEngine"/>; an ambiguous create is settled by <see cref="ReplicateSettlement"/>.</summary>
internal sealed partial class ReplicateGenerator
{
    private const int MaxOwned = 4096;

    // Predictions this instance already returned: a later reconciliation never adopts one of them, so two concurrent
    // identical creates cannot both claim the same prediction.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _owned = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    protected override async Task<Result<GenerationJob>> SendAsync(VendorSubmission<ReplicateModel, Translation> submission, CancellationToken cancellationToken)
    {
        var ready = new Prepared(submission.Model, submission.Payload, submission.Quote.Price);
        var attempt = new SubmitAttempt(ready, submission.IdempotencyKey, _time.GetUtcNow());
        if (_api.TryAcquire("the create") is { } refused)
        {
            return refused;
        }

        var translation = ready.Translation;
        var path = translation.Version is null ? $"models/{ready.Model.Slug}/predictions" : "predictions";
        var headers = new List<KeyValuePair<string, string>> { new("Cancel-After", translation.CancelAfter) };
        if (ready.Model.PreferWait && _options.PreferWaitSeconds is > 0 and <= 60)
        {
            // Sync mode (D1): an answer within n seconds holds the output; a slower one is the prediction in progress,
            // polled from here — never a second create.
            headers.Add(new("Prefer", string.Create(CultureInfo.InvariantCulture, $"wait={_options.PreferWaitSeconds}")));
        }

        var json = translation.Body();
        var call = new SubmitCall<GenerationJob>(
            attempt.IdempotencyKey,
            () => _api.NewRequest(HttpMethod.Post, path, json, headers),
            (HttpResponseMessage response, string body, out string? problem) => ReadAccepted(response, body, attempt, out problem))
        {
            Operation = $"POST /v1/{path}",
            Quoted = ready.Price.Amount,
        };
        var settlement = new ReplicateSettlement(_api, _options, _owned.ContainsKey, Claim, attempt, _logger);
        var sent = await _api.Submits.SubmitAsync(call, settlement, cancellationToken).ConfigureAwait(false);
        if (sent.TryGetValue(out var job))
        {
            Claim(job.Handle.VendorJobId);
            if (!settlement.Recovered)
            {
                Log.Accepted(_logger, job.Handle.VendorJobId, attempt.Slug, attempt.IdempotencyKey);
            }
        }
        else if (sent.Error is OutcomeUnknownError unknown)
        {
            Log.OutcomeUnknown(_logger, attempt.Slug, attempt.IdempotencyKey, unknown.Message);
        }
        else if (sent.Error is RateLimitedError { RetryAfter: null } limited && ReplicateErrors.RetryAfterFromText(limited.VendorMessage) is { } wait)
        {
            // The core reads Retry-After headers only; Replicate's 429 says "resets in ~30s" in its detail (§1.8).
            return limited with { RetryAfter = wait };
        }

        return sent;
    }

    /// <summary>
    /// Reads a 201/202 (both carry the full prediction; branch on status, §1.3). When the id is readable but the rest is
    /// not, that id is this create's prediction: it is adopted as queued and polling reads the rest.
    /// </summary>
    private GenerationJob? ReadAccepted(HttpResponseMessage message, string body, SubmitAttempt attempt, out string? problem)
    {
        var response = _api.Read(message, body);
        var wire = ReplicateApi.Deserialize(response, ReplicateJsonContext.Default.PredictionWire, out problem);
        var job = wire is null ? null : ReplicateJobMapper.Map(wire, null, attempt.Kind, out problem);
        if (job is null && wire?.Id is { } rawId && !string.IsNullOrWhiteSpace(rawId))
        {
            job = new GenerationJob { Handle = attempt.HandleFor(rawId.Trim()), Status = GenerationStatus.Queued, Progress = 0 };
        }

        if (job is null)
        {
            return null;
        }

        problem = null;
        return attempt.Adopt(job) with { RawRepresentation = Raw(response.Body) };
    }

    private bool Claim(string vendorJobId)
    {
        var now = _time.GetUtcNow();
        var nextSweep = Interlocked.Read(ref _nextSweepTicks);
        if (_owned.Count >= MaxOwned && now.UtcTicks >= nextSweep
            && Interlocked.CompareExchange(ref _nextSweepTicks, (now + TimeSpan.FromMinutes(1)).UtcTicks, nextSweep) == nextSweep)
        {
            foreach (var (id, at) in _owned)
            {
                if (now - at > TimeSpan.FromHours(1))
                {
                    _owned.TryRemove(id, out _);
                }
            }
        }

        return _owned.TryAdd(vendorJobId, now);
    }
}
