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
    public async Task DriveAsync_AfterAdvanceFiredAnAttemptDeadline_LetsTheResendFinishInsteadOfJumpingToTheNextDeadline()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        host.Faults.On(HttpMethod.Get, "/api/ping").Always().DelayInRealTime(TimeSpan.FromMilliseconds(200)); // the resend is real, slow I/O
        using HttpClient http = host.CreateClient();
        var clock = new FakeClock();

        // Someone else asleep on the clock for a virtual day: the vendor holding the first attempt.
        using var release = new CancellationTokenSource();
        Task held = Task.Delay(TimeSpan.FromDays(1), clock, release.Token);

        // The shape of a resilience pipeline: a total deadline around attempts that each have a shorter deadline, and
        // an attempt that timed out is resent (timeouts as Polly builds them: CancellationTokenSource on the clock).
        async Task<int> SendWithResend()
        {
            using var total = new CancellationTokenSource(TimeSpan.FromMinutes(1), clock);
            for (int attempt = 1; ; attempt++)
            {
                using var attemptDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), clock);
                using CancellationTokenRegistration link = total.Token.Register(attemptDeadline.Cancel);
                try
                {
                    if (attempt == 1)
                    {
                        await held.WaitAsync(attemptDeadline.Token);
                    }

                    using HttpResponseMessage response = await http.GetAsync(new Uri("api/ping", UriKind.Relative), attemptDeadline.Token);
                    response.EnsureSuccessStatusCode();
                    return attempt;
                }
                catch (OperationCanceledException) when (attemptDeadline.IsCancellationRequested && !total.IsCancellationRequested)
                {
                    // The attempt timed out: send it again.
                }
            }
        }

        Task<int> send = SendWithResend();
        Assert.Equal(3, clock.PendingTimerCount); // the vendor's hold, the total and the first attempt's deadline

        // The test moves the clock itself to the attempt deadline (it knows the vendor holds the request), then drives.
        // The day-long hold was armed before that advance: it is not a sign that the client went back to sleep, so the
        // drive must not move the clock on to the next deadline while the resend is on the wire.
        clock.Advance(TimeSpan.FromSeconds(5));
        int attempts = await clock.DriveAsync(send);

        Assert.Equal(Start.AddSeconds(5), clock.GetUtcNow());
        Assert.Equal(2, attempts);
        await release.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
    }

    [Fact]
    public async Task DriveAsync_OthersSleepWhileATrackedRequestIsSlowInRealTime_DoesNotAdvanceUnderTheRequest()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        host.Faults.On(HttpMethod.Get, "/api/ping").Always().DelayInRealTime(TimeSpan.FromMilliseconds(300)); // a loaded machine
        var clock = new FakeClock();
        using var http = new HttpClient(clock.CreateHttpHandler()) { BaseAddress = host.BaseAddress };

        // A healthy request with a 2 s virtual attempt deadline, while another job sleeps 1 s at a time beside it.
        async Task<DateTimeOffset> Request()
        {
            using var attemptDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(2), clock);
            (await http.GetAsync(new Uri("api/ping", UriKind.Relative), attemptDeadline.Token)).EnsureSuccessStatusCode();
            return clock.GetUtcNow();
        }

        async Task SleepTenTimes()
        {
            for (int i = 0; i < 10; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), clock);
            }
        }

        Task<DateTimeOffset> request = Request();
        await clock.DriveAsync(Task.WhenAll(request, SleepTenTimes()));

        Assert.True(await request < Start.AddSeconds(2), $"answered at {await request:O}"); // no virtual time passed under it
        Assert.Equal(Start.AddSeconds(10), clock.GetUtcNow());
    }

    [Fact]
    public async Task DriveAsync_TrackedRequestHeldByTheHostOnTheClock_AdvancesToTheAttemptDeadlineAtOnce()
    {
        var clock = new FakeClock();
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator(), new EmulatorHostOptions { TimeProvider = clock });
        host.Faults.On(HttpMethod.Get, "/api/ping").Always().Delay(TimeSpan.FromSeconds(30)); // slower than the attempt deadline
        using var http = new HttpClient(clock.CreateHttpHandler()) { BaseAddress = host.BaseAddress };

        async Task<bool> TimesOut()
        {
            using var attemptDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), clock);
            try
            {
                await http.GetAsync(new Uri("api/ping", UriKind.Relative), attemptDeadline.Token);
                return false;
            }
            catch (OperationCanceledException) when (attemptDeadline.IsCancellationRequested)
            {
                return true;
            }
        }

        var wall = System.Diagnostics.Stopwatch.StartNew();
        bool timedOut = await clock.DriveAsync(TimesOut());

        Assert.True(timedOut);
        Assert.Equal(Start.AddSeconds(5), clock.GetUtcNow());
        Assert.True(wall.Elapsed < FakeClock.QuietLimit, $"took {wall.Elapsed} of real time: the held request stalled the drive");
    }

    [Fact]
    public async Task DriveAsync_SleepArmedByACallbackOfAnAdvance_IsDriven()
    {
        var clock = new FakeClock();

        async Task SleepTwice()
        {
            await Task.Delay(TimeSpan.FromSeconds(5), clock);
            await Task.Delay(TimeSpan.FromSeconds(3), clock);
        }

        Task sleeping = SleepTwice();
        clock.Advance(TimeSpan.FromSeconds(5)); // wakes the first sleep; the second is armed when the callback runs or just after
        await clock.DriveAsync(sleeping);

        Assert.Equal(Start.AddSeconds(8), clock.GetUtcNow());
    }

    [Fact]
    public async Task DriveAsync_SleepArmedWhileOneAdvanceFiresSeveralTimers_IsDriven()
    {
        var clock = new FakeClock();
        using ITimer other = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan);
        var slept = new TaskCompletionSource();
        ITimer? second = null;

        // The first timer's callback arms a sleep; a second timer fires later in the same advance.
        using ITimer first = clock.CreateTimer(
            _ => second = clock.CreateTimer(_ => slept.TrySetResult(), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan),
            null,
            TimeSpan.FromSeconds(2),
            Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(4));
        await clock.DriveAsync(slept.Task);

        Assert.Equal(Start.AddSeconds(14), clock.GetUtcNow());
        second?.Dispose();
    }

    [Fact]
    public async Task DriveAsync_AdvanceThatFiresNothing_StillDrivesTheSleepArmedBeforeIt()
    {
        var clock = new FakeClock();

        Task sleeping = Task.Delay(TimeSpan.FromSeconds(10), clock);
        clock.Advance(TimeSpan.FromSeconds(3)); // nothing is due: the code is still asleep on the same timer
        await clock.DriveAsync(sleeping);

        Assert.Equal(Start.AddSeconds(10), clock.GetUtcNow());
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
