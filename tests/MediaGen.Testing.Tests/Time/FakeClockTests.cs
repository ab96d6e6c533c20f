using MediaGen.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MediaGen.Testing.Tests.Time;

public class FakeClockTests
{
    private static readonly DateTimeOffset Start = FakeClock.DefaultStartTime;

    [Fact]
    public void Constructor_NoStartTime_StartsAt2026InUtc()
    {
        var clock = new FakeClock();

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(TimeZoneInfo.Utc, clock.LocalTimeZone);
        Assert.Equal(TimeSpan.Zero, clock.GetLocalNow().Offset);
    }

    [Fact]
    public void Constructor_StartTime_IsTheCurrentTime()
    {
        var start = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

        Assert.Equal(start, new FakeClock(start).GetUtcNow());
    }

    [Fact]
    public void Advance_Delta_MovesClockAndElapsedTime()
    {
        var clock = new FakeClock();
        long before = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(Start.AddSeconds(90), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(90), clock.GetElapsedTime(before));
    }

    [Fact]
    public void Advance_Negative_Throws()
    {
        var clock = new FakeClock();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void SetUtcNow_Backwards_ThrowsAndKeepsTime()
    {
        var clock = new FakeClock();
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(Start));
        Assert.Equal(Start.AddMinutes(1), clock.GetUtcNow());
    }

    [Fact]
    public void Advance_TimersDueAtSameInstant_FireInArmOrder()
    {
        var clock = new FakeClock();
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
        var clock = new FakeClock();
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
        var clock = new FakeClock();
        int? callbackThread = null;
        using ITimer timer = clock.CreateTimer(_ => callbackThread = Environment.CurrentManagedThreadId, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(Environment.CurrentManagedThreadId, callbackThread);
    }

    [Fact]
    public void CreateTimer_PeriodZero_FiresOnce()
    {
        var clock = new FakeClock();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.Zero);

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, fired);
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public void CreateTimer_InfiniteDueTime_IsNotArmed()
    {
        var clock = new FakeClock();
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
        var clock = new FakeClock();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(-2), Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void CreateTimer_State_IsPassedToCallback()
    {
        var clock = new FakeClock();
        object? received = null;
        var state = new object();
        using ITimer timer = clock.CreateTimer(s => received = s, state, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Same(state, received);
    }

    [Fact]
    public void Change_ArmedTimer_MovesDueTimeRelativeToNow()
    {
        var clock = new FakeClock();
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
        var clock = new FakeClock();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public void Dispose_ArmedTimer_NeverFiresAndChangeReturnsFalse()
    {
        var clock = new FakeClock();
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
        var clock = new FakeClock();
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
        var clock = new FakeClock();
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
    public void TaskDelay_WithFakeClock_CompletesOnlyWhenAdvancedPastDelay()
    {
        var clock = new FakeClock();

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
        var clock = new FakeClock();
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
        var clock = new FakeClock();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), clock);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(cts.IsCancellationRequested);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void CancellationTokenSource_CancelAfter_UsesFakeClock()
    {
        var clock = new FakeClock();
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
        var clock = new FakeClock();
        using var periodic = new PeriodicTimer(TimeSpan.FromSeconds(2), clock);

        ValueTask<bool> tick = periodic.WaitForNextTickAsync();
        Assert.False(tick.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await tick);
    }

    [Fact]
    public async Task WaitForPendingTimersAsync_TimerArmedElsewhere_Completes()
    {
        var clock = new FakeClock();
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
        var clock = new FakeClock();
        int fired = 0;
        var timers = new System.Collections.Concurrent.ConcurrentBag<ITimer>();

        Parallel.For(0, 1000, i =>
            timers.Add(clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(i % 50), Timeout.InfiniteTimeSpan)));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1000, fired);
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public void FakeClock_UsedAsMicrosoftsFakeTimeProvider_ItsAdvanceFiresTimersAndPendingCountFollows()
    {
        FakeTimeProvider clock = new FakeClock();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, fired);
        Assert.Equal(Start, clock.Start);
        Assert.Equal(0, ((FakeClock)clock).PendingTimerCount);
    }

    [Fact]
    public void CreateTimer_ZeroDueTime_FiresAtOnceAndIsNotPending()
    {
        var clock = new FakeClock();
        int fired = 0;

        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(1, fired);
        Assert.Equal(0, clock.PendingTimerCount);
        Assert.Null(clock.NextTimerDueIn);
    }

    [Fact]
    public void CreateTimer_PeriodicAcrossOneAdvance_FiresEveryPeriodAndKnowsTheNextDueTime()
    {
        var clock = new FakeClock();
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(3, fired);
        Assert.Equal(1, clock.PendingTimerCount);
        Assert.Equal(TimeSpan.FromSeconds(1), clock.NextTimerDueIn);
    }

    [Fact]
    public void Change_FromInsideCallback_KnowsTheNewDueTime()
    {
        var clock = new FakeClock();
        ITimer? timer = null;
        timer = clock.CreateTimer(_ => timer!.Change(TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, clock.PendingTimerCount);
        Assert.Equal(TimeSpan.FromSeconds(4), clock.NextTimerDueIn);
        timer.Dispose();
        Assert.Equal(0, clock.PendingTimerCount);
    }
}
