namespace MediaGen.JobStoreContract;

/// <summary>The <see cref="IPollingStatsStore"/> contract, which every store of the repository also keeps.</summary>
public abstract partial class JobStoreContractTests
{
    [Fact]
    public async Task LoadCompletionTimesAsync_UnknownKey_ReturnsNone()
    {
        var stats = Stats(await NewAsync());

        Assert.Empty(await stats.LoadCompletionTimesAsync("fake|m1", 48));
    }

    [Fact]
    public async Task AppendCompletionTimeAsync_MoreThanKeep_KeepsTheNewestOldestFirst()
    {
        var stats = Stats(await NewAsync());
        for (var i = 1; i <= 10; i++)
        {
            await stats.AppendCompletionTimeAsync("fake|m1", Sample(i), keep: 4);
        }

        var loaded = await stats.LoadCompletionTimesAsync("fake|m1", 48);

        Assert.Equal([Sample(7), Sample(8), Sample(9), Sample(10)], loaded);
    }

    [Fact]
    public async Task LoadCompletionTimesAsync_FewerThanStored_ReturnsTheNewestOldestFirst()
    {
        var stats = Stats(await NewAsync());
        for (var i = 1; i <= 5; i++)
        {
            await stats.AppendCompletionTimeAsync("fake|m1", Sample(i), keep: 48);
        }

        Assert.Equal([Sample(4), Sample(5)], await stats.LoadCompletionTimesAsync("fake|m1", 2));
    }

    [Fact]
    public async Task AppendCompletionTimeAsync_TwoKeys_KeptApartAndSeenByASecondInstance()
    {
        var first = await NewAsync();
        await Stats(first).AppendCompletionTimeAsync("fake|m1|480p/5s", Sample(5), keep: 48);
        await Stats(first).AppendCompletionTimeAsync("fake|m1|1080p/10s", Sample(40), keep: 48);
        await Stats(first).AppendCompletionTimeAsync("fake|m1|1080p/10s", new CompletionTimeSample(TimeSpan.FromSeconds(39.5), TimeSpan.FromSeconds(42.25)), keep: 48);

        var second = Stats(Track(await OpenSecondAsync(first, Clock)));

        Assert.Equal([Sample(5)], await second.LoadCompletionTimesAsync("fake|m1|480p/5s", 48));
        Assert.Equal([Sample(40), new CompletionTimeSample(TimeSpan.FromSeconds(39.5), TimeSpan.FromSeconds(42.25))], await second.LoadCompletionTimesAsync("fake|m1|1080p/10s", 48));
        Assert.Empty(await second.LoadCompletionTimesAsync("fake|m1", 48));
    }

    private static IPollingStatsStore Stats(IJobStore store) =>
        Assert.IsAssignableFrom<IPollingStatsStore>(store);

    private static CompletionTimeSample Sample(int seconds) =>
        new(TimeSpan.FromSeconds(seconds - 0.5), TimeSpan.FromSeconds(seconds));
}
