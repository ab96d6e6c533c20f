using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MediaGen.Routing;
using MediaGen.Telemetry;
using MediaGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGen.Tests.Telemetry;

public sealed class TelemetryTests : IDisposable
{
    // Unique provider names keep other tests' telemetry (the source and meter are process-wide) out of the asserts.
    private readonly string _first = "tele-a-" + Guid.NewGuid().ToString("N")[..6];
    private readonly string _second = "tele-b-" + Guid.NewGuid().ToString("N")[..6];
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener;
    private readonly FakeClock _clock = new();

    public TelemetryTests()
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == MediaGenTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter.Name == MediaGenTelemetry.Name) { l.EnableMeasurementEvents(i); } } };
        _meterListener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meterListener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meterListener.Start();
    }

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dict = new Dictionary<string, object?>();
        foreach (var t in tags)
        {
            dict[t.Key] = t.Value;
        }

        _measurements.Enqueue((instrument.Name, value, dict));
    }

    private (IMediaGenerator Router, FakeMediaGenerator First, FakeMediaGenerator Second, CapturingLoggerProvider Logs) Build(bool sensitive = false)
    {
        var first = new FakeMediaGenerator(_first, timeProvider: _clock).AddModel(new ModelCapabilities { Id = "m", Kind = MediaKind.Image, TypicalGenerationTime = TimeSpan.FromSeconds(4) }, 5);
        var second = new FakeMediaGenerator(_second, MoneyUnit.Usd, _clock).AddModel(new ModelCapabilities { Id = "m", Kind = MediaKind.Image, TypicalGenerationTime = TimeSpan.FromSeconds(4) }, 0.04m);
        first.FailNextSubmit(new ProviderUnavailableError("503 job queue down", _first));
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddMediaGen(o => o.EnableSensitiveData = sensitive)
            .AddProvider(_first, _ => first)
            .AddProvider(_second, _ => second)
            .UseRouter(o => o.Preference = [_first, _second]);
        var sp = services.BuildServiceProvider();
        return (sp.GetRequiredService<IMediaGenerator>(), first, second, logs);
    }

    [Fact]
    public async Task RoutedGenerationWithOneFailover_EmitsSpansWithGenAiTags()
    {
        var (router, _, _, _) = Build();

        var job = (await _clock.DriveAsync(((MediaRouter)router).GenerateAsync(new GenerationRequest("m", "a lighthouse"), new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        var mine = _activities.Where(a => Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _first) || Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _second)).ToList();
        var submits = mine.Where(a => a.OperationName.StartsWith("submit", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, submits.Count);
        Assert.Equal(ActivityStatusCode.Error, submits.Single(a => Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _first)).Status);
        var accepted = submits.Single(a => Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _second));
        Assert.Equal("m", accepted.GetTagItem(MediaGenTelemetry.RequestModel));
        Assert.Equal(job.Handle.VendorJobId, accepted.GetTagItem(MediaGenTelemetry.ResponseId));
        Assert.Equal("generate_content", accepted.GetTagItem(MediaGenTelemetry.OperationName));
        Assert.Null(accepted.GetTagItem(MediaGenTelemetry.Prompt));
        Assert.Contains(mine, a => a.OperationName == "poll");
        Assert.Contains(_activities, a => a.OperationName == "route m" && Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _second));
    }

    [Fact]
    public async Task RoutedGenerationWithOneFailover_EmitsFailoverGenerationChargeAndDurationMetrics()
    {
        var (router, _, _, _) = Build();

        await _clock.DriveAsync(((MediaRouter)router).GenerateAsync(new GenerationRequest("m", "a lighthouse"), new WaitOptions { TimeProvider = _clock }));

        var failover = Assert.Single(_measurements, m => m.Name == "mediagen.failovers" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _first));
        Assert.Equal("ProviderUnavailable", failover.Tags[MediaGenTelemetry.ErrorType]);
        var generation = Assert.Single(_measurements, m => m.Name == "mediagen.generations" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _second));
        Assert.Equal("succeeded", generation.Tags[MediaGenTelemetry.Outcome]);
        var usd = Assert.Single(_measurements, m => m.Name == "mediagen.charges.usd" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _second));
        Assert.Equal(0.04, usd.Value, 6);
        Assert.DoesNotContain(_measurements, m => m.Name == "mediagen.charges.credits" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _second));
        var duration = Assert.Single(_measurements, m => m.Name == "mediagen.generation.duration" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _second));
        Assert.True(duration.Value > 0);
    }

    [Fact]
    public async Task SensitiveDataEnabled_PutsPromptOnSpanAndTraceLog()
    {
        var (router, _, _, logs) = Build(sensitive: true);

        await _clock.DriveAsync(((MediaRouter)router).GenerateAsync(new GenerationRequest("m", "a lighthouse"), new WaitOptions { TimeProvider = _clock }));

        Assert.Contains(_activities, a => Equals(a.GetTagItem(MediaGenTelemetry.Prompt), "a lighthouse"));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 1006 && e.Message.Contains("a lighthouse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_CarryStableEventIdsAndNoPromptByDefault()
    {
        var (router, _, _, logs) = Build();

        await _clock.DriveAsync(((MediaRouter)router).GenerateAsync(new GenerationRequest("m", "a lighthouse"), new WaitOptions { TimeProvider = _clock }));

        var ids = logs.Entries.Select(e => e.EventId.Id).ToHashSet();
        Assert.Contains(1001, ids); // Submitting
        Assert.Contains(1002, ids); // SubmitAccepted
        Assert.Contains(1003, ids); // SubmitFailed (the failover)
        Assert.Contains(1004, ids); // Polled
        Assert.Contains(1101, ids); // RouteFailover
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("a lighthouse", StringComparison.Ordinal));
        Assert.Equal("Submitting", logs.Entries.First(e => e.EventId.Id == 1001).EventId.Name);
    }

    [Fact]
    public async Task GenerateAsync_RoutedWithOneFailoverAndThreePolls_ProducesOneTraceUnderTheGenerateSpan()
    {
        var (router, _, second, _) = Build();
        second.EnqueueScript(FakeJobScript.SucceedAfterPolls(3));

        var job = (await _clock.DriveAsync(router.GenerateAsync(new GenerationRequest("m", "a lighthouse"), new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        var generate = Assert.Single(_activities, a => a.OperationName == "generate m" && Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _second));
        Assert.Null(generate.Parent);
        Assert.Equal(default, generate.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, generate.Status);
        Assert.Equal(job.Handle.VendorJobId, generate.GetTagItem(MediaGenTelemetry.ResponseId));
        Assert.Equal("succeeded", generate.GetTagItem(MediaGenTelemetry.Outcome));
        var trace = _activities.Where(a => a.TraceId == generate.TraceId).ToList();
        var route = Assert.Single(trace, a => a.OperationName == "route m");
        Assert.Equal(generate.SpanId, route.ParentSpanId);
        var quotes = trace.Where(a => a.OperationName == "quote m").ToList();
        Assert.Equal([_first, _second], quotes.Select(a => (string)a.GetTagItem(MediaGenTelemetry.ProviderName)!).Order(StringComparer.Ordinal));
        Assert.All(quotes, q => Assert.Equal(generate.SpanId, q.ParentSpanId));
        var submits = trace.Where(a => a.OperationName == "submit m").ToList();
        Assert.Equal(2, submits.Count); // the failed one at the first vendor, the accepted one at the second
        Assert.All(submits, s => Assert.Equal(route.SpanId, s.ParentSpanId));
        var polls = trace.Where(a => a.OperationName == "poll").ToList();
        Assert.Equal(3, polls.Count);
        Assert.All(polls, p => Assert.Equal(generate.SpanId, p.ParentSpanId));
        Assert.Equal(3, second.PollCount);

        // Nothing of this generation went to another trace: every span naming its vendors or its job is in this one.
        Assert.DoesNotContain(_activities, a => a.TraceId != generate.TraceId
            && (Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _first) || Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _second)));
    }

    [Fact]
    public async Task WaitForCompletionAsync_ResumedJob_PollsShareOneWaitTrace()
    {
        var fake = new FakeMediaGenerator(_first, timeProvider: _clock).AddModel(new ModelCapabilities { Id = "m", Kind = MediaKind.Image }, 5);
        fake.EnqueueScript(FakeJobScript.SucceedAfterPolls(2));
        using var generator = fake.AsBuilder().UseTelemetry().Build();
        var submitted = (await generator.SubmitAsync(new GenerationRequest("m", "a lighthouse"))).GetValueOrThrow();

        (await _clock.DriveAsync(generator.WaitForCompletionAsync(submitted.Handle, new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        var wait = Assert.Single(_activities, a => a.OperationName == "wait" && Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _first));
        var polls = _activities.Where(a => a.OperationName == "poll" && Equals(a.GetTagItem(MediaGenTelemetry.ProviderName), _first)).ToList();
        Assert.Equal(2, polls.Count);
        Assert.All(polls, p => Assert.Equal(wait.SpanId, p.ParentSpanId));
        Assert.Equal("succeeded", wait.GetTagItem(MediaGenTelemetry.Outcome));
    }

    /// <summary>Where a vendor reports what it charged: VeoGen with the submit, MeiGen and Apiframe on the final poll, the fake on both.</summary>
    public enum ChargeReported
    {
        OnSubmitOnly,
        OnFinalPollOnly,
        OnSubmitAndEveryPoll,
    }

    [Theory]
    [InlineData(ChargeReported.OnSubmitOnly)]
    [InlineData(ChargeReported.OnFinalPollOnly)]
    [InlineData(ChargeReported.OnSubmitAndEveryPoll)]
    public async Task GenerateAsync_UsdCharge_IsRecordedOncePerJobWhicheverAnswerCarriesIt(ChargeReported reported)
    {
        var fake = new FakeMediaGenerator(_first, MoneyUnit.Usd, _clock).AddModel(new ModelCapabilities { Id = "m", Kind = MediaKind.Video }, 0.75m);
        fake.EnqueueScript(FakeJobScript.SucceedAfterPolls(3));
        using var generator = new ChargeReporting(fake, reported).AsBuilder().UseTelemetry().Build();

        var job = (await _clock.DriveAsync(generator.GenerateAsync(new GenerationRequest("m", "a lighthouse"), new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        Assert.Equal(global::MediaGen.Money.Usd(0.75m), job.Charge);
        var usd = Assert.Single(_measurements, m => m.Name == "mediagen.charges.usd" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _first));
        Assert.Equal(0.75, usd.Value, 6);
        Assert.Single(_measurements, m => m.Name == "mediagen.generations" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _first));
    }

    [Fact]
    public async Task GenerateAsync_CreditsChargedOnSubmitOnly_IsRecordedOnceInTheCreditsCounter()
    {
        var fake = new FakeMediaGenerator(_first, timeProvider: _clock).AddModel(new ModelCapabilities { Id = "m", Kind = MediaKind.Image }, 12);
        using var generator = new ChargeReporting(fake, ChargeReported.OnSubmitOnly).AsBuilder().UseTelemetry().Build();

        await _clock.DriveAsync(generator.GenerateAsync(new GenerationRequest("m", "a lighthouse"), new WaitOptions { TimeProvider = _clock }));

        var credits = Assert.Single(_measurements, m => m.Name == "mediagen.charges.credits" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _first));
        Assert.Equal(12, credits.Value, 6);
        Assert.DoesNotContain(_measurements, m => m.Name == "mediagen.charges.usd" && Equals(m.Tags[MediaGenTelemetry.ProviderName], _first));
    }

    /// <summary>Reports the fake's charge only where the vendor being imitated does.</summary>
    private sealed class ChargeReporting(IMediaGenerator inner, ChargeReported reported) : DelegatingMediaGenerator(inner)
    {
        public override async Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default)
        {
            var result = await base.SubmitAsync(quote, cancellationToken);
            return reported == ChargeReported.OnFinalPollOnly && result.TryGetValue(out var job) ? job with { Charge = null } : result;
        }

        public override async Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default)
        {
            var result = await base.GetJobAsync(handle, cancellationToken);
            if (!result.TryGetValue(out var job))
            {
                return result;
            }

            return reported switch
            {
                ChargeReported.OnSubmitOnly => job with { Charge = null },
                ChargeReported.OnFinalPollOnly when !job.IsTerminal => job with { Charge = null },
                _ => job,
            };
        }
    }

    internal sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(EventId EventId, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((eventId, logLevel, formatter(state, exception)));
        }
    }
}
