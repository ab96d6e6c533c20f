using MediaGen.Testing;

namespace MediaGen.Cli.Tests;

public sealed class CliProgressTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly StringWriter _stderr = new();

    [Fact]
    public void Report_NoPercentFromTheVendor_ElapsedAgainstTheModelsTypicalTimeWithTheHandleOnEveryLine()
    {
        var progress = Progress(terminal: false);
        var handle = Handle();

        progress.Report(Job(handle, GenerationStatus.Queued));
        _clock.Advance(TimeSpan.FromSeconds(42));
        progress.Report(Job(handle, GenerationStatus.Running));
        _clock.Advance(TimeSpan.FromSeconds(60));
        progress.Report(Job(handle, GenerationStatus.Running));
        progress.Report(Job(handle, GenerationStatus.Succeeded));

        var lines = CliTableTests.Lines(_stderr.ToString());
        Assert.All(lines, l => Assert.Contains("acme:job-1", l, StringComparison.Ordinal));
        Assert.Equal(
            [
                "mediagen: submitted acme:job-1 (Ctrl+C stops waiting; the job is kept)",
                "mediagen: acme:job-1 queued 0:00 of typically 1:30",
                "mediagen: acme:job-1 running 0:42 of typically 1:30",
                "mediagen: acme:job-1 running 1:42 of typically 1:30 (taking longer than usual)",
                "mediagen: acme:job-1 succeeded after 1:42",
            ],
            lines);
    }

    [Fact]
    public void Report_VendorReportsPercent_ShowsItAsABar()
    {
        var progress = Progress(terminal: false);
        var handle = Handle();

        progress.Report(Job(handle, GenerationStatus.Running) with { Progress = 40 });
        progress.Report(Job(handle, GenerationStatus.Running) with { Progress = 40 });

        var lines = CliTableTests.Lines(_stderr.ToString());
        Assert.Equal("mediagen: acme:job-1 running [########............] 40%", lines[^1]);
        Assert.Equal(2, lines.Count); // an unchanged update prints nothing
    }

    [Fact]
    public void Report_ModelUnknown_ElapsedTimeAlone()
    {
        var progress = Progress(terminal: false);
        var handle = new JobHandle("acme", "job-2") { SubmittedAt = _clock.GetUtcNow() };

        _clock.Advance(TimeSpan.FromSeconds(5));
        progress.Report(Job(handle, GenerationStatus.Running));

        Assert.Equal("mediagen: acme:job-2 running 0:05", CliTableTests.Lines(_stderr.ToString())[^1]);
    }

    [Fact]
    public void Report_OnATerminal_RedrawsOneLineInPlace()
    {
        var progress = Progress(terminal: true);
        var handle = Handle();

        progress.Report(Job(handle, GenerationStatus.Running) with { Progress = 10 });
        progress.Report(Job(handle, GenerationStatus.Running) with { Progress = 60 });
        progress.Report(Job(handle, GenerationStatus.Succeeded));

        var text = _stderr.ToString(); // not ReplaceLineEndings: it would turn the carriage returns into newlines
        var redrawn = text.Split(Environment.NewLine)[1];
        Assert.Equal(3, redrawn.Split('\r', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("mediagen: acme:job-1 succeeded after 0:00\u001b[K", redrawn, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_JsonMode_OnlyTheAcceptedEventAsOneJsonLine()
    {
        var context = new CliContext { Out = new StringWriter(), Error = _stderr, Environment = new Dictionary<string, string?>(), TimeProvider = _clock };
        var progress = new CliProgress(context, json: true);

        progress.Report(Job(Handle(), GenerationStatus.Running));
        progress.Report(Job(Handle(), GenerationStatus.Running));

        var line = Assert.Single(_stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("accepted", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal(Handle().ToString(), doc.RootElement.GetProperty("job").GetString());
    }

    public void Dispose() => _stderr.Dispose();

    private CliProgress Progress(bool terminal)
    {
        var vendor = new FakeMediaGenerator("acme", timeProvider: _clock)
            .AddModel(new ModelCapabilities { Id = "vid-1", Kind = MediaKind.Video, TypicalGenerationTime = TimeSpan.FromSeconds(90) });
        var context = new CliContext { Out = new StringWriter(), Error = _stderr, Environment = new Dictionary<string, string?>(), TimeProvider = _clock, ErrorIsTerminal = terminal };
        return new CliProgress(context, json: false, vendor);
    }

    private JobHandle Handle() => new("acme", "job-1") { Model = "vid-1", SubmittedAt = _clock.GetUtcNow() };

    private static GenerationJob Job(JobHandle handle, GenerationStatus status) => new() { Handle = handle, Status = status };
}
