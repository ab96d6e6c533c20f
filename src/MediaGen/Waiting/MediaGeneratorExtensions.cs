using MediaGen.Telemetry;

namespace MediaGen;

/// <summary>
/// Submit-a-request, generate-and-wait, waiting, metadata and model look-up, written once for every
/// <see cref="IMediaGenerator"/> (a provider, the router, or middleware around either).
/// </summary>
public static class MediaGeneratorExtensions
{
    /// <summary>
    /// Quotes the request, then submits that quote (what was validated and priced is what is sent). The request's
    /// idempotency key is kept; when it has none, one is minted here, once, and kept across retries and failover.
    /// </summary>
    /// <param name="generator">The provider or router.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted job, or why the request was not accepted.</returns>
    public static async Task<Result<GenerationJob>> SubmitAsync(this IMediaGenerator generator, GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(request);
        var quoted = await generator.QuoteAsync(WithKey(request), cancellationToken).ConfigureAwait(false);
        return quoted.TryGetValue(out var quote)
            ? await generator.SubmitAsync(quote, cancellationToken).ConfigureAwait(false)
            : quoted.Error!;
    }

    /// <summary>
    /// Quotes and submits the request and waits for the job to end. The submitted job is reported to
    /// <paramref name="progress"/> first, so the caller learns the handle before waiting starts. When the job fails
    /// and the generator offers an <see cref="IJobResubmitPolicy"/> (the router with <c>ResubmitOnJobFailure</c>), the
    /// request is resubmitted where the policy says, through the same generator.
    /// </summary>
    /// <param name="generator">The provider or router.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">How to wait.</param>
    /// <param name="progress">Receives every job update.</param>
    /// <param name="cancellationToken">Stops waiting (the job is not canceled at the vendor).</param>
    /// <returns>The ended job (succeeded, failed or canceled) with its attempt trail, or the error.</returns>
    /// <exception cref="JobWaitCanceledException">The token was canceled after the job was accepted; it carries the handle.</exception>
    public static async Task<Result<GenerationJob>> GenerateAsync(
        this IMediaGenerator generator,
        GenerationRequest request,
        WaitOptions? options = null,
        IProgress<GenerationJob>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(request);

        // One trace per generation: quotes, the route, every submit and every poll are children of this span.
        // One state machine for the whole generation (quote, submit, record, wait, resubmit): a waiting job's chain of
        // boxes is this one and the wait loop's.
        using var activity = MediaGenTelemetry.StartGenerate(request.Model);
        try
        {
            Result<GenerationJob> result;
            var quoted = await generator.QuoteAsync(WithKey(request), cancellationToken).ConfigureAwait(false);
            if (!quoted.TryGetValue(out var quote))
            {
                result = quoted.Error!;
                MediaGenTelemetry.SetResult(activity, result);
                return result;
            }

            quoted = default;
            GenerationJob? lastFailed = null;
            var policy = generator.GetService(typeof(IJobResubmitPolicy)) as IJobResubmitPolicy;
            while (true)
            {
                var submitted = await generator.SubmitAsync(quote, cancellationToken).ConfigureAwait(false);
                if (!submitted.TryGetValue(out var job))
                {
                    // After a failed job, "nowhere else to go" is not the story: the job failed. Return it with the trail.
                    result = lastFailed is not null && submitted.Error is NoRouteError noRoute
                        ? lastFailed with { Attempts = noRoute.Attempts }
                        : submitted;
                    break;
                }

                // The quote (its request, translation and route) stays alive across the wait only if it may be resubmitted.
                var resubmittable = policy is not null && policy.MayResubmit(quote) ? quote : null;
                quote = null!;
                submitted = default;
                // Record the paid job before anything user code can throw (a progress handler), so it cannot be lost.
                await RecordSubmittedAsync(options, job).ConfigureAwait(false);
                progress?.Report(job);
                if (job.IsTerminal)
                {
                    MediaGenTelemetry.RecordEnded(job, (options?.TimeProvider ?? TimeProvider.System).GetUtcNow());
                    await RecordFinishedAsync(options, job).ConfigureAwait(false);
                    result = job;
                }
                else
                {
                    // What is kept across the wait: the job's handle, quote, charge, report and trail, not its raw answer.
                    var kept = job.RawRepresentation is null ? job : job with { RawRepresentation = null };
                    job = null!;
                    result = await WaitCoreAsync(generator, kept.Handle, kept, options, progress, cancellationToken).ConfigureAwait(false);
                    result = await EndSubmittedAsync(kept, result, options).ConfigureAwait(false);
                }

                if (!result.TryGetValue(out var final) || final.Status != GenerationStatus.Failed
                    || resubmittable is null
                    || await policy!.GetResubmitQuoteAsync(resubmittable, final, cancellationToken).ConfigureAwait(false) is not { } next)
                {
                    break;
                }

                lastFailed = final;
                quote = next;
            }

            MediaGenTelemetry.SetResult(activity, result);
            return result;
        }
        catch (Exception ex) when (activity is not null)
        {
            MediaGenTelemetry.SetException(activity, ex);
            throw;
        }
    }

    /// <summary>Gets what the generator is: its <see cref="ProviderMetadata"/> (through <see cref="IMediaGenerator.GetService"/>).</summary>
    /// <param name="generator">The provider or router.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidOperationException">The generator offers no <see cref="ProviderMetadata"/>.</exception>
    public static ProviderMetadata GetMetadata(this IMediaGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.GetService(typeof(ProviderMetadata)) as ProviderMetadata
            ?? throw new InvalidOperationException($"{generator.GetType().Name} offers no {nameof(ProviderMetadata)} through GetService; every MediaGen provider must describe itself.");
    }

    /// <summary>Lists the models the generator serves (its <see cref="IModelList"/>; none when it offers no list).</summary>
    /// <param name="generator">The provider or router.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models, with their capabilities.</returns>
    public static ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(this IMediaGenerator generator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.GetService(typeof(IModelList)) is IModelList models
            ? models.GetModelsAsync(cancellationToken)
            : ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>([]);
    }

    /// <summary>Finds a model's capabilities at this provider, or null.</summary>
    /// <param name="generator">The provider.</param>
    /// <param name="model">The model id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The capabilities, or null when the provider does not serve the model.</returns>
    public static async ValueTask<ModelCapabilities?> FindModelAsync(this IMediaGenerator generator, ModelId model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var models = await generator.GetModelsAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < models.Count; i++)
        {
            if (models[i].Id == model)
            {
                return models[i];
            }
        }

        return null;
    }

    /// <summary>Gets a typed service from the provider.</summary>
    /// <typeparam name="T">The service type.</typeparam>
    /// <param name="generator">The provider.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or null.</returns>
    public static T? GetService<T>(this IMediaGenerator generator, object? serviceKey = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.GetService(typeof(T), serviceKey) as T;
    }

    /// <summary>Only an absent key is minted (a blank one the caller set is validated, and refused, like any field).</summary>
    private static GenerationRequest WithKey(GenerationRequest request)
    {
        if (request.IdempotencyKey is not null)
        {
            return request;
        }

        var keyed = request.Clone();
        keyed.IdempotencyKey = Providers.IdempotencyKeys.NewKey();
        return keyed;
    }

    /// <summary>A just-accepted job's wait ended: the ended job keeps the submit's quote, charge and trail; it is recorded once.</summary>
    private static ValueTask<Result<GenerationJob>> EndSubmittedAsync(GenerationJob job, Result<GenerationJob> waited, WaitOptions? options)
    {
        if (!waited.TryGetValue(out var polled))
        {
            return ValueTask.FromResult(job.Attempts.Count > 0 ? waited.Error! with { Attempts = job.Attempts } : waited);
        }

        var ended = polled with
        {
            Quote = polled.Quote ?? job.Quote,
            Charge = polled.Charge ?? job.Charge,
            Translation = polled.Translation ?? job.Translation,
            Attempts = polled.Attempts.Count > 0 ? polled.Attempts : job.Attempts,
        };

        // Recorded here, once, on the merged job: VeoGen reports the charge with the submit, MeiGen and Apiframe on
        // the final poll; a charge on both is the same charge.
        MediaGenTelemetry.RecordEnded(ended, (options?.TimeProvider ?? TimeProvider.System).GetUtcNow());
        var recording = RecordFinishedAsync(options, ended);
        return recording.IsCompletedSuccessfully ? ValueTask.FromResult<Result<GenerationJob>>(ended) : AwaitRecordedAsync(recording, ended);

        static async ValueTask<Result<GenerationJob>> AwaitRecordedAsync(Task recording, GenerationJob ended)
        {
            await recording.ConfigureAwait(false);
            return ended;
        }
    }

    /// <summary>Records an accepted job in the options' ledger (if any) before waiting starts.</summary>
    internal static Task RecordSubmittedAsync(WaitOptions? options, GenerationJob job) =>
        options?.Ledger is { } ledger ? ledger.RecordSubmittedAsync(job.Handle, CancellationToken.None) : Task.CompletedTask;

    /// <summary>Marks an ended job in the options' ledger (if any); a job still running stays open for resumption.</summary>
    internal static Task RecordFinishedAsync(WaitOptions? options, GenerationJob job) =>
        options?.Ledger is { } ledger && job.IsTerminal ? ledger.RecordFinishedAsync(job, CancellationToken.None) : Task.CompletedTask;

    /// <summary>
    /// Waits for a job to end: the first poll near the model's typical generation time, then the vendor's interval,
    /// honouring server hints and <c>Retry-After</c>, riding out transient errors, until the deadline.
    /// </summary>
    /// <param name="generator">The provider or router.</param>
    /// <param name="handle">The job.</param>
    /// <param name="options">How to wait.</param>
    /// <param name="progress">Receives each change of status or progress.</param>
    /// <param name="cancellationToken">Stops waiting (the job is not canceled at the vendor).</param>
    /// <returns>The ended job, <see cref="TimedOutError"/> at the deadline (the job lives on), or a non-transient error.</returns>
    /// <exception cref="JobWaitCanceledException">The token was canceled; it carries the handle.</exception>
    public static Task<Result<GenerationJob>> WaitForCompletionAsync(
        this IMediaGenerator generator,
        JobHandle handle,
        WaitOptions? options = null,
        IProgress<GenerationJob>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(handle);
        return WaitTracedAsync(generator, handle, options, progress, cancellationToken);
    }

    /// <summary>Waits under one <c>wait</c> span (a resumed job's polls share one trace too) and records the ended job once.</summary>
    private static async Task<Result<GenerationJob>> WaitTracedAsync(
        IMediaGenerator generator,
        JobHandle handle,
        WaitOptions? options,
        IProgress<GenerationJob>? progress,
        CancellationToken cancellationToken)
    {
        using var activity = MediaGenTelemetry.StartWait(handle);
        try
        {
            var result = await WaitCoreAsync(generator, handle, null, options, progress, cancellationToken).ConfigureAwait(false);
            if (result.TryGetValue(out var ended))
            {
                MediaGenTelemetry.RecordEnded(ended, (options?.TimeProvider ?? TimeProvider.System).GetUtcNow());
            }

            MediaGenTelemetry.SetResult(activity, result);
            return result;
        }
        catch (Exception ex) when (activity is not null)
        {
            MediaGenTelemetry.SetException(activity, ex);
            throw;
        }
    }

    private static async Task<Result<GenerationJob>> WaitCoreAsync(
        IMediaGenerator generator,
        JobHandle handle,
        GenerationJob? submitted,
        WaitOptions? options,
        IProgress<GenerationJob>? progress,
        CancellationToken cancellationToken)
    {
        options ??= WaitOptions.Default;
        var time = options.TimeProvider ?? TimeProvider.System;

        // The router answers for the vendor that owns the handle; ask it for that vendor's metadata and models.
        var owner = generator.GetService(typeof(IMediaGenerator), handle.Provider) as IMediaGenerator ?? generator;
        var metadata = owner.GetService<ProviderMetadata>() ?? generator.GetService<ProviderMetadata>();
        var interval = options.PollInterval ?? metadata?.RecommendedPollInterval ?? DefaultPollInterval;
        ModelCapabilities? capabilities;
        try
        {
            capabilities = await TryFindModelAsync(owner, handle, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new JobWaitCanceledException(handle, cancellationToken);
        }

        var kind = handle.Kind ?? capabilities?.Kind ?? MediaKind.Image;
        var deadline = options.Deadline ?? (kind == MediaKind.Video ? WaitOptions.DefaultVideoDeadline : WaitOptions.DefaultImageDeadline);
        var webhooks = options.Updates is not null && metadata is { PushesWebhooks: true };

        // No timer and no token source per wait: the deadline is a due time, sleeps go to the clock's one shared
        // timer (WaitScheduler), and a pushed update or the caller's token wakes the sleep early.
        var deadlineAt = time.GetUtcNow() + deadline;
        var sleep = new WaitSleep(WaitScheduler.For(time));
        using var canceled = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((WaitSleep)s!).Cancel(), sleep)
            : default;
        using var subscription = webhooks ? options.Updates!.Subscribe(handle) : null;
        if (subscription is not null)
        {
            subscription.Sleeper = sleep;
        }

        var now = time.GetUtcNow();
        var elapsed = handle.SubmittedAt is { } at && at <= now ? now - at : TimeSpan.Zero;
        var typical = capabilities?.TypicalGenerationTime;

        // A learned plan unless the caller fixed the schedule: what this vendor's model really took, recently.
        var learner = options.PollInterval is null && options.FirstPollDelay is null
            ? options.Learner ?? owner.GetService<PollingLearner>()
            : null;
        // With a job store that keeps polling statistics, the learner starts from what earlier processes learned.
        var plan = learner is null ? null : await learner.PlanForAsync(handle, typical, interval, StatsStoreOf(generator, options)).ConfigureAwait(false);
        // The vendor's documented polling interval is a floor for every gap of this job (MeiGen: 3 s), unless the caller
        // fixed the schedule: the ramp and the learned plan may ask for less near the typical time.
        var floor = options.PollInterval is null ? metadata?.Pacing.PollFloorFor(kind) : null;
        var firstFloor = options.FirstPollDelay is null ? floor : null;
        var delay = AtLeast(PollingSchedule.FirstDelay(options, interval, typical, elapsed, submitted, now, webhooks, plan), firstFloor);

        // While waiting, no raw answer (a pooled JsonDocument, a wire DTO) is kept: the caller saw it (the submitted job
        // comes without it).
        var last = submitted;
        var lastPollElapsed = elapsed;
        var consecutiveErrors = 0;
        var consecutiveUnreadable = 0;

        while (true)
        {
            // Sleep (never past the deadline) on the clock's shared timer, unless a pushed update is already there or
            // arrives first, or the caller cancels.
            WaitWake woke;
            var before = time.GetUtcNow();
            if (cancellationToken.IsCancellationRequested)
            {
                woke = WaitWake.Canceled;
            }
            else if (subscription is not null && subscription.HasUnread)
            {
                woke = WaitWake.Update;
            }
            else if (before >= deadlineAt)
            {
                woke = WaitWake.Deadline;
            }
            else if (delay <= TimeSpan.Zero)
            {
                woke = WaitWake.Due;
            }
            else
            {
                var toDeadline = before + delay >= deadlineAt;
                var waking = sleep.SleepUntil(toDeadline ? deadlineAt : before + delay);

                // What arrived while arming (its wake found nothing armed) wakes the sleep now, not at the due time.
                if (cancellationToken.IsCancellationRequested)
                {
                    sleep.Wake(WaitWake.Canceled);
                }
                else if (subscription is not null && subscription.HasUnread)
                {
                    sleep.Wake(WaitWake.Update);
                }

                woke = await waking.ConfigureAwait(false);
                if (woke == WaitWake.Due && (toDeadline || time.GetUtcNow() >= deadlineAt))
                {
                    woke = WaitWake.Deadline;
                }
            }

            if (woke is WaitWake.Canceled)
            {
                throw new JobWaitCanceledException(handle, cancellationToken);
            }

            if (woke is WaitWake.Deadline)
            {
                return TimedOut(handle, deadline, last);
            }

            if (woke is WaitWake.Update && subscription!.TryRead(out var pushed))
            {
                Report(progress, ref last, pushed);
                if (pushed.IsTerminal)
                {
                    await LearnAsync(learner, handle, pushed, time.GetUtcNow(), null).ConfigureAwait(false);
                    return pushed; // the caller records the ended job (once, with the submit's charge)
                }

                delay = AtLeast(NextDelay(options, interval, pushed, time.GetUtcNow(), webhooks, typical, handle.SubmittedAt, plan, afterPoll: false), floor);
                continue;
            }

            Result<GenerationJob> polled;
            try
            {
                // The deadline also bounds a poll in flight: a token source for the poll only, gone when it answers. The
                // caller's token cancels it through the wait's one registration (no linked source per poll).
                using var pollDeadline = new CancellationTokenSource(Positive(deadlineAt - time.GetUtcNow()), time);
                sleep.Poll = pollDeadline;
                if (cancellationToken.IsCancellationRequested)
                {
                    sleep.CancelPoll();
                }

                try
                {
                    polled = await generator.GetJobAsync(handle, pollDeadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && pollDeadline.IsCancellationRequested)
                {
                    return TimedOut(handle, deadline, last);
                }
                finally
                {
                    sleep.Poll = null;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new JobWaitCanceledException(handle, cancellationToken);
            }

            if (polled.TryGetValue(out var job))
            {
                consecutiveErrors = 0;
                consecutiveUnreadable = 0;
                Report(progress, ref last, job);
                if (job.IsTerminal)
                {
                    await LearnAsync(learner, handle, job, time.GetUtcNow(), lastPollElapsed).ConfigureAwait(false);
                    return job; // the caller records the ended job (once, with the submit's charge)
                }

                if (job.RawRepresentation is not null)
                {
                    last = job with { RawRepresentation = null };
                }

                lastPollElapsed = handle.SubmittedAt is { } submittedAt ? time.GetUtcNow() - submittedAt : lastPollElapsed;
                delay = AtLeast(NextDelay(options, interval, job, time.GetUtcNow(), webhooks, typical, handle.SubmittedAt, plan, afterPoll: true), floor);
                continue;
            }

            switch (polled.Error)
            {
                case RateLimitedError limited:
                    consecutiveErrors++;
                    delay = AtLeast(PollingSchedule.AfterError(options, interval, 1, limited.RetryAfter), floor);
                    break;
                case ProviderUnavailableError or OutcomeUnknownError:
                    consecutiveErrors++;
                    if (++consecutiveUnreadable >= options.MaxConsecutiveStatusFailures)
                    {
                        // Waits end: the vendor cannot tell us about the job now. It was accepted and may be
                        // billed, so the error carries the handle and the ledger keeps it open for resuming.
                        return Unreadable(handle, polled.Error, consecutiveUnreadable, last);
                    }

                    delay = AtLeast(PollingSchedule.AfterError(options, interval, consecutiveErrors, (polled.Error as ProviderUnavailableError)?.RetryAfter), floor);
                    break;
                case NotFoundError when IsJustSubmitted(handle, time.GetUtcNow()):
                    // Vendors' reads can lag their writes (replicas, list indexes): a job accepted moments ago
                    // that reads as missing is retried, not given up on.
                    consecutiveErrors++;
                    delay = AtLeast(PollingSchedule.AfterError(options, interval, consecutiveErrors, null), floor);
                    break;
                default:
                    // The job was accepted: whatever ends the wait now, it may have been billed. Say so, and
                    // name the handle so the caller can resume or reconcile it instead of paying again.
                    var error = polled.Error;
                    return error with
                    {
                        RejectedBeforeBilling = false,
                        Message = $"{error.Message} (while waiting for job {handle}, which the vendor had accepted and may have billed: check or resume it by its handle before submitting again)",
                    };
            }
        }
    }

    private static TimeSpan Positive(TimeSpan span) => span > TimeSpan.Zero ? span : TimeSpan.Zero;

    private static TimedOutError TimedOut(JobHandle handle, TimeSpan deadline, GenerationJob? last) => new(
        $"Stopped waiting for {handle} after {deadline.TotalSeconds:0} s (last seen {last?.Status.ToString() ?? "not yet polled"}); the job goes on at {handle.Provider}: resume it with its handle.",
        handle.Provider,
        handle,
        last);

    private static TimeSpan AtLeast(TimeSpan delay, TimeSpan? floor) => floor is { } f && delay < f ? f : delay;

    /// <summary>The wait ended because the vendor's status answers could not be read, several in a row.</summary>
    private static TimedOutError Unreadable(JobHandle handle, MediaGenError error, int count, GenerationJob? last) => new(
        $"Stopped waiting for {handle}: {count} status answers in a row could not be read or failed (the last: {error.Message.TrimEnd('.')}). {handle.Provider} accepted the job and may have billed it; it is not marked finished. Resume waiting by its handle once {handle.Provider} answers again.",
        handle.Provider,
        handle,
        last)
    {
        Reason = TimedOutReason.StatusUnreadable,
        StatusCode = error.StatusCode,
        VendorMessage = error.VendorMessage,
    };

    private static TimeSpan NextDelay(WaitOptions options, TimeSpan interval, GenerationJob job, DateTimeOffset now, bool webhooks, TimeSpan? typical, DateTimeOffset? submittedAt, PollPlan? plan, bool afterPoll) =>
        PollingSchedule.NextDelay(options, interval, job, now, webhooks, typical, submittedAt is { } at && at <= now ? now - at : null, plan, afterPoll);

    /// <summary>
    /// Teaches the learner how long a succeeded job took: the vendor's completion time when its answer has one, else
    /// between the last poll that saw it running (<paramref name="runningUntil"/>) and now; a pushed update is taken as on time.
    /// </summary>
    /// <remarks>The task completes when a store that keeps the learner's figures has the observation (or after the learner's store limit); it never faults.</remarks>
    private static Task LearnAsync(PollingLearner? learner, JobHandle handle, GenerationJob ended, DateTimeOffset now, TimeSpan? runningUntil)
    {
        if (learner is null || ended.Status != GenerationStatus.Succeeded || handle.SubmittedAt is not { } submittedAt || now < submittedAt)
        {
            return Task.CompletedTask;
        }

        if (ended.CompletedAt is { } completedAt && completedAt >= submittedAt && completedAt <= now)
        {
            return learner.ObserveAsync(handle, completedAt - submittedAt, completedAt - submittedAt);
        }

        var seen = now - submittedAt;
        return learner.ObserveAsync(handle, runningUntil is { } running && running < seen ? running : seen, seen);
    }

    /// <summary>The polling statistics store of the pipeline's job store (<c>UseJobStore</c>, <c>UseFleet</c>) or of the options' ledger, if it keeps them.</summary>
    private static IPollingStatsStore? StatsStoreOf(IMediaGenerator generator, WaitOptions options) =>
        generator.GetService(typeof(IJobStore)) as IPollingStatsStore ?? options.Ledger as IPollingStatsStore;

    /// <summary>The poll interval when the generator does not describe itself.</summary>
    private static readonly TimeSpan DefaultPollInterval = new ProviderMetadata { Name = "default", BillingUnit = MoneyUnit.Usd }.RecommendedPollInterval;

    /// <summary>How long after submission a "not found" is taken for read lag rather than a missing job.</summary>
    internal static readonly TimeSpan NotFoundGrace = TimeSpan.FromMinutes(2);

    private static bool IsJustSubmitted(JobHandle handle, DateTimeOffset now) =>
        handle.SubmittedAt is { } at && now - at < NotFoundGrace;

    private static void Report(IProgress<GenerationJob>? progress, ref GenerationJob? last, GenerationJob job)
    {
        if (progress is not null && (last is null || last.Status != job.Status || last.Progress != job.Progress || last.Outputs.Count != job.Outputs.Count))
        {
            progress.Report(job);
        }

        last = job;
    }

    private static async ValueTask<ModelCapabilities?> TryFindModelAsync(IMediaGenerator owner, JobHandle handle, CancellationToken cancellationToken)
    {
        if (handle.Model is not { } model)
        {
            return null;
        }

        try
        {
            return await owner.FindModelAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException)
        {
            return null; // the schedule falls back to the vendor interval
        }
    }
}
