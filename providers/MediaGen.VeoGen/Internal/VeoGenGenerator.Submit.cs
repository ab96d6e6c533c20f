using System.Collections.Concurrent;
using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>One submit attempt: what was sent, with which key, and when it started (the reconciliation window).</summary>
internal sealed record SubmitAttempt(Prepared Prepared, string IdempotencyKey, DateTimeOffset StartedAt)
{
    public string Slug => Prepared.Model.Slug;

    public MediaKind Kind => Prepared.Model.Capabilities.Kind;

    public string Prompt => Prepared.Translation.Body["prompt"]?.GetValue<string>() ?? string.Empty;

    /// <summary>The job as this submit's: its handle, the quote and the translation report.</summary>
    public GenerationJob Adopt(GenerationJob job) => Adopt(job, job.Charge, job.RawRepresentation);

    /// <summary>The job as this submit's, with the charge and raw answer read from it (one copy).</summary>
    public GenerationJob Adopt(GenerationJob job, Money? charge, object? raw) => job with
    {
        Handle = HandleFor(job.Handle.VendorJobId),
        Quote = Prepared.Price,
        Translation = Prepared.Translation.Report,
        PollAfter = null, // the first poll follows the model's typical generation time
        Charge = charge,
        RawRepresentation = raw,
    };

    public JobHandle HandleFor(string vendorJobId) => new(VeoGenApi.Provider, vendorJobId)
    {
        Model = Prepared.Model.Capabilities.Id,
        IdempotencyKey = IdempotencyKey,
        SubmittedAt = StartedAt,
        Kind = Kind,
    };
}

/// <summary>Submitting, paying once, through the core's <see cref="SubmitEngine"/>; an ambiguous submit is settled by <see cref="VeoGenSettlement"/>.</summary>
internal sealed partial class VeoGenGenerator
{
    private const int MaxOwned = 4096;

    // Generations this instance already returned (submitted or adopted): a later reconciliation never adopts one
    // of them, so two concurrent identical submits cannot both claim the same vendor job.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _owned = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    protected override async Task<Result<GenerationJob>> SendAsync(VendorSubmission<VeoGenModel, Translation> submission, CancellationToken cancellationToken)
    {
        var ready = new Prepared(submission.Model, submission.Payload, submission.Quote.Price);
        var attempt = new SubmitAttempt(ready, submission.IdempotencyKey, _time.GetUtcNow());
        if (_api.TryAcquire("the submit") is { } refused)
        {
            return refused;
        }

        var json = JsonBodies.ToUtf8(ready.Translation.Body);
        var call = new SubmitCall<GenerationJob>(
            attempt.IdempotencyKey,
            () => _api.NewRequest(HttpMethod.Post, "generations", json),
            (HttpResponseMessage response, ReadOnlySpan<byte> body, out string? problem) => ReadAccepted(response, body, attempt, out problem));
        var settlement = new VeoGenSettlement(_api, _options, _time, _owned.ContainsKey, Claim, attempt, _logger);
        var sent = await _api.Submits.SubmitAsync(call, settlement, cancellationToken).ConfigureAwait(false);
        if (sent.TryGetValue(out var job))
        {
            Claim(job.Handle.VendorJobId); // a job the settlement adopted is claimed already
            if (!settlement.Recovered)
            {
                Log.Accepted(_logger, job.Handle.VendorJobId, attempt.Slug, attempt.IdempotencyKey);
            }
        }
        else if (sent.Error is OutcomeUnknownError unknown)
        {
            Log.OutcomeUnknown(_logger, attempt.Slug, attempt.IdempotencyKey, unknown.Message);
        }

        return sent;
    }

    /// <summary>
    /// Reads VeoGen's 2xx answer. When the id is readable but the rest is not (an unknown status, unreadable output), that
    /// id is this submit's job: it is adopted as queued and polling reads the rest.
    /// </summary>
    private GenerationJob? ReadAccepted(HttpResponseMessage message, ReadOnlySpan<byte> body, SubmitAttempt attempt, out string? problem)
    {
        var response = _api.Read(message, body);
        var envelope = VeoGenApi.ReadGeneration(response, out var raw, out problem);
        var job = envelope is null ? null : VeoGenJobMapper.Map(envelope.Data, null, attempt.Kind, out problem);
        if (job is null && envelope?.Data?.Id is { } rawId && !string.IsNullOrWhiteSpace(rawId))
        {
            job = new GenerationJob { Handle = attempt.HandleFor(rawId.Trim()), Status = GenerationStatus.Queued, Progress = 0 };
        }

        if (job is null || envelope is null)
        {
            return null;
        }

        problem = null;
        var charged = LooseJson.Number(envelope.PriceUsd);
        return attempt.Adopt(job, charged is { } usd and >= 0 ? Money.Usd(usd) : job.Charge, raw); // a negative price_usd is unreadable, not a refund
    }

    private bool Claim(string vendorJobId)
    {
        var now = _time.GetUtcNow();

        // Sweep at most once a minute: sweeping on every claim once the set is full made each submit walk thousands
        // of entries (and nothing younger than an hour may be forgotten, so the set can stay over MaxOwned).
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
