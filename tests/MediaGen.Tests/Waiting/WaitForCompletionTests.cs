using MediaGen.Testing;

namespace MediaGen.Tests.Waiting;

public class WaitForCompletionTests
{
    private static readonly ModelCapabilities Model = new()
    {
        Id = "model-a",
        Kind = MediaKind.Image,
        TypicalGenerationTime = TimeSpan.FromSeconds(20),
    };

    private readonly FakeClock _clock = new();

    private (FakeMediaGenerator Fake, PollRecorder Recorder) Setup(FakeJobScript script, bool webhooks = false)
    {
        var fake = new FakeMediaGenerator("meigen", timeProvider: _clock) { PushesWebhooks = webhooks }.AddModel(Model, 5);
        fake.EnqueueScript(script);
        return (fake, new PollRecorder(fake, _clock));
    }

    private WaitOptions Options(TimeSpan? deadline = null, JobUpdateHub? hub = null) =>
        new() { TimeProvider = _clock, Deadline = deadline, Updates = hub };

    private static async Task<JobHandle> SubmitAsync(IMediaGenerator generator) =>
        (await generator.SubmitAsync(new GenerationRequest("model-a", "a lighthouse"))).GetValueOrThrow().Handle;

    [Fact]
    public async Task WaitForCompletionAsync_JobSucceeds_ReturnsSucceededJobWithOutputs()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(3, outputs: 4));
        var handle = await SubmitAsync(fake);

        var job = (await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(4, job.Outputs.Count);
        Assert.Equal(3, recorder.PollTimes.Count);
    }

    [Fact]
    public async Task WaitForCompletionAsync_JobFails_ReturnsFailedJobAsAValue()
    {
        var (fake, recorder) = Setup(FakeJobScript.FailAfterPolls(2, FailureReason.ContentPolicy, "content policy violation"));
        var handle = await SubmitAsync(fake);

        var job = (await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.Equal(FailureReason.ContentPolicy, job.Failure!.Reason);
        Assert.Throws<GenerationFailedException>(() => job.EnsureSucceeded());
    }

    [Fact]
    public async Task WaitForCompletionAsync_FirstPoll_WhereTheDocumentedTimeMakesCompletionLikely()
    {
        // Deliberate change (issue 14): the learned plan's first poll, from the prior around the typical 20 s, comes where
        // completion starts to be likely (not at a fixed half of the typical time, which polled too early).
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(1));
        var start = _clock.GetUtcNow();
        var handle = await SubmitAsync(fake);

        await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()));

        var first = recorder.PollTimes[0] - start;
        Assert.InRange(first, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task WaitForCompletionAsync_AfterFirstPoll_PollsCloserTogetherAsTheTypicalTimeNears()
    {
        // Deliberate change (issue 8): after the first poll the gaps follow the chance of finishing next instead of
        // the fixed vendor interval: wider early, never past the typical time, down to 2/3 of the 3 s interval.
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(5));
        var handle = await SubmitAsync(fake);

        await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()));

        var gaps = recorder.PollTimes.Zip(recorder.PollTimes.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[0] > TimeSpan.FromSeconds(3) && gaps[0] <= TimeSpan.FromSeconds(10), $"first gap {gaps[0]}");
        Assert.True(gaps[0] > gaps[1] && gaps[1] >= gaps[2], string.Join(", ", gaps));
        Assert.All(gaps, g => Assert.True(g >= TimeSpan.FromSeconds(2), $"gap {g} is under 2/3 of the vendor interval"));
    }

    [Fact]
    public async Task WaitForCompletionAsync_FixedPollInterval_UsesItAfterFirstPoll()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(3));
        var handle = await SubmitAsync(fake);
        var options = Options();
        options.PollInterval = TimeSpan.FromSeconds(3);

        await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, options));

        Assert.Equal(TimeSpan.FromSeconds(3), recorder.PollTimes[1] - recorder.PollTimes[0]);
        Assert.Equal(TimeSpan.FromSeconds(3), recorder.PollTimes[2] - recorder.PollTimes[1]);
    }

    [Fact]
    public async Task WaitForCompletionAsync_Deadline_ReturnsTimedOutWithHandleAndLastState()
    {
        var (fake, recorder) = Setup(FakeJobScript.Never());
        var handle = await SubmitAsync(fake);

        var result = await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options(TimeSpan.FromMinutes(1))));

        var timedOut = Assert.IsType<TimedOutError>(result.Error);
        Assert.Equal(handle, timedOut.Handle);
        Assert.Equal(GenerationStatus.Running, timedOut.LastKnown!.Status);
        Assert.Contains("resume", timedOut.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(1), _clock.GetUtcNow() - handle.SubmittedAt!.Value);
    }

    [Fact]
    public async Task WaitForCompletionAsync_DefaultDeadline_IsFiveMinutesForImages()
    {
        var (fake, recorder) = Setup(FakeJobScript.Never());
        var handle = await SubmitAsync(fake);

        var result = await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()));

        Assert.IsType<TimedOutError>(result.Error);
        Assert.Equal(TimeSpan.FromMinutes(5), _clock.GetUtcNow() - handle.SubmittedAt!.Value);
    }

    [Fact]
    public async Task WaitForCompletionAsync_CanceledMidDelay_ThrowsWithHandleAndJobLivesOn()
    {
        var (fake, recorder) = Setup(FakeJobScript.Never());
        var handle = await SubmitAsync(fake);
        using var cts = new CancellationTokenSource();

        var waiting = recorder.WaitForCompletionAsync(handle, Options(), cancellationToken: cts.Token);
        await _clock.WaitForPendingTimersAsync(1); // asleep: the clock's one shared wait timer is armed (the deadline is a due time, not a timer)
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<JobWaitCanceledException>(() => waiting);
        Assert.Equal(handle, ex.Handle);
        Assert.Empty(recorder.PollTimes);
        Assert.True((await fake.GetJobAsync(handle)).IsSuccess); // still there to resume
    }

    [Fact]
    public async Task WaitForCompletionAsync_ManyWaitsAsleep_ShareOneTimerAndAllComplete()
    {
        var fake = new FakeMediaGenerator("meigen", timeProvider: _clock) { DefaultScript = () => FakeJobScript.SucceedAfterPolls(3) }.AddModel(Model, 5);
        var handles = new List<JobHandle>();
        for (var i = 0; i < 200; i++)
        {
            handles.Add(await SubmitAsync(fake));
        }

        var waits = handles.Select(h => fake.WaitForCompletionAsync(h, Options())).ToArray();
        await AsleepAsync(200);

        // 200 waits asleep, one timer on the clock: the deadline is a due time and every sleep shares the clock's timer.
        Assert.Equal(1, _clock.PendingTimerCount);
        var jobs = await _clock.DriveAsync(Task.WhenAll(waits));

        Assert.All(jobs, j => Assert.Equal(GenerationStatus.Succeeded, j.GetValueOrThrow().Status));
        Assert.Equal(0, _clock.PendingTimerCount); // nothing asleep: the shared timer is disarmed
        Assert.Equal(0, WaitScheduler.For(_clock).Sleeping);
    }

    [Fact]
    public async Task WaitForCompletionAsync_OneOfManyCanceled_OnlyItEndsAndTheOthersStillComplete()
    {
        var fake = new FakeMediaGenerator("meigen", timeProvider: _clock) { DefaultScript = () => FakeJobScript.SucceedAfterPolls(2) }.AddModel(Model, 5);
        var handles = new List<JobHandle>();
        for (var i = 0; i < 20; i++)
        {
            handles.Add(await SubmitAsync(fake));
        }

        using var cts = new CancellationTokenSource();
        var canceled = fake.WaitForCompletionAsync(handles[0], Options(), cancellationToken: cts.Token);
        var others = handles.Skip(1).Select(h => fake.WaitForCompletionAsync(h, Options())).ToArray();
        await AsleepAsync(20);

        await cts.CancelAsync();

        // At once, with no clock movement: the canceled wait's sleep was woken, not left to its due time.
        var ex = await Assert.ThrowsAsync<JobWaitCanceledException>(() => canceled);
        Assert.Equal(handles[0], ex.Handle);
        Assert.Equal(19, WaitScheduler.For(_clock).Sleeping);
        var jobs = await _clock.DriveAsync(Task.WhenAll(others));
        Assert.All(jobs, j => Assert.Equal(GenerationStatus.Succeeded, j.GetValueOrThrow().Status));
    }

    [Fact]
    public async Task WaitForCompletionAsync_ManyWaitsOnWebhooks_EachPushedUpdateEndsItsWaitAtOnce()
    {
        var fake = new FakeMediaGenerator("meigen", timeProvider: _clock) { PushesWebhooks = true, DefaultScript = FakeJobScript.Never }.AddModel(Model, 5);
        var hub = new JobUpdateHub();
        var handles = new List<JobHandle>();
        for (var i = 0; i < 100; i++)
        {
            handles.Add(await SubmitAsync(fake));
        }

        var waits = handles.Select(h => fake.WaitForCompletionAsync(h, Options(hub: hub))).ToArray();
        await AsleepAsync(100);

        foreach (var handle in handles)
        {
            hub.Publish(new GenerationJob { Handle = handle, Status = GenerationStatus.Succeeded, Progress = 100 });
        }

        // No clock movement and no poll: every wait ended by its update (the watchdog is a minute away).
        var jobs = await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(jobs, j => Assert.Equal(GenerationStatus.Succeeded, j.GetValueOrThrow().Status));
        Assert.Equal(0, _clock.PendingTimerCount);
    }

    /// <summary>Until <paramref name="count"/> waits sleep on the clock (yielding, never sleeping on the wall clock).</summary>
    private async Task AsleepAsync(int count)
    {
        var scheduler = WaitScheduler.For(_clock);
        for (var i = 0; i < 1_000_000 && scheduler.Sleeping < count; i++)
        {
            await Task.Yield();
        }

        Assert.Equal(count, scheduler.Sleeping);
    }

    [Fact]
    public async Task WaitForCompletionAsync_RateLimitedPoll_WaitsRetryAfter()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(1));
        fake.FailNextPoll(new RateLimitedError("429", "meigen", TimeSpan.FromSeconds(40)));
        var handle = await SubmitAsync(fake);

        var job = (await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(TimeSpan.FromSeconds(40), recorder.PollTimes[1] - recorder.PollTimes[0]);
    }

    [Fact]
    public async Task WaitForCompletionAsync_ServerHint_SetsNextDelay()
    {
        var (fake, recorder) = Setup(new FakeJobScript(3, PollAfter: TimeSpan.FromSeconds(7)));
        var handle = await SubmitAsync(fake);

        await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()));

        Assert.Equal(TimeSpan.FromSeconds(7), recorder.PollTimes[1] - recorder.PollTimes[0]);
    }

    [Fact]
    public async Task WaitForCompletionAsync_TransientErrors_KeepsPollingUntilRecovery()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(1));
        for (var i = 0; i < 4; i++)
        {
            fake.FailNextPoll(new ProviderUnavailableError("502 bad gateway", "meigen"));
        }

        var handle = await SubmitAsync(fake);

        // Four failures in a row ride out only when the caller allows more than the default three (issue 19).
        var options = Options();
        options.MaxConsecutiveStatusFailures = 5;
        var job = (await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, options))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(5, recorder.PollTimes.Count);
        Assert.True(recorder.PollTimes[4] - recorder.PollTimes[3] > recorder.PollTimes[2] - recorder.PollTimes[1]); // backs off
    }

    [Fact]
    public async Task WaitForCompletionAsync_LongErrorStormWithRetryAfter_BackOffStaysCapped()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(1));
        for (var i = 0; i < 20; i++)
        {
            fake.FailNextPoll(new ProviderUnavailableError("503", "meigen", RetryAfter: TimeSpan.FromSeconds(30)));
        }

        var handle = await SubmitAsync(fake);

        var options = Options(TimeSpan.FromHours(1));
        options.MaxConsecutiveStatusFailures = 25;
        var job = (await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, options))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        var longestGap = recorder.PollTimes.Zip(recorder.PollTimes.Skip(1), (a, b) => b - a).Max();
        Assert.Equal(TimeSpan.FromSeconds(60), longestGap); // capped at MaxPollInterval, not 2^19 × 3 s
    }

    [Fact]
    public async Task WaitForCompletionAsync_ThreeUnreadableAnswersInARow_EndsAtTheThirdWithTheHandle()
    {
        var (fake, recorder) = Setup(FakeJobScript.Never());
        fake.FailNextPoll(new ProviderUnavailableError("MeiGen answered the status with a text/html body", "meigen") { StatusCode = 200 });
        fake.FailNextPoll(new ProviderUnavailableError("MeiGen answered the status with JSON it could not read", "meigen") { StatusCode = 200 });
        fake.FailNextPoll(new OutcomeUnknownError("the body was cut off", "meigen", "k"));
        var handle = await SubmitAsync(fake);

        var result = await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()));

        var error = Assert.IsType<TimedOutError>(result.Error);
        Assert.Equal(TimedOutReason.StatusUnreadable, error.Reason);
        Assert.Equal(handle, error.Handle);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Contains("may have billed", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, recorder.PollTimes.Count);
        Assert.Equal(recorder.PollTimes[2], _clock.GetUtcNow()); // ended at the third answer, not one gap later
    }

    [Fact]
    public async Task WaitForCompletionAsync_MaxConsecutiveStatusFailuresSet_EndsAfterThatMany()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(2));
        fake.FailNextPoll(new ProviderUnavailableError("html", "meigen"));
        fake.FailNextPoll(new ProviderUnavailableError("html", "meigen"));
        var handle = await SubmitAsync(fake);
        var options = Options();
        options.MaxConsecutiveStatusFailures = 2;

        var result = await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, options));

        Assert.Equal(TimedOutReason.StatusUnreadable, Assert.IsType<TimedOutError>(result.Error).Reason);
        Assert.Equal(2, recorder.PollTimes.Count);
    }

    [Fact]
    public async Task GenerateAsync_StatusUnreadable_LeavesTheJobUnfinishedInTheLedger()
    {
        var (fake, _) = Setup(FakeJobScript.Never());
        for (var i = 0; i < 3; i++)
        {
            fake.FailNextPoll(new ProviderUnavailableError("html", "meigen"));
        }

        var ledger = new InMemoryJobLedger(_clock);

        var result = await _clock.DriveAsync(fake.GenerateAsync(new GenerationRequest("model-a", "x"), new WaitOptions { TimeProvider = _clock, Ledger = ledger }));

        var error = Assert.IsType<TimedOutError>(result.Error);
        Assert.Equal(TimedOutReason.StatusUnreadable, error.Reason);
        var pending = Assert.Single(await ledger.ListUnfinishedAsync());
        Assert.Equal(error.Handle, pending.Handle);
    }

    [Fact]
    public async Task WaitForCompletionAsync_NotFound_ReturnsErrorAtOnce()
    {
        var (fake, recorder) = Setup(FakeJobScript.Never());
        var result = await _clock.DriveAsync(recorder.WaitForCompletionAsync(new JobHandle("meigen", "missing"), Options()));
        Assert.IsType<NotFoundError>(result.Error);
        Assert.Single(recorder.PollTimes);
    }

    [Fact]
    public async Task WaitForCompletionAsync_NotFoundJustAfterSubmit_IsReadLagAndRetried()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(1));
        fake.FailNextPoll(new NotFoundError("404 generation not found", "meigen"));
        var handle = await SubmitAsync(fake);

        var job = (await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(2, recorder.PollTimes.Count);
    }

    [Fact]
    public async Task WaitForCompletionAsync_ErrorAfterAcceptance_SaysItMayHaveBeenBilledAndNamesHandle()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(1));
        fake.FailNextPoll(new UnauthorizedError("401 key revoked", "meigen"));
        var handle = await SubmitAsync(fake);

        var result = await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options()));

        var error = Assert.IsType<UnauthorizedError>(result.Error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.Contains(handle.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_ProgressHandlerThrows_JobIsAlreadyInTheLedger()
    {
        var (fake, _) = Setup(FakeJobScript.SucceedAfterPolls(1));
        var ledger = new InMemoryJobLedger(_clock);
        var throwing = new ThrowingProgress();

        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.GenerateAsync(new GenerationRequest("model-a", "x"), new WaitOptions { TimeProvider = _clock, Ledger = ledger }, throwing));

        var pending = Assert.Single(await ledger.ListUnfinishedAsync());
        Assert.Equal(Assert.Single(fake.AcceptedJobs).Handle, pending.Handle);
    }

    [Fact]
    public async Task WaitForCompletionAsync_Progress_ReportsEachChange()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(3));
        var handle = await SubmitAsync(fake);
        var seen = new SyncProgress();

        await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options(), seen));

        Assert.Equal([GenerationStatus.Running, GenerationStatus.Running, GenerationStatus.Succeeded], seen.Updates.Select(u => u.Status));
        Assert.Equal(100, seen.Updates[^1].Progress);
    }

    [Fact]
    public async Task WaitForCompletionAsync_WebhookUpdate_CompletesWithZeroPollsBeforeWatchdog()
    {
        var (fake, recorder) = Setup(FakeJobScript.Never(), webhooks: true);
        var hub = new JobUpdateHub();
        var handle = await SubmitAsync(fake);

        var waiting = recorder.WaitForCompletionAsync(handle, Options(hub: hub));
        await _clock.WaitForPendingTimersAsync(1);
        _clock.Advance(TimeSpan.FromSeconds(20));
        hub.Publish(new GenerationJob { Handle = handle, Status = GenerationStatus.Succeeded, Progress = 100 });
        var job = (await waiting).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Empty(recorder.PollTimes);
    }

    [Fact]
    public async Task WaitForCompletionAsync_WebhookLost_WatchdogPollStillCompletes()
    {
        var (fake, recorder) = Setup(FakeJobScript.SucceedAfterPolls(1), webhooks: true);
        var handle = await SubmitAsync(fake);

        var job = (await _clock.DriveAsync(recorder.WaitForCompletionAsync(handle, Options(hub: new JobUpdateHub())))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(TimeSpan.FromSeconds(60), recorder.PollTimes[0] - handle.SubmittedAt!.Value);
    }

    [Fact]
    public async Task GenerateAsync_ReportsSubmittedJobFirstAndKeepsQuote()
    {
        var (fake, _) = Setup(FakeJobScript.SucceedAfterPolls(1));
        var seen = new SyncProgress();

        var job = (await _clock.DriveAsync(fake.GenerateAsync(new GenerationRequest("model-a", "x"), Options(), seen))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Queued, seen.Updates[0].Status);
        Assert.Equal(MediaGen.Money.Credits(5m, "meigen"), job.Quote!.Amount);
    }

    [Fact]
    public async Task GenerateAsync_ChargeOnlyOnSubmit_IsKeptOnTheFinalJob()
    {
        var submitted = new GenerationJob { Handle = new JobHandle("meigen", "j1") { Model = "model-a" }, Status = GenerationStatus.Queued, Charge = MediaGen.Money.Credits(5m, "meigen") };
        var generator = new ChargeOnSubmitGenerator(submitted);

        var job = (await _clock.DriveAsync(generator.GenerateAsync(new GenerationRequest("model-a", "x"), Options()))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(MediaGen.Money.Credits(5m, "meigen"), job.Charge);
    }

    [Fact]
    public async Task GenerateAsync_InvalidRequest_NeverCallsVendor()
    {
        var (fake, _) = Setup(FakeJobScript.SucceedAfterPolls(1));
        var result = await fake.GenerateAsync(new GenerationRequest("model-a", " "), Options());
        Assert.Equal("Prompt", Assert.Single(Assert.IsType<InvalidRequestError>(result.Error).Errors).Field);
        Assert.Empty(fake.AcceptedJobs);
    }

    /// <summary>A vendor that reports the charge on submit only (like MeiGen's creditsUsed).</summary>
    private sealed class ChargeOnSubmitGenerator(GenerationJob submitted) : IMediaGenerator, IModelList
    {
        private readonly ProviderMetadata _metadata = new() { Name = "meigen", BillingUnit = MoneyUnit.Credits("meigen") };

        public ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>([Model]);

        public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<Result<GenerationQuote>>(new GenerationQuote { Provider = "meigen", Model = Model.Id, Capabilities = Model, Translation = new TranslationReport("meigen"), Price = PriceQuote.Unknown("not priced"), Request = request });

        public Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default) => Task.FromResult<Result<GenerationJob>>(submitted);

        public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default) =>
            Task.FromResult<Result<GenerationJob>>(new GenerationJob { Handle = handle, Status = GenerationStatus.Succeeded });

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ProviderMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }

    private sealed class ThrowingProgress : IProgress<GenerationJob>
    {
        public void Report(GenerationJob value) => throw new InvalidOperationException("a progress handler bug");
    }

    private sealed class SyncProgress : IProgress<GenerationJob>
    {
        public List<GenerationJob> Updates { get; } = [];

        public void Report(GenerationJob value) => Updates.Add(value);
    }

    /// <summary>Records when each poll happened, on the fake clock.</summary>
    private sealed class PollRecorder(IMediaGenerator inner, TimeProvider clock) : DelegatingMediaGenerator(inner)
    {
        public List<DateTimeOffset> PollTimes { get; } = [];

        public override Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
        {
            PollTimes.Add(clock.GetUtcNow());
            return base.GetJobAsync(handle, cancellationToken);
        }
    }
}
