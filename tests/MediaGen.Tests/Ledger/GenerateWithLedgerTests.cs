using MediaGen.Testing;

namespace MediaGen.Tests.Ledger;

public class GenerateWithLedgerTests
{
    private static readonly ModelCapabilities Model = new() { Id = "model-a", Kind = MediaKind.Image, TypicalGenerationTime = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task GenerateAsync_WithLedger_RecordsBeforeWaitingAndMarksFinished()
    {
        var clock = new FakeClock();
        var fake = new FakeMediaGenerator("meigen", timeProvider: clock).AddModel(Model, 5);
        var ledger = new InMemoryJobLedger(clock);
        var seenUnfinishedWhileWaiting = false;
        var progress = new CallbackProgress(job =>
        {
            if (job.Status == GenerationStatus.Running)
            {
                seenUnfinishedWhileWaiting |= ledger.GetEntries().Any(e => e.Handle == job.Handle && !e.IsFinished);
            }
        });

        var job = (await clock.DriveAsync(fake.GenerateAsync(new GenerationRequest("model-a", "x"), new WaitOptions { TimeProvider = clock, Ledger = ledger }, progress))).GetValueOrThrow();

        Assert.True(seenUnfinishedWhileWaiting);
        var entry = Assert.Single(ledger.GetEntries());
        Assert.Equal(job.Handle, entry.Handle);
        Assert.Equal(GenerationStatus.Succeeded, entry.Status);
    }

    [Fact]
    public async Task GenerateAsync_WaitCanceled_LeavesJobUnfinishedForResumption()
    {
        var clock = new FakeClock();
        var fake = new FakeMediaGenerator("meigen", timeProvider: clock).AddModel(Model, 5);
        fake.EnqueueScript(FakeJobScript.Never());
        var ledger = new InMemoryJobLedger(clock);
        using var cts = new CancellationTokenSource();

        var waiting = fake.GenerateAsync(new GenerationRequest("model-a", "x"), new WaitOptions { TimeProvider = clock, Ledger = ledger }, cancellationToken: cts.Token);
        await clock.WaitForPendingTimersAsync(1);
        await cts.CancelAsync();
        var canceled = await Assert.ThrowsAsync<JobWaitCanceledException>(() => waiting);

        var pending = await ledger.ListUnfinishedAsync();
        Assert.Equal(canceled.Handle, Assert.Single(pending).Handle);
    }

    private sealed class CallbackProgress(Action<GenerationJob> onReport) : IProgress<GenerationJob>
    {
        public void Report(GenerationJob value) => onReport(value);
    }
}
