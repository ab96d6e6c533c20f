using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MediaGen.Telemetry;
using MediaGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGen.Tests.Middleware;

public sealed class LoggingMediaGeneratorTests
{
    private const string Prompt = "a lighthouse at dusk";
    private const string ApiKey = "sk-live-4f9c2a7e1b";

    private readonly FakeClock _clock = new();

    private FakeMediaGenerator Fake(string name = "fake") =>
        new FakeMediaGenerator(name, MoneyUnit.Usd, _clock).AddModel(new ModelCapabilities { Id = "m", Kind = MediaKind.Image }, 0.04m);

    private static GenerationRequest Request() => new("m", Prompt)
    {
        // A per-request vendor key is the one place a caller hands MediaGen a secret through the request.
        ProviderOptions = { ["fake"] = new JsonObject { ["api_key"] = ApiKey } },
    };

    [Fact]
    public async Task UseLogging_Generation_LogsQuoteSubmitAndPollStartAndEndWithStableEventIds()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug);
        var fake = Fake();
        fake.EnqueueScript(FakeJobScript.SucceedAfterPolls(2));
        using var generator = fake.AsBuilder().UseLogging(logs).Build();

        (await _clock.DriveAsync(generator.GenerateAsync(Request(), new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        Assert.Equal(
            [
                (1008, "Quoting"), (1009, "Quoted"),
                (1001, "Submitting"), (1002, "SubmitAccepted"),
                (1011, "Polling"), (1004, "Polled"),
                (1011, "Polling"), (1004, "Polled"),
            ],
            logs.Entries.Select(e => (e.EventId.Id, e.EventId.Name)));
        Assert.All(logs.Entries, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.All(logs.Entries, e => Assert.Equal("MediaGen.fake", e.Category));
        Assert.Contains("$0.04", logs.Entries.Single(e => e.EventId.Id == 1009).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseLogging_FailedQuoteSubmitAndPoll_LogTheirFailureEvents()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug);
        var fake = Fake();
        using var generator = fake.AsBuilder().UseLogging(logs).Build();

        await generator.QuoteAsync(new GenerationRequest("no-such-model", Prompt));
        fake.FailNextSubmit(new ProviderUnavailableError("503 queue down", "fake"));
        await generator.SubmitAsync(Request());
        var job = (await generator.SubmitAsync(Request())).GetValueOrThrow();
        fake.FailNextPoll(new RateLimitedError("429 slow down", "fake", TimeSpan.FromSeconds(2)));
        await generator.GetJobAsync(job.Handle);

        var quoteFailed = Assert.Single(logs.Entries, e => e.EventId.Id == 1010);
        Assert.Equal("QuoteFailed", quoteFailed.EventId.Name);
        Assert.Contains("InvalidRequest", quoteFailed.Message, StringComparison.Ordinal);
        var submitFailed = Assert.Single(logs.Entries, e => e.EventId.Id == 1003);
        Assert.Contains("503 queue down", submitFailed.Message, StringComparison.Ordinal);
        var pollFailed = Assert.Single(logs.Entries, e => e.EventId.Id == 1005);
        Assert.Contains("RateLimited", pollFailed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseLogging_InnerThrows_LogsTheFailureAtErrorAndRethrows()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug);
        using var generator = new Throwing(Fake()).AsBuilder().UseLogging(logs).Build();
        var quote = (await generator.QuoteAsync(Request())).GetValueOrThrow();

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => generator.SubmitAsync(quote));

        var failed = Assert.Single(logs.Entries, e => e.EventId.Id == 1013);
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Same(thrown, failed.Exception);
        Assert.Contains("submit", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseLogging_CallerCancels_LogsCanceledNotFailed()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug);
        using var generator = Fake().AsBuilder().UseLogging(logs).Build();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.SubmitAsync(Request(), cts.Token));

        Assert.Contains(logs.Entries, e => e.EventId.Id == 1012 && e.EventId.Name == "Canceled");
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == 1013);
    }

    [Fact]
    public async Task UseLogging_TraceWithSensitiveData_NeverLogsTheApiKeyAndThePromptOnlyAtTrace()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Trace);
        using var generator = Fake().AsBuilder().UseLogging(logs, o => o.EnableSensitiveData = true).Build();

        (await _clock.DriveAsync(generator.GenerateAsync(Request(), new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        Assert.Contains(logs.Entries, e => e.EventId.Id == 1006 && e.Level == LogLevel.Trace && e.Message.Contains(Prompt, StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 1007 && e.Level == LogLevel.Trace);
        Assert.All(logs.Entries.Where(e => e.Message.Contains(Prompt, StringComparison.Ordinal) || e.State.Contains(Prompt, StringComparison.Ordinal)), e => Assert.Equal(LogLevel.Trace, e.Level));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(ApiKey, StringComparison.Ordinal) || e.State.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseLogging_TraceWithoutSensitiveData_LogsNoPromptAnywhere()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Trace);
        using var generator = Fake().AsBuilder().UseLogging(logs).Build();

        (await _clock.DriveAsync(generator.GenerateAsync(Request(), new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(Prompt, StringComparison.Ordinal) || e.State.Contains(Prompt, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id is 1006 or 1007);
    }

    [Fact]
    public async Task UseLogging_DebugOff_FormatsAndWritesNothing()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Information);
        using var generator = Fake().AsBuilder().UseLogging(logs, o => o.EnableSensitiveData = true).Build();

        (await _clock.DriveAsync(generator.GenerateAsync(Request(), new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        Assert.Equal(0, logs.LogCalls);
    }

    [Fact]
    public async Task UseLogging_LoggingOff_CostsOneLevelCheckPerCall()
    {
        var logs = new CapturingLoggerFactory(LogLevel.None);
        using var generator = Fake().AsBuilder().UseLogging(logs).Build();

        var job = (await generator.SubmitAsync(Request())).GetValueOrThrow();
        await generator.GetJobAsync(job.Handle);

        Assert.Equal(0, logs.LogCalls);
        Assert.Equal(3, logs.EnabledChecks); // quote, submit, poll: one check each, then straight to the inner generator
    }

    [Fact]
    public async Task UseLogging_NoLoggerFactoryAnywhere_AddsNoLayer()
    {
        using var fake = Fake();

        using var generator = fake.AsBuilder().UseLogging().Build();

        Assert.Same(fake, generator);
        Assert.True((await generator.QuoteAsync(Request())).IsSuccess);
    }

    [Fact]
    public void UseLogging_LoggerFactoryFromTheServices_IsUsed()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug);
        using var services = new ServiceCollection().AddSingleton<ILoggerFactory>(logs).BuildServiceProvider();

        using var generator = Fake().AsBuilder().UseLogging().Build(services);

        Assert.IsType<LoggingMediaGenerator>(generator);
    }

    [Fact]
    public async Task TelemetryAndLoggingLayers_ForwardGetServiceAndDispose()
    {
        var fake = Fake();
        var generator = fake.AsBuilder().UseTelemetry().UseLogging(new CapturingLoggerFactory(LogLevel.Debug)).Build();

        var telemetry = Assert.IsType<InstrumentedMediaGenerator>(generator);
        Assert.Same(telemetry, generator.GetService<InstrumentedMediaGenerator>());
        Assert.NotNull(generator.GetService<LoggingMediaGenerator>());
        Assert.Same(fake, generator.GetService<FakeMediaGenerator>());
        Assert.Equal("fake", generator.GetMetadata().Name);
        Assert.Contains(await generator.GetModelsAsync(), m => m.Id == "m");

        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await fake.QuoteAsync(Request()));
    }

    [Fact]
    public async Task AddMediaGen_Provider_IsComposedWithTelemetryOutsideLogging()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug);
        var fake = Fake("composed");
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddMediaGen().AddProvider("composed", _ => fake);
        await using var sp = services.BuildServiceProvider();

        var provider = sp.GetRequiredKeyedService<IMediaGenerator>("composed");

        Assert.IsType<InstrumentedMediaGenerator>(provider);
        Assert.NotNull(provider.GetService<LoggingMediaGenerator>());
        Assert.Same(fake, provider.GetService<FakeMediaGenerator>());
        (await provider.SubmitAsync(new GenerationRequest("m", Prompt))).GetValueOrThrow();
        Assert.Contains(logs.Entries, e => e.EventId.Id == 1002 && e.Category == "MediaGen.composed");
    }

    [Fact]
    public async Task UseLogging_AppliedTwice_LogsEachEventOnce()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Debug);
        using var generator = Fake().AsBuilder().UseLogging(logs).UseLogging(logs).Build();

        (await generator.SubmitAsync(Request())).GetValueOrThrow();

        Assert.Single(logs.Entries, e => e.EventId.Id == 1002);
    }

    private sealed class Throwing(IMediaGenerator inner) : DelegatingMediaGenerator(inner)
    {
        public override Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("connection reset");
    }

    internal sealed class CapturingLoggerFactory(LogLevel minimum) : ILoggerFactory
    {
        private int _enabledChecks;
        private int _logCalls;

        public ConcurrentQueue<(string Category, EventId EventId, LogLevel Level, string Message, string State, Exception? Exception)> Entries { get; } = new();

        public LogLevel Minimum { get; } = minimum;

        public int EnabledChecks => Volatile.Read(ref _enabledChecks);

        /// <summary>Gets how many times anything was handed to a logger, whatever its level.</summary>
        public int LogCalls => Volatile.Read(ref _logCalls);

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel)
            {
                Interlocked.Increment(ref owner._enabledChecks);
                return logLevel >= owner.Minimum;
            }

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                Interlocked.Increment(ref owner._logCalls);
                if (logLevel < owner.Minimum)
                {
                    return;
                }

                // The structured state too: a sink that stores properties must not receive a secret either.
                var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
                owner.Entries.Enqueue((category, eventId, logLevel, formatter(state, exception), properties, exception));
            }
        }
    }
}
