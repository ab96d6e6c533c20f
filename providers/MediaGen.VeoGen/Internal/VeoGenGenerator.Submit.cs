using System.Collections.Concurrent;
using System.Globalization;
using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>One submit attempt: what was sent, with which key, and when it started (the reconciliation window).</summary>
internal sealed record SubmitAttempt(Prepared Prepared, string IdempotencyKey, DateTimeOffset StartedAt)
{
    public string Slug => Prepared.Model.Slug;

    public MediaKind Kind => Prepared.Model.Capabilities.Kind;

    public string Prompt => Prepared.Translation.Body["prompt"]?.GetValue<string>() ?? string.Empty;
}

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

        cancellationToken.ThrowIfCancellationRequested(); // nothing was sent yet

        ApiResponse response;
        try
        {
            response = await _api.SendAsync(HttpMethod.Post, "generations", ready.Translation.Body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller canceled after the POST may have left: VeoGen may have created (and charged) the generation.
            // No lookup runs under a canceled token; say what is known so the caller can find the job.
            return Canceled(attempt, "the caller canceled while the submit was in flight", null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Any failure once the send started may mean VeoGen received the submit (a dropped response, HttpClient's or
            // the resilience pipeline's timeout, an unreadable body), unless the connection was provably never made.
            if (ex is HttpRequestException && TransportFailure.Classify(ex) == TransportFailureKind.NotSent)
            {
                return new ProviderUnavailableError(
                    $"VeoGen could not be reached ({VeoGenApi.Describe(ex)}); the submit was never sent, so nothing was charged. It is safe to retry or fail over.",
                    Provider,
                    RejectedBeforeBilling: true);
            }

            return await ReconcileAsync(attempt, $"the exchange failed after the submit may have reached VeoGen ({VeoGenApi.Describe(ex)})", null, cancellationToken).ConfigureAwait(false);
        }

        if (response.IsSuccess)
        {
            var envelope = VeoGenApi.Deserialize(response, VeoGenJsonContext.Default.GenerationEnvelope, out var problem);
            var job = envelope is null ? null : VeoGenJobMapper.Map(envelope.Data, null, attempt.Kind, out problem);
            if (job is null && envelope?.Data?.Id is { } rawId && !string.IsNullOrWhiteSpace(rawId))
            {
                // The id is readable even though the rest is not (an unknown status, unreadable output): that id is
                // this submit's job. Adopt it as queued; polling reads the rest.
                job = new GenerationJob { Handle = HandleFor(rawId.Trim(), attempt), Status = GenerationStatus.Queued, Progress = 0 };
            }

            if (job is null || envelope is null)
            {
                return await ReconcileAsync(attempt, $"VeoGen accepted the submit (HTTP {response.Status}) but {problem}", response, cancellationToken).ConfigureAwait(false);
            }

            Claim(job.Handle.VendorJobId);
            Log.Accepted(_logger, job.Handle.VendorJobId, attempt.Slug, attempt.IdempotencyKey);
            var charged = LooseJson.Number(envelope.PriceUsd);
            return Accepted(job, attempt) with
            {
                Charge = charged is { } usd and >= 0 ? Money.Usd(usd) : job.Charge, // a negative price_usd is unreadable, not a refund
                RawRepresentation = Raw(response.Body),
            };
        }

        if (response.Status is not (400 or 401 or 402 or 403 or 404 or 422 or 429))
        {
            // A 5xx, or any status VeoGen does not document as a refusal (a redirect, 408, 409, 425, 499, …), does not
            // say whether the generation was created before the failure.
            return await ReconcileAsync(attempt, $"VeoGen answered the submit with HTTP {response.Status}, which does not say whether the generation was created", response, cancellationToken).ConfigureAwait(false);
        }

        return VeoGenErrors.ToError(response, "the submit", submit: true);
    }

    /// <summary>
    /// VeoGen has no idempotency key: after an ambiguous submit, look for the job in the generation list (same model,
    /// same prompt, created within the attempt's window). Exactly one match is adopted; anything else is outcome
    /// unknown with what is known. Nothing is ever resubmitted.
    /// </summary>
    private async Task<Result<GenerationJob>> ReconcileAsync(SubmitAttempt attempt, string why, ApiResponse? response, CancellationToken cancellationToken)
    {
        Log.SubmitAmbiguous(_logger, attempt.Slug, attempt.IdempotencyKey, why);
        try
        {
            var settled = await ReconcileCoreAsync(attempt, why, response, cancellationToken).ConfigureAwait(false);
            if (settled.TryGetValue(out var adopted))
            {
                Log.Recovered(_logger, attempt.Slug, attempt.IdempotencyKey, adopted.Handle.VendorJobId);
            }
            else
            {
                Log.OutcomeUnknown(_logger, attempt.Slug, attempt.IdempotencyKey, settled.Error.Message);
            }

            return settled;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The submit may have been charged: the caller's cancellation must not lose that. No lookup under a canceled token.
            return Canceled(attempt, $"{why}; the caller canceled the generation-list lookup", response);
        }
    }

    private async Task<Result<GenerationJob>> ReconcileCoreAsync(SubmitAttempt attempt, string why, ApiResponse? response, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var skew = _options.ReconciliationClockSkew;
        var from = attempt.StartedAt - skew;
        var until = _time.GetUtcNow() + skew;
        var type = attempt.Kind == MediaKind.Video ? "video" : "image";
        var size = Math.Clamp(_options.ReconciliationPageSize, 1, 100);
        var candidates = new List<(GenerationWire Wire, bool Dated)>();
        string? unsettled = null;

        for (var page = 1; ; page++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"generations?type={type}&per_page={size}&page={page}");
            var got = await _api.GetAsync(path, "the generation list (paying-once lookup)", cancellationToken).ConfigureAwait(false);
            if (!got.TryGetValue(out var listed))
            {
                unsettled = $"the generation list could not be read: {got.Error.Message}";
                break;
            }

            var list = VeoGenApi.Deserialize(listed, VeoGenJsonContext.Default.GenerationListWire, out var problem);
            if (list?.Data is not { } items)
            {
                unsettled = $"the generation list could not be read: {problem ?? "it has no 'data'"}";
                break;
            }

            var reachedOlder = false;
            foreach (var item in items)
            {
                if (item?.Id is not { Length: > 0 } id)
                {
                    continue;
                }

                var created = LooseJson.Time(item.CreatedAt);
                if (created < from)
                {
                    reachedOlder = true; // newest first: everything after this is older than the attempt
                    continue;
                }

                if (created > until
                    || !string.Equals(item.Model?.Trim(), attempt.Slug, StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(item.Prompt?.Trim(), attempt.Prompt.Trim(), StringComparison.Ordinal) // Laravel trims input strings
                    || _owned.ContainsKey(id))
                {
                    continue;
                }

                candidates.Add((item, created is not null));
            }

            var last = list.Meta?.LastPage;
            if (reachedOlder || items.Count < size || list.Meta is null || (last is { } l && page >= l))
            {
                break;
            }

            if (page >= Math.Max(1, _options.ReconciliationMaxPages))
            {
                unsettled = $"more than {page} pages of {type} generations are newer than the submit; the lookup stopped there";
                break;
            }
        }

        var window = $"created between {from:O} and {until:O}";
        if (candidates.Count == 1 && candidates[0].Dated && Claim(candidates[0].Wire.Id!))
        {
            var adopted = VeoGenJobMapper.Map(candidates[0].Wire, null, attempt.Kind, out var problem);
            if (adopted is not null)
            {
                return Accepted(adopted, attempt);
            }

            return Unknown(attempt, why, $"generation '{candidates[0].Wire.Id}' matches but cannot be read ({problem})", HandleFor(candidates[0].Wire.Id!, attempt), response);
        }

        if (candidates.Count > 1)
        {
            var ids = string.Join(", ", candidates.Select(c => c.Wire.Id));
            return Unknown(attempt, why, $"{candidates.Count} generations match (same model and prompt, {window}): {ids}; the one this submit created cannot be told apart", null, response);
        }

        if (candidates.Count == 1)
        {
            return Unknown(attempt, why, $"generation '{candidates[0].Wire.Id}' matches the model and prompt but its created_at cannot be read, so it may be an older job", HandleFor(candidates[0].Wire.Id!, attempt), response);
        }

        return Unknown(
            attempt,
            why,
            unsettled ?? $"the generation list shows no {attempt.Slug} job with this prompt {window}, but the list is not known to be complete at once, so the submit may still have been accepted",
            null,
            response);
    }

    private static GenerationJob Accepted(GenerationJob job, SubmitAttempt attempt) => job with
    {
        Handle = HandleFor(job.Handle.VendorJobId, attempt),
        Quote = attempt.Prepared.Price,
        Translation = attempt.Prepared.Translation.Report,
        PollAfter = null, // the first poll follows the model's typical generation time
    };

    private static JobHandle HandleFor(string vendorJobId, SubmitAttempt attempt) => new(Provider, vendorJobId)
    {
        Model = attempt.Prepared.Model.Capabilities.Id,
        IdempotencyKey = attempt.IdempotencyKey,
        SubmittedAt = attempt.StartedAt,
        Kind = attempt.Kind,
    };

    private OutcomeUnknownError Canceled(SubmitAttempt attempt, string why, ApiResponse? response)
    {
        Log.OutcomeUnknown(_logger, attempt.Slug, attempt.IdempotencyKey, why);
        var skew = _options.ReconciliationClockSkew;
        var message = $"The VeoGen submit may have been accepted and charged: {why}. VeoGen has no idempotency key and no lookup runs under a canceled token. "
            + $"Do not resubmit blindly: look in the generation list or the VeoGen dashboard for a {attempt.Slug} generation with the prompt \"{HttpResponseReader.Excerpt(attempt.Prompt)}\" "
            + $"created between {attempt.StartedAt - skew:O} and {_time.GetUtcNow() + skew:O}. (local idempotency key {attempt.IdempotencyKey})";
        return new OutcomeUnknownError(message, Provider, attempt.IdempotencyKey)
        {
            StatusCode = response?.Status,
            VendorMessage = response is null ? null : HttpResponseReader.Excerpt(response.Body),
        };
    }

    private static OutcomeUnknownError Unknown(SubmitAttempt attempt, string why, string finding, JobHandle? handle, ApiResponse? response)
    {
        var message = $"The VeoGen submit may have been accepted and charged: {why}. VeoGen has no idempotency key, so MediaGen looked for the job in the generation list: {finding}. "
            + (handle is null
                ? "Do not resubmit blindly: check the generation list or the VeoGen dashboard for this prompt first."
                : $"Resume with handle '{handle}' after checking it is this request.")
            + $" (local idempotency key {attempt.IdempotencyKey})";
        return new OutcomeUnknownError(message, Provider, attempt.IdempotencyKey, handle)
        {
            StatusCode = response?.Status,
            VendorMessage = response is null ? null : HttpResponseReader.Excerpt(response.Body),
        };
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
