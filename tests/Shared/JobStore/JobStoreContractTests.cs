using MediaGen.Testing;

namespace MediaGen.JobStoreContract;

/// <summary>
/// The <see cref="IJobStore"/> contract, once for every store: subclass it, create the store over fresh storage in
/// <see cref="CreateStoreAsync"/> and, for a store shared between processes, a second instance over the same storage in
/// <see cref="OpenSecondAsync"/>. Compiled into each store's test project from tests/Shared/JobStore.
/// </summary>
public abstract partial class JobStoreContractTests : IAsyncLifetime
{
    private readonly List<IJobStore> _opened = [];

    /// <summary>Gets the store's clock (the store must take its record times and lease expiry from it).</summary>
    protected FakeClock Clock { get; } = new();

    /// <summary>Creates the store under test over fresh, empty storage, on <paramref name="clock"/>.</summary>
    /// <param name="clock">The store's clock.</param>
    /// <returns>The store.</returns>
    protected abstract Task<IJobStore> CreateStoreAsync(TimeProvider clock);

    /// <summary>Opens a second instance over the storage of the first (another process would); the in-memory store returns the first.</summary>
    /// <param name="first">The first instance.</param>
    /// <param name="clock">The store's clock.</param>
    /// <returns>The second instance.</returns>
    protected abstract Task<IJobStore> OpenSecondAsync(IJobStore first, TimeProvider clock);

    /// <inheritdoc/>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            switch (store)
            {
                case IAsyncDisposable a:
                    await a.DisposeAsync();
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }
    }

    [Fact]
    public async Task ClaimAsync_NewKey_OwnsItAndStoresSummaryRouteAndQuote()
    {
        var store = await NewAsync();

        var claim = await store.ClaimAsync(Request("k1", "a") with { Quote = Quote(8, "fake"), Provider = "fake", Model = new ModelId("m1") });

        Assert.Equal(JobClaimStatus.Owned, claim.Status);
        var stored = await store.FindByKeyAsync("k1");
        Assert.NotNull(stored);
        Assert.Equal(StoredJobState.Pending, stored.State);
        Assert.Equal("a", stored.LeaseOwner);
        Assert.Equal("a cat", stored.Summary?.Prompt);
        Assert.Equal("fake", stored.Provider);
        Assert.Equal(new ModelId("m1"), stored.Model);
        Assert.Equal(Money.Credits(8, "fake"), stored.Quote?.Amount);
        Assert.Equal(1, stored.Claims);
        Assert.Equal(Clock.GetUtcNow(), stored.CreatedAt);
    }

    [Fact]
    public async Task ClaimAsync_KeyInFlightElsewhere_SaysInFlightWithTheOwner()
    {
        var store = await NewAsync();
        await store.ClaimAsync(Request("k1", "a"));

        var claim = await store.ClaimAsync(Request("k1", "b"));

        Assert.Equal(JobClaimStatus.InFlight, claim.Status);
        Assert.Equal("a", claim.Job.LeaseOwner);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromMinutes(1), claim.Job.LeaseExpiresAt);
    }

    [Fact]
    public async Task ClaimAsync_SameOwnerAgain_OwnsItWithoutCountingAClaim()
    {
        var store = await NewAsync();
        await store.ClaimAsync(Request("k1", "a"));

        var claim = await store.ClaimAsync(Request("k1", "a"));

        Assert.Equal(JobClaimStatus.Owned, claim.Status);
        Assert.Equal(1, (await store.FindByKeyAsync("k1"))!.Claims);
    }

    [Fact]
    public async Task ClaimAsync_LeaseExpired_TakesTheKeyOver()
    {
        var store = await NewAsync();
        await store.ClaimAsync(Request("k1", "a"));
        Clock.Advance(TimeSpan.FromMinutes(2));

        var claim = await store.ClaimAsync(Request("k1", "b"));

        Assert.Equal(JobClaimStatus.Owned, claim.Status);
        Assert.Equal("b", claim.Job.LeaseOwner);
        Assert.Equal(2, claim.Job.Claims);
    }

    [Fact]
    public async Task ClaimAsync_KeyAccepted_ReturnsTheHandleToAdopt()
    {
        var store = await NewAsync();
        await store.ClaimAsync(Request("k1", "a"));
        await store.RecordAcceptedAsync("k1", Job("j1", "k1"));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var claim = await store.ClaimAsync(Request("k1", "b"));

        Assert.Equal(JobClaimStatus.Accepted, claim.Status);
        Assert.Equal(new JobHandle("fake", "j1"), claim.Job.Handle);
    }

    [Fact]
    public async Task ClaimAsync_KeyEndedUnaccepted_OwnsItAgain()
    {
        var store = await NewAsync();
        await store.ClaimAsync(Request("k1", "a"));
        await store.RecordNotAcceptedAsync("k1", new InvalidRequestError([new FieldError("prompt", "is empty")]));

        var claim = await store.ClaimAsync(Request("k1", "b"));

        Assert.Equal(JobClaimStatus.Owned, claim.Status);
        Assert.Equal(StoredJobState.Pending, claim.Job.State);
        Assert.Null(claim.Job.Note);
        Assert.Equal(2, claim.Job.Claims);
    }

    [Fact]
    public async Task ClaimAsync_ManyConcurrentOwnersOverTwoInstances_ExactlyOneOwns()
    {
        var first = await NewAsync();
        var second = await OpenSecondAsync(first, Clock);
        Track(second);

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).ClaimAsync(Request("k1", $"owner{i}")))));

        Assert.Single(claims, c => c.IsOwned);
        Assert.All(claims.Where(c => !c.IsOwned), c => Assert.Equal(JobClaimStatus.InFlight, c.Status));
        Assert.Equal(1, (await second.FindByKeyAsync("k1"))!.Claims);
    }

    [Fact]
    public async Task RecordAcceptedAsync_Retried_KeepsOneAttemptAndTheQuote()
    {
        var store = await NewAsync();
        await store.ClaimAsync(Request("k1", "a") with { Quote = Quote(8, "fake") });
        var job = Job("j1", "k1") with { Quote = Quote(8, "fake") };

        await store.RecordAcceptedAsync("k1", job);
        var stored = await store.RecordAcceptedAsync("k1", job);

        Assert.Equal(StoredJobState.Accepted, stored.State);
        var attempt = Assert.Single(stored.Attempts);
        Assert.Equal(RouteOutcome.Accepted, attempt.Outcome);
        Assert.Equal(job.Handle, attempt.Handle);
        Assert.Equal(Money.Credits(8, "fake"), attempt.Quote?.Amount);
        Assert.Equal(Clock.GetUtcNow(), stored.AcceptedAt);
    }

    [Fact]
    public async Task RecordAcceptedAsync_RouterTrail_KeepsSkippedAndFailedVendors()
    {
        var store = await NewAsync();
        var job = Job("j1", "k1") with
        {
            Attempts =
            [
                new RouteAttempt("other", new ModelId("x"), RouteOutcome.Failed, "429"),
                new RouteAttempt("fake", new ModelId("m1"), RouteOutcome.Accepted),
            ],
        };

        var stored = await store.RecordAcceptedAsync("k1", job);

        Assert.Equal([RouteOutcome.Failed, RouteOutcome.Accepted], stored.Attempts.Select(a => a.Outcome));
        Assert.Equal("other", stored.Attempts[0].Provider);
    }

    [Fact]
    public async Task RecordJobUpdateAsync_StatusChangesOutputsAndCharge_RecordedOncePerChange()
    {
        var store = await NewAsync();
        await store.RecordAcceptedAsync("k1", Job("j1", "k1"));

        await store.RecordJobUpdateAsync(Job("j1", "k1", GenerationStatus.Running) with { Progress = 10 });
        await store.RecordJobUpdateAsync(Job("j1", "k1", GenerationStatus.Running) with { Progress = 50 });
        var output = new GenerationOutput(new Uri("https://cdn.example/a.png"), MediaKind.Image, "image/png");
        var ended = await store.RecordJobUpdateAsync(Job("j1", "k1", GenerationStatus.Succeeded) with { Outputs = [output], Charge = Money.Credits(8, "fake") });

        Assert.Equal(StoredJobState.Succeeded, ended.State);
        Assert.Equal([GenerationStatus.Queued, GenerationStatus.Running, GenerationStatus.Succeeded], ended.StatusChanges.Select(c => c.Status));
        Assert.Equal(output, Assert.Single(ended.Outputs));
        Assert.Equal(Money.Credits(8, "fake"), ended.Charge);
        Assert.Equal(Money.Credits(8, "fake"), ended.Attempts.Single().Charge);
        Assert.NotNull(ended.EndedAt);
        Assert.Null(ended.LeaseOwner);
        Assert.Equal(JobStoreJson.Serialize(ended), JobStoreJson.Serialize((await store.FindByHandleAsync(new JobHandle("fake", "j1")))!));
    }

    [Fact]
    public async Task RecordJobUpdateAsync_AfterTheEnd_DoesNotReopenButTakesALateCharge()
    {
        var store = await NewAsync();
        await store.RecordAcceptedAsync("k1", Job("j1", "k1", GenerationStatus.Failed) with { Failure = new JobFailure(FailureReason.ContentPolicy, "nsfw") });

        var late = await store.RecordJobUpdateAsync(Job("j1", "k1", GenerationStatus.Running) with { Charge = Money.Credits(0, "fake") });

        Assert.Equal(StoredJobState.Failed, late.State);
        Assert.Equal(GenerationStatus.Failed, late.Status);
        Assert.Equal(FailureReason.ContentPolicy, late.Failure?.Reason);
        Assert.Equal("nsfw", late.Note);
        Assert.Equal(Money.Credits(0, "fake"), late.Charge);
    }

    [Fact]
    public async Task RecordAcceptedAsync_ResubmitUnderTheSameKey_MakesTheNewHandleCurrentAndKeepsBoth()
    {
        var store = await NewAsync();
        await store.RecordAcceptedAsync("k1", Job("j1", "k1", GenerationStatus.Failed) with { Charge = Money.Credits(1, "fake") });

        var stored = await store.RecordAcceptedAsync("k1", Job("j2", "k1"));

        Assert.Equal(StoredJobState.Accepted, stored.State);
        Assert.Equal(new JobHandle("fake", "j2"), stored.Handle);
        Assert.Equal(2, stored.Attempts.Count(a => a.Handle is not null));
        Assert.Equal(new JobHandle("fake", "j2"), Assert.Single(await store.ListUnfinishedAsync()).Handle);
        Assert.Equal("k1", (await store.FindByHandleAsync(new JobHandle("fake", "j1")))?.Key);
    }

    [Fact]
    public async Task RecordNotAcceptedAsync_PendingKey_EndsItWithTheErrorAndReleasesTheLease()
    {
        var store = await NewAsync();
        await store.ClaimAsync(Request("k1", "a"));

        var stored = await store.RecordNotAcceptedAsync("k1", new NoRouteError("nowhere", [new RouteAttempt("fake", new ModelId("m1"), RouteOutcome.Skipped, "circuit open")]));

        Assert.Equal(StoredJobState.NotAccepted, stored.State);
        Assert.True(stored.IsFinished);
        Assert.Equal("nowhere", stored.Note);
        Assert.Null(stored.LeaseOwner);
        Assert.Equal("circuit open", Assert.Single(stored.Attempts).Reason);
    }

    [Fact]
    public async Task RecordNotAcceptedAsync_KeyAlreadyAccepted_LeavesTheJobRunning()
    {
        var store = await NewAsync();
        await store.RecordAcceptedAsync("k1", Job("j1", "k1"));

        var stored = await store.RecordNotAcceptedAsync("k1", new NoRouteError("nowhere else", []));

        Assert.Equal(StoredJobState.Accepted, stored.State);
        Assert.Equal(new JobHandle("fake", "j1"), stored.Handle);
    }

    [Fact]
    public async Task Ledger_SubmittedThenFinished_ListsUnfinishedThenNone()
    {
        var store = await NewAsync();
        var keyless = new JobHandle("fake", "j9");
        var keyed = new JobHandle("fake", "j8") { IdempotencyKey = "k8" };

        await store.RecordSubmittedAsync(keyless);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await store.RecordSubmittedAsync(keyed);
        await store.RecordSubmittedAsync(keyed);

        Assert.Equal([keyless, keyed], (await store.ListUnfinishedAsync()).Select(e => e.Handle));
        Assert.Equal(StoredJob.HandleKey(keyless), (await store.FindByHandleAsync(keyless))?.Key);
        Assert.Equal("k8", (await store.FindByHandleAsync(keyed))?.Key);

        await store.RecordFinishedAsync(keyless, GenerationStatus.Succeeded, null);
        await store.RecordFinishedAsync(keyed, null, "gave up");
        await store.RecordFinishedAsync(keyed, GenerationStatus.Failed, "later");

        Assert.Empty(await store.ListUnfinishedAsync());
        var abandoned = await store.FindByKeyAsync("k8");
        Assert.Equal(StoredJobState.Abandoned, abandoned?.State);
        Assert.Equal("gave up", abandoned?.Note);
    }

    [Fact]
    public async Task Ledger_FinishBeforeSubmit_StillSettlesTheJob()
    {
        var store = await NewAsync();
        var handle = new JobHandle("fake", "j1") { IdempotencyKey = "k1" };

        await store.RecordFinishedAsync(handle, GenerationStatus.Succeeded, null);
        await store.RecordSubmittedAsync(handle);

        Assert.Empty(await store.ListUnfinishedAsync());
        Assert.Equal(StoredJobState.Succeeded, (await store.FindByKeyAsync("k1"))?.State);
    }

    [Fact]
    public async Task Ledger_FinishWithRunningStatus_Throws()
    {
        var store = await NewAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.RecordFinishedAsync(new JobHandle("fake", "j1"), GenerationStatus.Running, null));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RecordFinishedAsync(new JobHandle("fake", "j1"), null, " "));
    }

    [Fact]
    public async Task RenewLeaseAsync_OtherOwnerLive_RefusedUntilItLapses()
    {
        var store = await NewAsync();
        await store.RecordAcceptedAsync("k1", Job("j1", "k1"));
        Assert.True(await store.RenewLeaseAsync("k1", Lease("a")));

        Assert.False(await store.RenewLeaseAsync("k1", Lease("b")));
        Assert.True(await store.RenewLeaseAsync("k1", Lease("a")));
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await store.RenewLeaseAsync("k1", Lease("b")));
        Assert.Equal("b", (await store.FindByKeyAsync("k1"))?.LeaseOwner);
        Assert.False(await store.RenewLeaseAsync("missing", Lease("a")));
    }

    [Fact]
    public async Task ReleaseLeaseAsync_ByItsOwnerOnly()
    {
        var store = await NewAsync();
        await store.ClaimAsync(Request("k1", "a"));

        Assert.False(await store.ReleaseLeaseAsync("k1", "b"));
        Assert.True(await store.ReleaseLeaseAsync("k1", "a"));

        Assert.Null((await store.FindByKeyAsync("k1"))?.LeaseOwner);
        Assert.True((await store.ClaimAsync(Request("k1", "b"))).IsOwned);
    }

    [Fact]
    public async Task AcquireUnfinishedAsync_TwoOwnersRacing_NeverGetTheSameJob()
    {
        var first = await NewAsync();
        var second = await OpenSecondAsync(first, Clock);
        Track(second);
        for (var i = 0; i < 10; i++)
        {
            await first.RecordAcceptedAsync($"k{i}", Job($"j{i}", $"k{i}"));
        }

        await first.ClaimAsync(Request("pending", "x"));
        await first.RecordAcceptedAsync("done", Job("jd", "done", GenerationStatus.Succeeded));

        var taken = await Task.WhenAll(
            Task.Run(() => first.AcquireUnfinishedAsync(Lease("a"), 6)),
            Task.Run(() => second.AcquireUnfinishedAsync(Lease("b"), 6)));

        var keys = taken.SelectMany(t => t.Select(j => j.Key)).ToList();
        Assert.Equal(10, keys.Count);
        Assert.Equal(10, keys.Distinct().Count());
        Assert.DoesNotContain("pending", keys);
        Assert.All(taken[0], j => Assert.Equal("a", j.LeaseOwner));
        Assert.Empty(await first.AcquireUnfinishedAsync(Lease("c"), 10));
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(10, (await first.AcquireUnfinishedAsync(Lease("c"), 100)).Count);
    }

    [Fact]
    public async Task ListJobsAsync_NewestFirstFilteredAndLimited()
    {
        var store = await NewAsync();
        await store.RecordAcceptedAsync("old", Job("j1", "old", GenerationStatus.Succeeded));
        Clock.Advance(TimeSpan.FromHours(1));
        var since = Clock.GetUtcNow();
        await store.RecordAcceptedAsync("mid", Job("j2", "mid"));
        Clock.Advance(TimeSpan.FromHours(1));
        await store.ClaimAsync(Request("new", "a") with { Provider = "other" });

        Assert.Equal(["new", "mid", "old"], (await store.ListJobsAsync(new JobQuery())).Select(j => j.Key));
        Assert.Equal(["new", "mid"], (await store.ListJobsAsync(new JobQuery { UnfinishedOnly = true })).Select(j => j.Key));
        Assert.Equal(["new", "mid"], (await store.ListJobsAsync(new JobQuery { Since = since })).Select(j => j.Key));
        Assert.Equal(["new"], (await store.ListJobsAsync(new JobQuery { Limit = 1 })).Select(j => j.Key));
        Assert.Equal(["mid", "old"], (await store.ListJobsAsync(new JobQuery { Provider = "FAKE" })).Select(j => j.Key));
    }

    [Fact]
    public async Task GetSpendAsync_ByVendorModelAndDay_QuoteAndChargeInUnitAndUsd()
    {
        var store = await NewAsync();
        var quote = Quote(8, "fake") with { Usd = Money.Usd(0.40m) };
        await store.RecordAcceptedAsync("k1", Job("j1", "k1", GenerationStatus.Succeeded) with { Quote = quote, Charge = Money.Credits(8, "fake") });
        await store.RecordAcceptedAsync("k2", Job("j2", "k2") with { Quote = quote });
        Clock.Advance(TimeSpan.FromDays(1));
        await store.RecordAcceptedAsync("k3", Job("j3", "k3", GenerationStatus.Failed) with { Quote = quote, Charge = Money.Credits(0, "fake") });
        await store.RecordAcceptedAsync("k4", new GenerationJob { Handle = new JobHandle("usdco", "u1") { Model = new ModelId("v") }, Status = GenerationStatus.Succeeded, Quote = new PriceQuote { Amount = Money.Usd(1.5m), Usd = Money.Usd(1.5m), Basis = "flat" }, Charge = Money.Usd(1.25m) });
        await store.ClaimAsync(Request("pending", "a") with { Quote = quote });

        var byVendor = await store.GetSpendAsync(new SpendQuery());
        Assert.Equal(["fake", "usdco"], byVendor.Select(l => l.Group));
        var fake = byVendor[0];
        Assert.Equal(MoneyUnit.Credits("fake"), fake.Unit);
        Assert.Equal(3, fake.Jobs);
        Assert.Equal(Money.Credits(24, "fake"), fake.Quoted);
        Assert.Equal(Money.Usd(1.20m), fake.QuotedUsd);
        Assert.Equal(Money.Credits(8, "fake"), fake.Charged);
        Assert.Equal(Money.Usd(0.40m), fake.ChargedUsd);
        Assert.Equal(1, fake.Uncharged);
        Assert.Equal(Money.Usd(1.25m), byVendor[1].ChargedUsd);

        var byDay = await store.GetSpendAsync(new SpendQuery { By = SpendGrouping.Day });
        Assert.Equal(["2026-01-01", "2026-01-02", "2026-01-02"], byDay.Select(l => l.Group));

        var byModel = await store.GetSpendAsync(new SpendQuery { By = SpendGrouping.Model, Since = Clock.GetUtcNow() });
        Assert.Equal(["fake/m1", "usdco/v"], byModel.Select(l => l.Group));
        Assert.Equal(1, byModel[0].Jobs);
    }

    [Fact]
    public async Task Writes_CanceledBeforeStart_Throw()
    {
        var store = await NewAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ClaimAsync(Request("k1", "a"), cts.Token));
        Assert.Null(await store.FindByKeyAsync("k1"));
    }

    [Fact]
    public async Task Jobs_ReadBackFromASecondInstance_Equal()
    {
        var first = await NewAsync();
        await first.ClaimAsync(Request("k1", "a") with { Quote = Quote(8, "fake") with { AsOf = new DateOnly(2026, 1, 1), Source = PriceSource.Snapshot }, Provider = "fake" });
        await first.RecordAcceptedAsync("k1", Job("j1", "k1") with { Quote = Quote(8, "fake") });
        var written = await first.RecordJobUpdateAsync(Job("j1", "k1", GenerationStatus.Succeeded) with
        {
            Outputs = [new GenerationOutput(new Uri("https://cdn.example/a.mp4"), MediaKind.Video, "video/mp4") { Role = "main" }],
            Charge = Money.Credits(8, "fake"),
        });

        var second = await OpenSecondAsync(first, Clock);
        Track(second);
        var read = await second.FindByKeyAsync("k1");

        Assert.NotNull(read);
        Assert.Equal(JobStoreJson.Serialize(written), JobStoreJson.Serialize(read));
    }

    /// <summary>Creates the store and disposes it after the test.</summary>
    /// <returns>The store.</returns>
    protected async Task<IJobStore> NewAsync() => Track(await CreateStoreAsync(Clock));

    /// <summary>A lease one minute from now on the test clock.</summary>
    /// <param name="owner">The owner id.</param>
    /// <returns>The lease.</returns>
    protected JobLease Lease(string owner) => new(owner, Clock.GetUtcNow() + TimeSpan.FromMinutes(1));

    /// <summary>A claim of <paramref name="key"/> by <paramref name="owner"/> for a one-minute lease.</summary>
    /// <param name="key">The key.</param>
    /// <param name="owner">The owner id.</param>
    /// <returns>The request.</returns>
    protected JobClaimRequest Request(string key, string owner) =>
        new(key, Lease(owner)) { Summary = new JobRequestSummary { Model = new ModelId("m1"), Prompt = "a cat" } };

    /// <summary>An accepted job at the fake vendor.</summary>
    /// <param name="vendorId">The vendor job id.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="status">Its status.</param>
    /// <returns>The job.</returns>
    protected static GenerationJob Job(string vendorId, string key, GenerationStatus status = GenerationStatus.Queued) => new()
    {
        Handle = new JobHandle("fake", vendorId) { IdempotencyKey = key, Model = new ModelId("m1"), Kind = MediaKind.Image },
        Status = status,
    };

    /// <summary>A known quote in a vendor's credits.</summary>
    /// <param name="credits">The amount.</param>
    /// <param name="provider">The vendor.</param>
    /// <returns>The quote.</returns>
    protected static PriceQuote Quote(decimal credits, string provider) =>
        new() { Amount = Money.Credits(credits, provider), Basis = $"{credits} credits", Source = PriceSource.Snapshot };

    private IJobStore Track(IJobStore store)
    {
        if (!_opened.Contains(store))
        {
            _opened.Add(store);
        }

        return store;
    }
}
