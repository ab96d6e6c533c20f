namespace MediaGen.Tests.Jobs;

public class GenerationJobTests
{
    private static GenerationJob Job(GenerationStatus status, JobFailure? failure = null) =>
        new() { Handle = new JobHandle("meigen", "1"), Status = status, Failure = failure };

    [Fact]
    public void EnsureSucceeded_Failed_ThrowsWithReason()
    {
        var job = Job(GenerationStatus.Failed, new JobFailure(FailureReason.ContentPolicy, "content policy violation"));
        var ex = Assert.Throws<GenerationFailedException>(() => job.EnsureSucceeded());
        Assert.Same(job, ex.Job);
        Assert.Contains("content policy violation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureSucceeded_Running_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => Job(GenerationStatus.Running).EnsureSucceeded());
    }

    [Theory]
    [InlineData(GenerationStatus.Queued, false)]
    [InlineData(GenerationStatus.Running, false)]
    [InlineData(GenerationStatus.Succeeded, true)]
    [InlineData(GenerationStatus.Failed, true)]
    [InlineData(GenerationStatus.Canceled, true)]
    public void IsTerminal_ByStatus(GenerationStatus status, bool terminal)
    {
        Assert.Equal(terminal, Job(status).IsTerminal);
    }
}
