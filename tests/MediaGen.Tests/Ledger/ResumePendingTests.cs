using MediaGen.Routing;
using MediaGen.Testing;

namespace MediaGen.Tests.Ledger;

public sealed class ResumePendingTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private WaitOptions Options(TimeSpan? deadline = null) => new() { TimeProvider = _clock, Deadline = deadline };

    /// <summary>
    /// "Process 1": submits through its generator, records the handle, starts waiting, sees the job running after one
    /// poll, and is killed mid-wait. Only the ledger's path survives (and the vendor's server side, which
    /// <paramref name="vendor"/> stands for).
    /// </summary>
    private async Task<string> RunProcessUntilKilledAsync(FakeMediaGenerator vendor)
    {
        var path = _dir.File("jobs.ledger.jsonl");
        var ledger = new JsonLinesJobLedger(path, _clock);
        var handle = await LedgerTestData.SubmitAsync(vendor);
        await ledger.RecordSubmittedAsync(handle);

        using var kill = new CancellationTokenSource();
        var waiting = vendor.WaitForCompletionAsync(handle, Options(), cancellationToken: kill.Token);
        await _clock.WaitForPendingTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(30)); // the shared wait timer: first poll delay
        _clock.Advance(_clock.NextTimerDueIn!.Value);                                      // the first poll
        await _clock.WaitForPendingTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(30)); // asleep before the second
        Assert.Equal(GenerationStatus.Running, vendor.GetJob(handle.VendorJobId).Status);

        await kill.CancelAsync();
        await Assert.ThrowsAsync<JobWaitCanceledException>(() => waiting);
        return path;
    }

    [Fact]
    public async Task ResumePendingAsync_AfterCrashMidWait_CollectsOutputWithOneCharge()
    {
        var vendor = LedgerTestData.Vendor(_clock).EnqueueScript(FakeJobScript.SucceedAfterPolls(3, outputs: 2));
        var path = await RunProcessUntilKilledAsync(vendor);

        // "Process 2": a new ledger over the same file, resuming through a generator for the same vendor.
        var ledger = new JsonLinesJobLedger(path, _clock);
        var progress = new RecordingProgress();
        var results = await _clock.DriveAsync(ledger.ResumePendingAsync(vendor, Options(), progress));

        var resumed = Assert.Single(results);
        Assert.Equal(ResumeOutcome.Finished, resumed.Outcome);
        var job = resumed.Result.GetValueOrThrow();
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal(2, job.Outputs.Count);
        Assert.Equal(resumed.Handle, job.Handle);
        Assert.Equal(GenerationStatus.Succeeded, progress.Updates[^1].Status);

        var accepted = Assert.Single(vendor.AcceptedJobs); // one job, one charge
        Assert.Equal(1, vendor.SubmitCount);
        Assert.Equal(3, accepted.Polls);
        Assert.Empty(await new JsonLinesJobLedger(path, _clock).ListUnfinishedAsync());
        Assert.Equal(GenerationStatus.Succeeded, Assert.Single((await new JsonLinesJobLedger(path, _clock).ReadAsync()).Entries).Status);
    }

    [Fact]
    public async Task ResumePendingAsync_SecondRun_ResumesNothingAndPollsNothing()
    {
        var vendor = LedgerTestData.Vendor(_clock);
        var ledger = new InMemoryJobLedger(_clock);
        await ledger.RecordSubmittedAsync(await LedgerTestData.SubmitAsync(vendor));
        await _clock.DriveAsync(ledger.ResumePendingAsync(vendor, Options()));
        var polls = vendor.PollCount;

        var again = await ledger.ResumePendingAsync(vendor, Options());

        Assert.Empty(again);
        Assert.Equal(polls, vendor.PollCount);
    }

    [Fact]
    public async Task ResumePendingAsync_JobFails_MarkedFinishedWithFailedStatus()
    {
        var vendor = LedgerTestData.Vendor(_clock).EnqueueScript(FakeJobScript.FailAfterPolls(2, FailureReason.ContentPolicy, "content policy violation"));
        var ledger = new InMemoryJobLedger(_clock);
        await ledger.RecordSubmittedAsync(await LedgerTestData.SubmitAsync(vendor));

        var resumed = Assert.Single(await _clock.DriveAsync(ledger.ResumePendingAsync(vendor, Options())));

        Assert.Equal(ResumeOutcome.Finished, resumed.Outcome);
        Assert.Equal(GenerationStatus.Failed, resumed.Result.GetValueOrThrow().Status);
        var entry = Assert.Single(ledger.GetEntries());
        Assert.Equal(GenerationStatus.Failed, entry.Status);
        Assert.Equal("content policy violation", entry.Note);
    }

    [Fact]
    public async Task ResumePendingAsync_ProviderNotConfigured_ReportedAndLeftUnfinished()
    {
        var vendor = LedgerTestData.Vendor(_clock);
        var ledger = new InMemoryJobLedger(_clock);
        await ledger.RecordSubmittedAsync(await LedgerTestData.SubmitAsync(vendor));
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-elsewhere", provider: "apiframe"));

        var results = await _clock.DriveAsync(ledger.ResumePendingAsync(vendor, Options()));

        Assert.Equal(2, results.Count);
        Assert.Equal(ResumeOutcome.Finished, results[0].Outcome);
        var missing = results[1];
        Assert.Equal(ResumeOutcome.ProviderNotConfigured, missing.Outcome);
        var error = Assert.IsType<NoRouteError>(missing.Result.Error);
        Assert.Equal("apiframe", error.Provider);
        Assert.Contains("apiframe", error.Message, StringComparison.Ordinal);
        Assert.Equal("job-elsewhere", Assert.Single(await ledger.ListUnfinishedAsync()).Handle.VendorJobId);
    }

    [Fact]
    public async Task ResumePendingAsync_ThroughRouter_ResumesEachProvidersJobs()
    {
        var meigen = LedgerTestData.Vendor(_clock, "meigen");
        var veogen = LedgerTestData.Vendor(_clock, "veogen");
        var router = new MediaRouter([meigen, veogen], new RouterOptions { TimeProvider = _clock });
        var ledger = new InMemoryJobLedger(_clock);
        await ledger.RecordSubmittedAsync(await LedgerTestData.SubmitAsync(meigen));
        await ledger.RecordSubmittedAsync(await LedgerTestData.SubmitAsync(veogen));
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-x", provider: "apiframe"));

        var results = await _clock.DriveConcurrentAsync(ledger.ResumePendingAsync(router, Options()));

        Assert.Equal([ResumeOutcome.Finished, ResumeOutcome.Finished, ResumeOutcome.ProviderNotConfigured], results.Select(r => r.Outcome));
        Assert.Equal(["meigen", "veogen"], results.Take(2).Select(r => r.Result.GetValueOrThrow().Handle.Provider));
        Assert.Single(meigen.AcceptedJobs);
        Assert.Single(veogen.AcceptedJobs);
    }

    [Fact]
    public async Task ResumePendingAsync_DeadlineReached_StillRunningAndLeftUnfinished()
    {
        var vendor = LedgerTestData.Vendor(_clock).EnqueueScript(FakeJobScript.Never());
        var ledger = new InMemoryJobLedger(_clock);
        var handle = await LedgerTestData.SubmitAsync(vendor);
        await ledger.RecordSubmittedAsync(handle);

        var resumed = Assert.Single(await _clock.DriveAsync(ledger.ResumePendingAsync(vendor, Options(TimeSpan.FromMinutes(1)))));

        Assert.Equal(ResumeOutcome.StillRunning, resumed.Outcome);
        Assert.Equal(handle, Assert.IsType<TimedOutError>(resumed.Result.Error).Handle);
        Assert.Single(await ledger.ListUnfinishedAsync());
    }

    [Fact]
    public async Task ResumePendingAsync_JobUnknownToVendor_ErrorAndLeftUnfinished()
    {
        var vendor = LedgerTestData.Vendor(_clock);
        var ledger = new InMemoryJobLedger(_clock);
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("never-accepted"));

        var resumed = Assert.Single(await _clock.DriveAsync(ledger.ResumePendingAsync(vendor, Options())));

        Assert.Equal(ResumeOutcome.Error, resumed.Outcome);
        Assert.IsType<NotFoundError>(resumed.Result.Error);
        Assert.Single(await ledger.ListUnfinishedAsync()); // never dropped silently: abandon it explicitly
    }

    [Fact]
    public async Task ResumePendingAsync_ManyJobs_AllCollectedWithinConcurrencyBound()
    {
        var vendor = LedgerTestData.Vendor(_clock);
        vendor.DefaultScript = () => FakeJobScript.SucceedAfterPolls(3);
        var tracking = new InFlightTrackingGenerator(vendor);
        var ledger = new InMemoryJobLedger(_clock);
        for (var i = 0; i < 10; i++)
        {
            await ledger.RecordSubmittedAsync(await LedgerTestData.SubmitAsync(vendor, $"prompt {i}"));
        }

        var results = await _clock.DriveConcurrentAsync(ledger.ResumePendingAsync(tracking, maxConcurrency: 3, Options()));

        Assert.Equal(10, results.Count);
        Assert.All(results, r => Assert.Equal(GenerationStatus.Succeeded, r.Result.GetValueOrThrow().Status));
        Assert.InRange(tracking.MaxInFlight, 1, 3);
        Assert.Empty(await ledger.ListUnfinishedAsync());
        Assert.Equal(10, vendor.AcceptedJobs.Count);
        Assert.Equal(10, vendor.SubmitCount);
    }

    [Fact]
    public async Task ResumePendingAsync_Canceled_ThrowsAndLeavesEntriesUnfinished()
    {
        var vendor = LedgerTestData.Vendor(_clock).EnqueueScript(FakeJobScript.Never());
        var ledger = new InMemoryJobLedger(_clock);
        await ledger.RecordSubmittedAsync(await LedgerTestData.SubmitAsync(vendor));
        using var cts = new CancellationTokenSource();

        var resuming = ledger.ResumePendingAsync(vendor, Options(), cancellationToken: cts.Token);
        await _clock.WaitForPendingTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resuming);
        Assert.Single(await ledger.ListUnfinishedAsync());
    }

    [Fact]
    public async Task ResumePendingAsync_EmptyLedger_ReturnsEmpty()
    {
        var vendor = LedgerTestData.Vendor(_clock);

        Assert.Empty(await new InMemoryJobLedger(_clock).ResumePendingAsync(vendor, Options()));
        Assert.Equal(0, vendor.PollCount);
    }

    [Fact]
    public async Task ResumePendingAsync_ZeroConcurrency_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new InMemoryJobLedger(_clock).ResumePendingAsync(LedgerTestData.Vendor(_clock), maxConcurrency: 0));
    }

    /// <summary>Counts jobs between their first poll and their terminal poll, to observe the degree of concurrency.</summary>
    private sealed class InFlightTrackingGenerator(IMediaGenerator inner) : DelegatingMediaGenerator(inner)
    {
        private readonly HashSet<JobHandle> _inFlight = [];

        public int MaxInFlight { get; private set; }

        public override async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
        {
            var result = await base.GetJobAsync(handle, cancellationToken);
            lock (_inFlight)
            {
                if (result.IsSuccess && result.Value.IsTerminal)
                {
                    _inFlight.Remove(handle);
                }
                else
                {
                    _inFlight.Add(handle);
                    MaxInFlight = Math.Max(MaxInFlight, _inFlight.Count);
                }
            }

            return result;
        }
    }
}
