using MediaGen.Testing;

namespace MediaGen.Tests.Jobs.Store;

public sealed class JobStoreMediaGeneratorTests
{
    private static readonly ModelCapabilities Model = new() { Id = "model-a", Kind = MediaKind.Image, TypicalGenerationTime = TimeSpan.FromSeconds(20) };

    private readonly FakeClock _clock = new();
    private readonly InMemoryJobStore _store;
    private readonly FakeMediaGenerator _fake;

    public JobStoreMediaGeneratorTests()
    {
        _store = new InMemoryJobStore(_clock);
        _fake = new FakeMediaGenerator("meigen", timeProvider: _clock) { DedupesByIdempotencyKey = false }.AddModel(Model, 5);
    }

    [Fact]
    public async Task GenerateAsync_ThroughTheStore_RecordsSummaryQuoteHandleStatusOutputsAndEnd()
    {
        var generator = Build("a");

        var job = (await _clock.DriveAsync(generator.GenerateAsync(Request("k1"), Wait()))).GetValueOrThrow();

        var stored = await _store.FindByKeyAsync("k1");
        Assert.NotNull(stored);
        Assert.Equal(StoredJobState.Succeeded, stored.State);
        Assert.Equal("a lighthouse", stored.Summary?.Prompt);
        Assert.Equal(job.Handle, stored.Handle);
        Assert.Equal(job.Outputs.Count, stored.Outputs.Count);
        Assert.Equal(global::MediaGen.Money.Credits(5, "meigen"), stored.Quote?.Amount);
        Assert.Equal(GenerationStatus.Succeeded, stored.StatusChanges[^1].Status);
        Assert.Null(stored.LeaseOwner);
        Assert.Empty(await _store.ListUnfinishedAsync());
    }

    [Fact]
    public async Task GenerateAsync_SameKeyRunTwice_SubmitsOnceAndAdoptsTheJob()
    {
        var first = Build("a");
        var second = Build("b");
        var ran = (await _clock.DriveAsync(first.GenerateAsync(Request("k1"), Wait()))).GetValueOrThrow();

        var rerun = (await _clock.DriveAsync(second.GenerateAsync(Request("k1"), Wait()))).GetValueOrThrow();

        Assert.Equal(1, _fake.SubmitCount);
        Assert.Equal(ran.Handle, rerun.Handle);
        Assert.Equal(GenerationStatus.Succeeded, rerun.Status);
    }

    [Fact]
    public async Task GenerateAsync_SameKeyConcurrentlyInTwoOwners_OneSubmitBothGetTheJob()
    {
        var first = Build("a");
        var second = Build("b");

        var both = await _clock.DriveConcurrentAsync(Task.WhenAll(
            first.GenerateAsync(Request("k1"), Wait()),
            second.GenerateAsync(Request("k1"), Wait())));

        Assert.Equal(1, _fake.SubmitCount);
        Assert.Equal(both[0].GetValueOrThrow().Handle, both[1].GetValueOrThrow().Handle);
    }

    [Fact]
    public async Task SubmitAsync_KeyHeldByADeadOwner_TakenOverAfterTheLeaseLapses()
    {
        await _store.ClaimAsync(new JobClaimRequest("k1", new JobLease("dead", _clock.GetUtcNow() + TimeSpan.FromMinutes(2))));
        var generator = Build("a");

        var job = (await _clock.DriveAsync(generator.SubmitAsync(Request("k1")))).GetValueOrThrow();

        Assert.Equal(1, _fake.SubmitCount);
        Assert.Equal(2, (await _store.FindByKeyAsync("k1"))?.Claims);
        Assert.Equal(job.Handle, (await _store.FindByKeyAsync("k1"))?.Handle);
        Assert.True(_clock.GetUtcNow() >= FakeClock.DefaultStartTime + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task SubmitAsync_Refused_RecordedNotAcceptedAndTheKeyCanBeRetried()
    {
        _fake.FailNextSubmit(new ProviderUnavailableError("down", "meigen"));
        var generator = Build("a");

        var refused = await generator.SubmitAsync(Request("k1"));
        Assert.NotNull(refused.Error);
        Assert.Equal(StoredJobState.NotAccepted, (await _store.FindByKeyAsync("k1"))?.State);

        var retried = await generator.SubmitAsync(Request("k1"));

        Assert.True(retried.IsSuccess);
        Assert.Equal(StoredJobState.Accepted, (await _store.FindByKeyAsync("k1"))?.State);
    }

    [Fact]
    public async Task ResumeUnfinishedAsync_JobLeftRunning_FinishedWithoutASecondSubmit()
    {
        var crashed = Build("dead");
        var accepted = (await crashed.SubmitAsync(Request("k1"))).GetValueOrThrow();
        await _store.ReleaseLeaseAsync("k1", "dead");
        var resumer = Build("b");

        var resumed = await _clock.DriveAsync(_store.ResumeUnfinishedAsync(resumer, new JobLease("b", _clock.GetUtcNow() + TimeSpan.FromMinutes(10)), Wait()));

        Assert.True(Assert.Single(resumed).IsFinished);
        Assert.Equal(accepted.Handle, resumed[0].Handle);
        Assert.Equal(1, _fake.SubmitCount);
        Assert.Equal(StoredJobState.Succeeded, (await _store.FindByKeyAsync("k1"))?.State);
    }

    private static GenerationRequest Request(string key) => new("model-a", "a lighthouse") { IdempotencyKey = key };

    /// <summary>Several pipelines (owners) share one fake vendor, as processes share one vendor account; none is disposed.</summary>
    private IMediaGenerator Build(string owner) =>
        _fake.AsBuilder().UseJobStore(_store, o => { o.Owner = owner; o.TimeProvider = _clock; }).Build();

    private WaitOptions Wait() => new() { TimeProvider = _clock };
}
