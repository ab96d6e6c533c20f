using MediaGen.Testing;
using MediaGen.Testing.Tests.TestSupport;

namespace MediaGen.Testing.Tests.Time;

public class FakeClockDriveTests
{
    private static readonly DateTimeOffset Start = FakeClock.DefaultStartTime;

    [Fact]
    public async Task DriveAsync_DelayLoopWithLongDeadlineAlive_CompletesAtSumOfDelays()
    {
        var clock = new FakeClock();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10), clock);

        async Task<int> PollFiveTimes()
        {
            int polls = 0;
            for (int i = 0; i < 5; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), clock, deadline.Token);
                await Task.Yield();
                polls++;
            }

            return polls;
        }

        int result = await clock.DriveAsync(PollFiveTimes());

        Assert.Equal(5, result);
        Assert.Equal(Start.AddSeconds(15), clock.GetUtcNow());
        Assert.False(deadline.IsCancellationRequested);
        Assert.Equal(1, clock.PendingTimerCount); // only the deadline is left
    }

    [Fact]
    public async Task DriveAsync_RealLoopbackIoWhileDeadlineArmed_NeverJumpsToDeadline()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        using HttpClient http = host.CreateClient();
        var clock = new FakeClock();

        // The code under test arms its deadline, then does real I/O before (and between) its sleeps.
        async Task<int> SubmitAndPoll()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10), clock);
            int calls = 0;
            (await http.GetAsync(new Uri("api/ping", UriKind.Relative), deadline.Token)).EnsureSuccessStatusCode();
            calls++;
            for (int i = 0; i < 3; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), clock, deadline.Token);
                (await http.GetAsync(new Uri("api/ping", UriKind.Relative), deadline.Token)).EnsureSuccessStatusCode();
                string scratch = Path.Combine(Path.GetTempPath(), $"drive-{Guid.NewGuid():N}.tmp");
                await File.WriteAllTextAsync(scratch, "x", deadline.Token);
                File.Delete(scratch);
                calls++;
            }

            return calls;
        }

        int result = await clock.DriveAsync(SubmitAndPoll());

        Assert.Equal(4, result);
        Assert.Equal(Start.AddSeconds(9), clock.GetUtcNow());
    }

    [Fact]
    public async Task DriveAsync_NonGenericOperation_CompletesAndAdvancesClock()
    {
        var clock = new FakeClock();

        async Task SleepTwice()
        {
            await Task.Delay(TimeSpan.FromSeconds(1), clock);
            await Task.Delay(TimeSpan.FromSeconds(2), clock);
        }

        await clock.DriveAsync(SleepTwice());

        Assert.Equal(Start.AddSeconds(3), clock.GetUtcNow());
    }

    [Fact]
    public async Task DriveAsync_DeadlineShorterThanSleep_FiresDeadlineAndPropagatesCancellation()
    {
        var clock = new FakeClock();

        async Task<int> SleepPastDeadline()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), clock);
            await Task.Delay(TimeSpan.FromMinutes(1), clock, deadline.Token);
            return 1;
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clock.DriveAsync(SleepPastDeadline()));
        Assert.Equal(Start.AddSeconds(5), clock.GetUtcNow());
    }

    [Fact]
    public async Task DriveAsync_OperationNeedsMoreThanMaxVirtualTime_ThrowsTimeout()
    {
        var clock = new FakeClock();
        using var stop = new CancellationTokenSource();

        async Task SleepForever()
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMinutes(1), clock, stop.Token);
            }
        }

        Task forever = SleepForever();
        var error = await Assert.ThrowsAsync<TimeoutException>(() => clock.DriveAsync(forever, TimeSpan.FromMinutes(10)));

        Assert.Contains("virtual time", error.Message, StringComparison.Ordinal);
        Assert.Equal(Start.AddMinutes(10), clock.GetUtcNow());
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => forever);
    }

    [Fact]
    public async Task DriveAsync_DefaultLimit_IsOneHourOfVirtualTime()
    {
        var clock = new FakeClock();

        Task<int> longSleep = Task.Delay(TimeSpan.FromHours(2), clock).ContinueWith(_ => 1, TaskScheduler.Default);

        await Assert.ThrowsAsync<TimeoutException>(() => clock.DriveAsync(longSleep));
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public async Task DriveAsync_OperationNeitherCompletesNorSleeps_ThrowsAfterNoProgressTimeout()
    {
        var clock = new FakeClock { NoProgressTimeout = TimeSpan.FromMilliseconds(100) };
        var never = new TaskCompletionSource();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => clock.DriveAsync(never.Task));

        Assert.Contains("neither completed nor armed a timer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriveAsync_CompletedOperation_ReturnsResultWithoutAdvancing()
    {
        var clock = new FakeClock();
        using ITimer unrelated = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        int result = await clock.DriveAsync(Task.FromResult(42));

        Assert.Equal(42, result);
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public async Task DriveConcurrentAsync_ConcurrentWaitersOneFinishesEarly_StillDrivesTheOthers()
    {
        var clock = new FakeClock();

        async Task LoopAsync(int iterations, TimeSpan step)
        {
            for (var i = 0; i < iterations; i++)
            {
                await Task.Delay(step, clock);
            }
        }

        // The short loop ends without arming a new timer while the long one still sleeps.
        var both = Task.WhenAll(LoopAsync(1, TimeSpan.FromSeconds(1)), LoopAsync(5, TimeSpan.FromSeconds(3)));

        await clock.DriveConcurrentAsync(both);

        Assert.Equal(FakeClock.DefaultStartTime + TimeSpan.FromSeconds(15), clock.GetUtcNow());
    }

    [Fact]
    public async Task DriveConcurrentAsync_SleepersArmingOnManyThreads_NeverStallsNorLosesATimer()
    {
        var clock = new FakeClock();

        async Task LoopAsync(int index)
        {
            for (var i = 0; i < 4; i++)
            {
                await Task.Run(() => Task.Delay(TimeSpan.FromSeconds(1 + (index % 7)), clock));
            }
        }

        // Timers armed on other threads race the advances: how far the clock gets depends on the interleaving (at most
        // one advance per sleep, 400 x 7 s), but every sleep fires and the drive never stalls.
        await clock.DriveConcurrentAsync(Task.WhenAll(Enumerable.Range(0, 100).Select(LoopAsync)));

        Assert.True(clock.GetUtcNow() >= Start.AddSeconds(4 * 7), clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, clock.PendingTimerCount);
    }
}
