using System.Threading.RateLimiting;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.VeoGen;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGen.Integration.Tests.DependencyInjection;

/// <summary>The router as users get it: resolved from the container as <see cref="IMediaGenerator"/>.</summary>
public sealed class RouterFromContainerTests : IAsyncLifetime
{
    private const string MeiGenKey = "meigen_sk_integration000000000000000000000";
    private readonly FakeClock _clock = new();
    private EmulatorHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);
        _host.Jobs.Default = JobScript.CompleteAfterPolls(1);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GenerateAsync_RouterFromContainerWithResubmitOnJobFailure_ResubmitsTheFailedJobAtTheNextVendor()
    {
        var services = Services();
        services.AddMediaGen().AddMeiGen(MeiGen).AddVeoGen(VeoGen)
            .UseRouter(o => { o.Preference = ["meigen", "veogen"]; o.ResubmitOnJobFailure = true; });
        using var sp = services.BuildServiceProvider();
        var generator = sp.GetRequiredService<IMediaGenerator>();
        _host.Jobs.EnqueueNext(JobScript.Fail(JobFailureKind.ProviderError, "upstream model crashed"));
        Assert.Equal(0, Submits("/api/v1/generations"));

        var job = (await _clock.DriveAsync(generator.GenerateAsync(NanoBanana(), new WaitOptions { TimeProvider = _clock }))).GetValueOrThrow();

        Assert.Equal(1, Submits("/api/v1/generations"));
        Assert.Equal("veogen", job.Handle.Provider);
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Contains(job.Attempts, a => a.Provider == "meigen" && a.Outcome == RouteOutcome.JobFailed);
    }

    [Fact]
    public async Task Dispose_ServiceProvider_DisposesEveryProviderClientAndLimiterItCreatedAndTheRouterRefusesToGenerate()
    {
        var clients = new SpyHttpClientFactory();
        var services = Services();
        services.AddSingleton<IHttpClientFactory>(clients); // before AddMediaGen: the container hands these clients to the providers
        services.AddMediaGen().AddMeiGen(MeiGen).AddVeoGen(VeoGen).AddApiframe(o =>
        {
            o.ApiKey = ApiframeEmulatorOptions.DefaultApiKey;
            o.BaseAddress = _host.BaseAddress;
        }).UseRouter();
        var sp = services.BuildServiceProvider();
        var router = sp.GetRequiredService<IMediaGenerator>();
        var providers = new[] { "meigen", "veogen", "apiframe" }.Select(n => sp.GetRequiredKeyedService<IMediaGenerator>(n)).ToList();
        var limiters = providers.Select(p => p.GetService<RateLimiter>()).OfType<RateLimiter>().ToList();
        Assert.Equal(2, limiters.Count); // MeiGen's 12/min and VeoGen's 120/min, both created by the providers
        Assert.True((await _clock.DriveAsync(router.GenerateAsync(NanoBanana(), new WaitOptions { TimeProvider = _clock }))).IsSuccess);

        sp.Dispose();

        // Driven on the clock, so a router that still generates ends (and fails this) instead of waiting forever.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _clock.DriveAsync(router.GenerateAsync(NanoBanana(), new WaitOptions { TimeProvider = _clock })));
        Assert.Equal(3, clients.Created.Count);
        Assert.All(clients.Created, handler => Assert.True(handler.Disposed, "every HttpClient the container made for a provider is disposed"));
        Assert.All(limiters, limiter => Assert.Throws<ObjectDisposedException>(() => limiter.AttemptAcquire(1)));
        foreach (var provider in providers)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await provider.QuoteAsync(NanoBanana()));
        }
    }

    private static GenerationRequest NanoBanana() => new("nano-banana-2", "a lighthouse at dusk, watercolor");

    private ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        return services;
    }

    private void MeiGen(MeiGenOptions o)
    {
        o.ApiKey = MeiGenKey;
        o.BaseAddress = new Uri(_host.BaseAddress, "api/");
    }

    private void VeoGen(VeoGenOptions o)
    {
        o.ApiKey = VeoGenEmulator.DefaultApiKey;
        o.BaseAddress = new Uri(_host.BaseAddress, "api/v1/");
    }

    private int Submits(string path) => _host.Requests.Count(r => r.Method == "POST" && r.Path == path);

    /// <summary>Hands out clients whose handler records its disposal (an HttpClient disposes the handler it owns).</summary>
    private sealed class SpyHttpClientFactory : IHttpClientFactory
    {
        public List<SpyHandler> Created { get; } = [];

        public HttpClient CreateClient(string name)
        {
            var handler = new SpyHandler();
            lock (Created)
            {
                Created.Add(handler);
            }

            return new HttpClient(handler, disposeHandler: true);
        }
    }

    private sealed class SpyHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
