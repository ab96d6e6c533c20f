namespace MediaGen.Testing.Tests.Time;

public class FakeTimeProviderTests
{
    private static readonly DateTimeOffset Start = FakeTimeProvider.DefaultStartTime;

    [Fact]
    public void Constructor_NoStartTime_StartsAt2026InUtc()
    {
        var clock = new FakeTimeProvider();

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(TimeZoneInfo.Utc, clock.LocalTimeZone);
        Assert.Equal(TimeSpan.Zero, clock.GetLocalNow().Offset);
    }

    [Fact]
    public void Constructor_StartTime_IsTheCurrentTime()
    {
        var start = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

        Assert.Equal(start, new FakeTimeProvider(start).GetUtcNow());
    }

    [Fact]
    public void Advance_Delta_MovesClockAndElapsedTime()
    {
        var clock = new FakeTimeProvider();
        long before = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(Start.AddSeconds(90), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(90), clock.GetElapsedTime(before));
    }

    [Fact]
    public void Advance_Negative_Throws()
    {
        var clock = new FakeTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void SetUtcNow_Backwards_ThrowsAndKeepsTime()
    {
        var clock = new FakeTimeProvider();
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(Start));
        Assert.Equal(Start.AddMinutes(1), clock.GetUtcNow());
    }

    [Fact]
    public void SetUtcNow_Forward_FiresDueTimers()
    {
        var clock = new FakeTimeProvider();
        DateTimeOffset? firedAt = null;
        using ITimer timer = clock.CreateTimer(_ => firedAt = clock.GetUtcNow(), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.SetUtcNow(Start.AddHours(1));

        Assert.Equal(Start.AddSeconds(10), firedAt);
        Assert.Equal(Start.AddHours(1), clock.GetUtcNow());
    }

    [Fact]
    public void Advance_SeveralTimersDue_FireInDueOrderEachAtItsDueTime()
    {
        var clock = new FakeTimeProvider();
        var fired = new List<(string Name, DateTimeOffset At)>();
        using ITimer c = clock.CreateTimer(_ => fired.Add(("c", clock.GetUtcNow())), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using ITimer a = clock.CreateTimer(_ => fired.Add(("a", clock.GetUtcNow())), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using ITimer b = clock.CreateTimer(_ => fired.Add(("b", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([("a", Start.AddSeconds(1)), ("b", Start.AddSeconds(2)), ("c", Start.AddSeconds(3))], fired);
        Assert.Equal(Start.AddSeconds(5), clock.GetUtcNow());
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public void Advance_TimersDueAtSameInstant_FireInArmOrder()
    {
        var clock = new FakeTimeProvider();
        var fired = new List<int>();
        var timers = Enumerable.Range(0, 5)
            .Select(i => clock.CreateTimer(_ => fired.Add(i), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan))
            .ToList();

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([0, 1, 2, 3, 4], fired);
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void Advance_NotYetDue_DoesNotFire()
    {
        var clock = new FakeTimeProvider();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal(0, fired);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void Advance_CallbackRunsOnAdvancingThread()
    {
        var clock = new FakeTimeProvider();
        int? callbackThread = null;
        using ITimer timer = clock.CreateTimer(_ => callbackThread = Environment.CurrentManagedThreadId, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Environment.CurrentManagedThreadId, callbackThread);
    }

    [Fact]
    public void CreateTimer_ZeroDueTime_FiresOnNextAdvanceNotInline()
    {
        var clock = new FakeTimeProvider();
        int fired = 0;

        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, fired);
        Assert.Equal(TimeSpan.Zero, clock.NextTimerDueIn);

        clock.Advance(TimeSpan.Zero);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void CreateTimer_Periodic_FiresEveryPeriodAtItsDueTimes()
    {
        var clock = new FakeTimeProvider();
        var firedAt = new List<DateTimeOffset>();
        using ITimer timer = clock.CreateTimer(_ => firedAt.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(3), Start.AddSeconds(5)], firedAt);
        Assert.Equal(1, clock.PendingTimerCount);
        Assert.Equal(TimeSpan.FromSeconds(1), clock.NextTimerDueIn);
    }

    [Fact]
    public void CreateTimer_PeriodZero_FiresOnce()
    {
        var clock = new FakeTimeProvider();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.Zero);

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, fired);
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public void CreateTimer_InfiniteDueTime_IsNotArmed()
    {
        var clock = new FakeTimeProvider();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.PendingTimerCount);
        Assert.Null(clock.NextTimerDueIn);
    }

    [Fact]
    public void CreateTimer_NegativeDueTime_Throws()
    {
        var clock = new FakeTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(-2), Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void CreateTimer_State_IsPassedToCallback()
    {
        var clock = new FakeTimeProvider();
        object? received = null;
        var state = new object();
        using ITimer timer = clock.CreateTimer(s => received = s, state, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Same(state, received);
    }

    [Fact]
    public void Change_ArmedTimer_MovesDueTimeRelativeToNow()
    {
        var clock = new FakeTimeProvider();
        var firedAt = new List<DateTimeOffset>();
        using ITimer timer = clock.CreateTimer(_ => firedAt.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.True(timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(firedAt);

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([Start.AddSeconds(12)], firedAt);
    }

    [Fact]
    public void Change_InfiniteDueTime_Disarms()
    {
        var clock = new FakeTimeProvider();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public void Change_FromInsideCallback_ReArmsTimer()
    {
        var clock = new FakeTimeProvider();
        var firedAt = new List<DateTimeOffset>();
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            firedAt.Add(clock.GetUtcNow());
            if (firedAt.Count < 3)
            {
                timer!.Change(TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan);
            }
        }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(5), Start.AddSeconds(9)], firedAt);
        timer.Dispose();
    }

    [Fact]
    public void Advance_FromInsideCallback_FiresNestedTimersAndNeverMovesBackwards()
    {
        var clock = new FakeTimeProvider();
        var firedAt = new List<(string Name, DateTimeOffset At)>();
        using ITimer inner = clock.CreateTimer(_ => firedAt.Add(("inner", clock.GetUtcNow())), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using ITimer outer = clock.CreateTimer(_ =>
        {
            firedAt.Add(("outer", clock.GetUtcNow()));
            clock.Advance(TimeSpan.FromSeconds(5));
        }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([("outer", Start.AddSeconds(1)), ("inner", Start.AddSeconds(3))], firedAt);
        Assert.Equal(Start.AddSeconds(6), clock.GetUtcNow());
    }

    [Fact]
    public void Dispose_ArmedTimer_NeverFiresAndChangeReturnsFalse()
    {
        var clock = new FakeTimeProvider();
        int fired = 0;
        ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.PendingTimerCount);
        Assert.False(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Dispose_FromInsideOwnPeriodicCallback_StopsFurtherFirings()
    {
        var clock = new FakeTimeProvider();
        int fired = 0;
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            fired++;
            timer!.Dispose();
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, fired);
    }

    [Fact]
    public void PendingTimerCountAndNextTimerDueIn_TrackArmedTimers()
    {
        var clock = new FakeTimeProvider();
        Assert.Equal(0, clock.PendingTimerCount);
        Assert.Null(clock.NextTimerDueIn);

        using ITimer later = clock.CreateTimer(_ => { }, null, TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan);
        using ITimer sooner = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        Assert.Equal(2, clock.PendingTimerCount);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.NextTimerDueIn);

        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, clock.PendingTimerCount);
        Assert.Equal(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(3), clock.NextTimerDueIn);
    }

    [Fact]
    public void Advance_CallbackThrows_OtherTimersStillFireAndErrorsAreAggregated()
    {
        var clock = new FakeTimeProvider();
        bool secondFired = false;
        using ITimer bad = clock.CreateTimer(_ => throw new InvalidOperationException("boom"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using ITimer good = clock.CreateTimer(_ => secondFired = true, null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        var error = Assert.Throws<AggregateException>(() => clock.Advance(TimeSpan.FromSeconds(5)));

        Assert.IsType<InvalidOperationException>(Assert.Single(error.InnerExceptions));
        Assert.True(secondFired);
        Assert.Equal(Start.AddSeconds(5), clock.GetUtcNow());
    }

    [Fact]
    public void TaskDelay_WithFakeClock_CompletesOnlyWhenAdvancedPastDelay()
    {
        var clock = new FakeTimeProvider();

        Task delay = Task.Delay(TimeSpan.FromSeconds(5), clock);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(delay.IsCompletedSuccessfully);
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public async Task TaskDelay_CanceledBeforeDue_IsCanceledAndTimerRemoved()
    {
        var clock = new FakeTimeProvider();
        using var cts = new CancellationTokenSource();

        Task delay = Task.Delay(TimeSpan.FromSeconds(5), clock, cts.Token);
        Assert.Equal(1, clock.PendingTimerCount);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay);
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public void CancellationTokenSource_WithFakeClockDelay_CancelsWhenAdvanced()
    {
        var clock = new FakeTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), clock);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(cts.IsCancellationRequested);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void CancellationTokenSource_CancelAfter_UsesFakeClock()
    {
        var clock = new FakeTimeProvider();
        using var cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, clock);

        cts.CancelAfter(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(cts.IsCancellationRequested);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task PeriodicTimer_WithFakeClock_TicksOnAdvance()
    {
        var clock = new FakeTimeProvider();
        using var periodic = new PeriodicTimer(TimeSpan.FromSeconds(2), clock);

        ValueTask<bool> tick = periodic.WaitForNextTickAsync();
        Assert.False(tick.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await tick);
    }

    [Fact]
    public async Task WaitForPendingTimersAsync_TimerArmedElsewhere_Completes()
    {
        var clock = new FakeTimeProvider();
        Task waiting = clock.WaitForPendingTimersAsync(2);
        Assert.False(waiting.IsCompleted);

        using ITimer first = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        Assert.False(waiting.IsCompleted);
        _ = Task.Run(() => Task.Delay(TimeSpan.FromSeconds(1), clock));

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, clock.PendingTimerCount);
    }

    [Fact]
    public void CreateTimer_ManyThreadsConcurrently_EachTimerFiresExactlyOnce()
    {
        var clock = new FakeTimeProvider();
        int fired = 0;
        var timers = new System.Collections.Concurrent.ConcurrentBag<ITimer>();

        Parallel.For(0, 1000, i =>
            timers.Add(clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(i % 50), Timeout.InfiniteTimeSpan)));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1000, fired);
        Assert.Equal(0, clock.PendingTimerCount);
    }
}
