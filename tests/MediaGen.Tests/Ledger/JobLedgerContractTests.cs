using MediaGen.Testing;

namespace MediaGen.Tests.Ledger;

/// <summary>The <see cref="IJobLedger"/> contract, run against every implementation.</summary>
public abstract class JobLedgerContractTests
{
    protected FakeClock Clock { get; } = new();

    /// <summary>Creates a ledger; a second call over the same test must see the same records (a new "process" for durable ledgers).</summary>
    protected abstract IJobLedger CreateLedger();

    [Fact]
    public async Task RecordSubmittedAsync_ThenList_RoundTripsWholeHandle()
    {
        var ledger = CreateLedger();
        var handle = LedgerTestData.Handle("job-1");

        await ledger.RecordSubmittedAsync(handle);

        var entry = Assert.Single(await CreateLedger().ListUnfinishedAsync());
        Assert.Equal(handle, entry.Handle);
        Assert.Equal(handle.Model, entry.Handle.Model);
        Assert.Equal(handle.IdempotencyKey, entry.Handle.IdempotencyKey);
        Assert.Equal(handle.SubmittedAt, entry.Handle.SubmittedAt);
        Assert.Equal(handle.Kind, entry.Handle.Kind);
        Assert.Equal(Clock.GetUtcNow(), entry.RecordedAt);
        Assert.False(entry.IsFinished);
    }

    [Fact]
    public async Task RecordFinishedAsync_Submitted_NoLongerUnfinished()
    {
        var ledger = CreateLedger();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-2"));
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-3"));

        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Succeeded, null);
        await ledger.RecordAbandonedAsync(LedgerTestData.Handle("job-3"), "operator gave up");

        var entry = Assert.Single(await CreateLedger().ListUnfinishedAsync());
        Assert.Equal("job-2", entry.Handle.VendorJobId);
    }

    [Fact]
    public async Task ListUnfinishedAsync_KeepsFirstRecordedOrder()
    {
        var ledger = CreateLedger();
        foreach (var id in new[] { "c", "a", "b" })
        {
            await ledger.RecordSubmittedAsync(LedgerTestData.Handle(id));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var entries = await CreateLedger().ListUnfinishedAsync();

        Assert.Equal(["c", "a", "b"], entries.Select(e => e.Handle.VendorJobId));
    }

    [Fact]
    public async Task RecordSubmittedAsync_SameHandleTwice_OneEntryWithFirstRecordTime()
    {
        var ledger = CreateLedger();
        var first = Clock.GetUtcNow();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));

        var entry = Assert.Single(await CreateLedger().ListUnfinishedAsync());
        Assert.Equal(first, entry.RecordedAt);
    }

    [Fact]
    public async Task RecordFinishedAsync_Twice_IsIdempotent()
    {
        var ledger = CreateLedger();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));

        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Failed, "upstream model failed");
        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Failed, "upstream model failed");

        Assert.Empty(await CreateLedger().ListUnfinishedAsync());
    }

    [Fact]
    public async Task RecordFinishedAsync_BeforeSubmitted_JobStaysSettled()
    {
        var ledger = CreateLedger();

        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Succeeded, null);
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1")); // a late at-least-once replay

        Assert.Empty(await CreateLedger().ListUnfinishedAsync());
    }

    [Fact]
    public async Task RecordFinishedAsync_NeverSubmitted_DoesNotAppearUnfinished()
    {
        var ledger = CreateLedger();

        await ledger.RecordFinishedAsync(LedgerTestData.Handle("ghost"), GenerationStatus.Canceled, null);

        Assert.Empty(await CreateLedger().ListUnfinishedAsync());
    }

    [Theory]
    [InlineData(GenerationStatus.Queued)]
    [InlineData(GenerationStatus.Running)]
    public async Task RecordFinishedAsync_NonTerminalStatus_Throws(GenerationStatus status)
    {
        var ledger = CreateLedger();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), status, null));
    }

    [Fact]
    public async Task RecordFinishedAsync_AbandonedWithoutReason_Throws()
    {
        var ledger = CreateLedger();

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), null, " "));
    }

    [Fact]
    public async Task RecordSubmittedAsync_CanceledToken_ThrowsAndRecordsNothing()
    {
        var ledger = CreateLedger();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"), cts.Token));

        Assert.Empty(await CreateLedger().ListUnfinishedAsync());
    }

    [Fact]
    public async Task RecordSubmittedAsync_ConcurrentCallers_EveryEntryKept()
    {
        var ledger = CreateLedger();

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            await ledger.RecordSubmittedAsync(LedgerTestData.Handle($"job-{i}"));
            if (i % 2 == 0)
            {
                await ledger.RecordFinishedAsync(LedgerTestData.Handle($"job-{i}"), GenerationStatus.Succeeded, null);
            }
        })));

        var unfinished = await CreateLedger().ListUnfinishedAsync();
        Assert.Equal(
            Enumerable.Range(0, 64).Where(i => i % 2 == 1).Select(i => $"job-{i}").Order(),
            unfinished.Select(e => e.Handle.VendorJobId).Order());
    }
}

public sealed class InMemoryJobLedgerContractTests : JobLedgerContractTests
{
    private InMemoryJobLedger? _ledger;

    protected override IJobLedger CreateLedger() => _ledger ??= new InMemoryJobLedger(Clock);

    [Fact]
    public async Task GetEntries_FinishedJob_KeepsStatusAndNote()
    {
        var ledger = new InMemoryJobLedger(Clock);
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        Clock.Advance(TimeSpan.FromSeconds(30));

        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Failed, "content policy");

        var entry = Assert.Single(ledger.GetEntries());
        Assert.Equal(GenerationStatus.Failed, entry.Status);
        Assert.Equal("content policy", entry.Note);
        Assert.Equal(Clock.GetUtcNow(), entry.FinishedAt);
        Assert.False(entry.IsAbandoned);
    }
}

public sealed class JsonLinesJobLedgerContractTests : JobLedgerContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    // A new instance each time: the second one reads what the first one wrote, as a restarted process would.
    protected override IJobLedger CreateLedger() => new JsonLinesJobLedger(_dir.File("jobs.ledger.jsonl"), Clock);

    public void Dispose() => _dir.Dispose();
}
