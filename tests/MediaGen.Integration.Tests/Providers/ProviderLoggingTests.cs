using System.Collections.Concurrent;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.VeoGen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGen.Integration.Tests.Providers;

/// <summary>
/// Every provider logs what became of a submit through its <c>[LoggerMessage]</c> events, with the same id and name for
/// the same event: 6 Accepted, 3 Recovered (an ambiguous submit found to have been accepted, charged once),
/// 5 OutcomeUnknown. Registered from one configuration (the <c>MediaGen</c> section) under DI.
/// </summary>
public sealed class ProviderLoggingTests
{
    public static TheoryData<string> Vendors => new() { "meigen", "veogen", "apiframe" };

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task SubmitAsync_Accepted_LogsAccepted(string vendor)
    {
        await using var rig = await Rig.StartAsync();

        var job = (await rig.Generator(vendor).SubmitAsync(Request(vendor))).GetValueOrThrow();

        var accepted = Assert.Single(rig.Logs.Events(vendor), e => e.Id == 6);
        Assert.Equal("Accepted", accepted.Name);
        Assert.Contains(job.Handle.VendorJobId, accepted.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task SubmitAsync_ConnectionDroppedAfterTheVendorAccepted_LogsRecoveredAndChargesOnce(string vendor)
    {
        await using var rig = await Rig.StartAsync();
        rig.Host.Faults.On(HttpMethod.Post, Rig.SubmitPath(vendor)).Once().DropConnectionAfterHandler();

        var job = (await rig.Generator(vendor).SubmitAsync(Request(vendor))).GetValueOrThrow();

        var recovered = Assert.Single(rig.Logs.Events(vendor), e => e.Id == 3);
        Assert.Equal("Recovered", recovered.Name);
        Assert.Contains(job.Handle.VendorJobId, recovered.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Host.Ledger.ChargedJobCount);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task SubmitAsync_EveryPostAnswersAServerError_LogsOutcomeUnknown(string vendor)
    {
        await using var rig = await Rig.StartAsync();
        rig.Host.Faults.On(HttpMethod.Post, Rig.SubmitPath(vendor)).Always().RespondWith(500, """{"error":"Internal Server Error"}""");
        if (vendor == "meigen")
        {
            // With its request log up, MeiGen proves the submit was not accepted (issue 19); with it down, it cannot.
            rig.Host.Faults.OnPrefix(HttpMethod.Get, "/api/generate/v2/requests/").Always().RespondWith(500, """{"error":"Internal Server Error"}""");
        }

        var result = await rig.Generator(vendor).SubmitAsync(Request(vendor));

        Assert.True(result.TryGetError(out var error) && error is OutcomeUnknownError, $"expected OutcomeUnknown, got {result}");
        var unknown = Assert.Single(rig.Logs.Events(vendor), e => e.Id == 5);
        Assert.Equal("OutcomeUnknown", unknown.Name);
        Assert.Equal(LogLevel.Warning, unknown.Level);
    }

    private static GenerationRequest Request(string vendor) => vendor switch
    {
        "meigen" => new GenerationRequest("nanobanana-2", "A lighthouse at dusk"),
        "veogen" => new GenerationRequest("nano-banana-2", "A lighthouse at dusk"),
        _ => new GenerationRequest("flux-2-pro", "A lighthouse at dusk"),
    };

    /// <summary>The three emulators on one loopback host and the three providers registered from configuration.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private Rig(EmulatorHost host, ServiceProvider services, CapturingLoggerFactory logs)
        {
            Host = host;
            _services = services;
            Logs = logs;
        }

        public EmulatorHost Host { get; }

        public CapturingLoggerFactory Logs { get; }

        public static string SubmitPath(string vendor) => vendor switch
        {
            "meigen" => "/api/generate/v2",
            "veogen" => "/api/v1/generations",
            _ => "/v2/images/generate",
        };

        public static async Task<Rig> StartAsync()
        {
            var host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MediaGen:MeiGen:ApiKey"] = "meigen_sk_logging000000000000000000000000",
                ["MediaGen:MeiGen:BaseAddress"] = new Uri(host.BaseAddress, "api/").AbsoluteUri,
                ["MediaGen:MeiGen:Http:BaseDelay"] = "00:00:00",
                ["MediaGen:VeoGen:ApiKey"] = VeoGenEmulator.DefaultApiKey,
                ["MediaGen:VeoGen:BaseAddress"] = VeoGenEmulator.ProviderBaseAddress(host).AbsoluteUri,
                ["MediaGen:VeoGen:Http:BaseDelay"] = "00:00:00",
                ["MediaGen:Apiframe:ApiKey"] = ApiframeEmulatorOptions.DefaultApiKey,
                ["MediaGen:Apiframe:BaseAddress"] = host.BaseAddress.AbsoluteUri,
                ["MediaGen:Apiframe:Http:BaseDelay"] = "00:00:00", // the same-key resend comes at once, no clock to drive
            }).Build();
            var logs = new CapturingLoggerFactory();
            var services = new ServiceCollection();
            services.AddSingleton<ILoggerFactory>(logs);
            var mediaGen = configuration.GetSection("MediaGen");
            services.AddMediaGen(mediaGen).AddMeiGen(mediaGen).AddVeoGen(mediaGen).AddApiframe(mediaGen);
            return new Rig(host, services.BuildServiceProvider(), logs);
        }

        public IMediaGenerator Generator(string vendor) => _services.GetRequiredKeyedService<IMediaGenerator>(vendor);

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private sealed record LogEvent(string Category, LogLevel Level, int Id, string? Name, string Message);

    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        /// <summary>Gets the events of one provider's category (<c>MediaGen.MeiGen</c>, …), not the core's.</summary>
        public IEnumerable<LogEvent> Events(string vendor) =>
            _events.Where(e => string.Equals(e.Category, "MediaGen." + vendor, StringComparison.OrdinalIgnoreCase));

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _events);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<LogEvent> events) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                events.Enqueue(new LogEvent(category, logLevel, eventId.Id, eventId.Name, formatter(state, exception)));
        }
    }
}
