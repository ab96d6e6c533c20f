namespace MediaGen.Testing.Tests.Jobs;

public class JobScriptsTests
{
    private readonly FakeClock _clock = new();

    [Fact]
    public void Create_DefaultScript_QueuedAtSubmitRunningOnFirstPollSucceededOnSecond()
    {
        var scripts = new JobScripts(_clock);

        ScriptedJob job = scripts.Create("job_1", "a fox");

        Assert.Equal(new JobSnapshot(JobState.Queued, 0, 0), job.Current);
        Assert.Equal(new JobSnapshot(JobState.Running, 50, 1), job.Poll());
        JobSnapshot done = job.Poll();
        Assert.Equal(new JobSnapshot(JobState.Succeeded, 100, 2), done);
        Assert.True(done.IsTerminal);
        Assert.Equal(JobState.Succeeded, job.Poll().State);
        Assert.Equal(3, job.PollCount);
    }

    [Fact]
    public void Create_StoresIdPromptTagAndCreationTime()
    {
        var scripts = new JobScripts(_clock);
        _clock.Advance(TimeSpan.FromMinutes(3));
        var tag = new { Model = "m1" };

        ScriptedJob job = scripts.Create("job_9", "a fox", tag);

        Assert.Equal("job_9", job.Id);
        Assert.Equal("a fox", job.Prompt);
        Assert.Same(tag, job.Tag);
        Assert.Equal(_clock.GetUtcNow(), job.CreatedAt);
        Assert.Same(job, scripts.Get("job_9"));
        Assert.True(scripts.TryGet("job_9", out ScriptedJob? found));
        Assert.Same(job, found);
        Assert.False(scripts.TryGet("job_10", out _));
        Assert.Throws<KeyNotFoundException>(() => scripts.Get("job_10"));
    }

    [Fact]
    public void Create_DuplicateId_Throws()
    {
        var scripts = new JobScripts(_clock);
        scripts.Create("job_1");

        Assert.Throws<ArgumentException>(() => scripts.Create("job_1"));
        Assert.Single(scripts.Jobs);
    }

    [Fact]
    public void CompleteAfterPolls_WithQueuedPolls_ReportsQueuedThenRisingProgressThenSuccess()
    {
        var scripts = new JobScripts(_clock) { Default = JobScript.CompleteAfterPolls(6).WithQueuedPolls(2) };
        ScriptedJob job = scripts.Create("job_1");

        var seen = Enumerable.Range(0, 7).Select(_ => job.Poll()).Select(s => (s.State, s.Progress)).ToList();

        Assert.Equal(
            [
                (JobState.Queued, 0), (JobState.Queued, 0),
                (JobState.Running, 25), (JobState.Running, 50), (JobState.Running, 75),
                (JobState.Succeeded, 100), (JobState.Succeeded, 100),
            ],
            seen);
    }

    [Fact]
    public void CompleteAfterPolls_Zero_SucceededAtCreation()
    {
        ScriptedJob job = new JobScripts(_clock) { Default = JobScript.CompleteAfterPolls(0) }.Create("job_1");

        Assert.Equal(JobState.Succeeded, job.Current.State);
        Assert.Equal(0, job.PollCount);
    }

    [Fact]
    public void CompleteAfter_Duration_ProgressFollowsClockAndFinishesAtDueTime()
    {
        var scripts = new JobScripts(_clock) { Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(40)).WithQueuedDuration(TimeSpan.FromSeconds(10)) };
        ScriptedJob job = scripts.Create("job_1");

        Assert.Equal(JobState.Queued, job.Poll().State);
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(JobState.Queued, job.Poll().State);
        _clock.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal((JobState.Running, 50), (job.Poll().State, job.Current.Progress));
        Assert.Null(job.FinishedAt);
        _clock.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(JobState.Running, job.Poll().State);
        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(JobState.Succeeded, job.Poll().State);
        Assert.Equal(job.CreatedAt.AddSeconds(40), job.FinishedAt);
    }

    [Fact]
    public void CompleteAfter_DurationWithoutPolls_IsSucceededWhenFirstPolledLate()
    {
        ScriptedJob job = new JobScripts(_clock) { Default = JobScript.CompleteAfter(TimeSpan.FromMinutes(1)) }.Create("job_1");

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(JobState.Succeeded, job.Poll().State);
    }

    [Fact]
    public void Fail_DefaultsToFirstPoll_WithKindAndMessage()
    {
        ScriptedJob job = new JobScripts(_clock) { Default = JobScript.Fail(JobFailureKind.ContentPolicy, "nsfw") }.Create("job_1");

        Assert.Equal(JobState.Queued, job.Current.State);
        JobSnapshot failed = job.Poll();

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(JobFailureKind.ContentPolicy, failed.FailureKind);
        Assert.Equal("nsfw", failed.FailureMessage);
        Assert.True(failed.IsTerminal);
    }

    [Fact]
    public void Fail_AfterPolls_RunsFirstAndKeepsProgressOnFailure()
    {
        ScriptedJob job = new JobScripts(_clock) { Default = JobScript.Fail(JobFailureKind.ProviderError, "GPU fell over").AfterPolls(3) }.Create("job_1");

        Assert.Equal(JobState.Running, job.Poll().State);
        int progress = job.Poll().Progress;
        JobSnapshot failed = job.Poll();

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(JobFailureKind.ProviderError, failed.FailureKind);
        Assert.Equal(progress, failed.Progress);
    }

    [Fact]
    public void Fail_AfterDuration_FailsOnClock()
    {
        ScriptedJob job = new JobScripts(_clock) { Default = JobScript.Fail(JobFailureKind.ProviderError, "late").After(TimeSpan.FromSeconds(5)) }.Create("job_1");

        Assert.Equal(JobState.Running, job.Poll().State);
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(JobState.Failed, job.Poll().State);
    }

    [Fact]
    public void NeverComplete_StaysRunningBelowHundred()
    {
        ScriptedJob job = new JobScripts(_clock) { Default = JobScript.NeverComplete() }.Create("job_1");

        JobSnapshot last = job.Current;
        for (int i = 0; i < 100; i++)
        {
            JobSnapshot next = job.Poll();
            Assert.True(next.Progress >= last.Progress);
            last = next;
        }

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(JobState.Running, job.Poll().State);
        Assert.True(last.Progress < 100);
        Assert.False(JobScript.NeverComplete().Completes);
    }

    [Fact]
    public void EnqueueNext_OneShotScripts_AreUsedInOrderThenDefault()
    {
        var scripts = new JobScripts(_clock);
        scripts.EnqueueNext(JobScript.Fail(JobFailureKind.ContentPolicy, "first"));
        scripts.EnqueueNext(JobScript.CompleteAfterPolls(1));

        ScriptedJob first = scripts.Create("job_1");
        ScriptedJob second = scripts.Create("job_2");
        ScriptedJob third = scripts.Create("job_3");

        Assert.Equal(JobState.Failed, first.Poll().State);
        Assert.Equal(JobState.Succeeded, second.Poll().State);
        Assert.Equal(JobState.Running, third.Poll().State);
        Assert.Same(scripts.Default, third.Script);
    }

    [Fact]
    public void WhenPromptContains_MatchingPrompt_UsesOverrideEveryTime()
    {
        var scripts = new JobScripts(_clock);
        scripts.WhenPromptContains("NSFW", JobScript.Fail(JobFailureKind.ContentPolicy, "blocked"));

        ScriptedJob blocked1 = scripts.Create("job_1", "something nsfw here");
        ScriptedJob blocked2 = scripts.Create("job_2", "more NSFW");
        ScriptedJob fine = scripts.Create("job_3", "a kitten");
        ScriptedJob noPrompt = scripts.Create("job_4");

        Assert.Equal(JobState.Failed, blocked1.Poll().State);
        Assert.Equal(JobState.Failed, blocked2.Poll().State);
        Assert.Equal(JobState.Running, fine.Poll().State);
        Assert.Equal(JobState.Running, noPrompt.Poll().State);
    }

    [Fact]
    public void When_SeveralOverrides_FirstMatchWinsAndOneShotBeatsThem()
    {
        var scripts = new JobScripts(_clock);
        JobScript slow = JobScript.CompleteAfterPolls(10);
        JobScript fast = JobScript.CompleteAfterPolls(1);
        scripts.When(p => p?.StartsWith("video", StringComparison.Ordinal) == true, slow);
        scripts.When(_ => true, fast);
        scripts.EnqueueNext(JobScript.NeverComplete());

        Assert.False(scripts.Create("job_1", "video of a cat").Script.Completes);
        Assert.Same(slow, scripts.Create("job_2", "video of a dog").Script);
        Assert.Same(fast, scripts.Create("job_3", "image").Script);

        scripts.ClearOverrides();
        Assert.Same(scripts.Default, scripts.Create("job_4", "video").Script);
    }

    [Fact]
    public void Complete_Forced_SucceedsImmediatelyAndOnlyOnce()
    {
        ScriptedJob job = new JobScripts(_clock) { Default = JobScript.NeverComplete() }.Create("job_1");
        job.Poll();
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.True(job.Complete());
        Assert.False(job.Fail(JobFailureKind.ProviderError, "too late"));

        Assert.Equal(new JobSnapshot(JobState.Succeeded, 100, 2), job.Poll());
        Assert.Equal(job.CreatedAt.AddSeconds(3), job.FinishedAt);
    }

    [Fact]
    public void Fail_Forced_OverridesASucceedingScript()
    {
        ScriptedJob job = new JobScripts(_clock).Create("job_1");

        Assert.True(job.Fail(JobFailureKind.ContentPolicy, "flagged after the fact"));

        JobSnapshot state = job.Poll();
        Assert.Equal(JobState.Failed, state.State);
        Assert.Equal("flagged after the fact", state.FailureMessage);
        Assert.Equal(JobState.Failed, job.Poll().State);
    }

    [Fact]
    public void Jobs_ListsCreatedJobsInOrder()
    {
        var scripts = new JobScripts(_clock);

        scripts.Create("b");
        scripts.Create("a");

        Assert.Equal(["b", "a"], scripts.Jobs.Select(j => j.Id));
    }

    [Fact]
    public void Poll_ConcurrentPolls_AreAllCounted()
    {
        ScriptedJob job = new JobScripts(_clock) { Default = JobScript.NeverComplete() }.Create("job_1");

        Parallel.For(0, 1000, _ => job.Poll());

        Assert.Equal(1000, job.PollCount);
    }

    [Fact]
    public void JobScript_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JobScript.CompleteAfterPolls(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => JobScript.CompleteAfter(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => JobScript.NeverComplete().WithQueuedPolls(-1));
        Assert.Throws<ArgumentNullException>(() => new JobScripts(_clock).Default = null!);
    }
}
