using System.Net;
using System.Text;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;

namespace MediaGen.Testing.Tests.Hosting;

public class VendorRigTests
{
    [Fact]
    public async Task StartAsync_OneEmulator_SharesOneClockAndKnowsTheProviderBaseAddressAndKey()
    {
        var start = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
        await using var rig = await VendorRig.StartAsync(new VeoGenEmulator(), options: new VendorRigOptions { StartTime = start });

        Assert.Same(rig.Time, rig.Host.TimeProvider);
        Assert.Equal(start, rig.Time.GetUtcNow());
        Assert.Equal(new Uri(rig.Host.BaseAddress, "api/v1/"), rig.ProviderBaseAddress);
        Assert.Equal(VeoGenEmulator.DefaultApiKey, rig.ApiKey);
        Assert.Throws<InvalidOperationException>(() => rig.Generator);
    }

    [Fact]
    public async Task Submits_SeveralEmulators_CountsEachVendorsPaidPostsOnly()
    {
        var meigen = new MeiGenEmulator();
        var apiframe = new ApiframeEmulator();
        await using var rig = await VendorRig.StartAsync([meigen, apiframe]);
        var http = rig.CreateHttpClient();

        await SendAsync(http, meigen, MeiGenEmulator.SubmitPath);
        await SendAsync(http, apiframe, ApiframeEmulator.SubmitPath);
        await SendAsync(http, apiframe, ApiframeEmulator.SubmitPath);
        using var me = await http.GetAsync(new Uri("v2/me", UriKind.Relative));

        Assert.Single(rig.SubmitsTo(meigen));
        Assert.Equal(2, rig.SubmitsTo(apiframe).Count);
        Assert.Equal(3, rig.Submits.Count);
        Assert.Equal(new Uri(rig.Host.BaseAddress, "api/"), rig.BaseAddressOf(meigen));
    }

    [Fact]
    public async Task DisposeAsync_OwnedItemsAndClients_DisposesThemThenStopsTheHost()
    {
        var created = new List<Counted>();
        FakeMediaGenerator? generator = null;
        var rig = await VendorRig.StartAsync(new MeiGenEmulator(), r =>
        {
            r.Own(new Counted(created));
            _ = r.Http;
            return generator = new FakeMediaGenerator(timeProvider: r.Time);
        }, new VendorRigOptions { CreateHttpClient = _ => new CountingClient(created) });
        var client = rig.CreateHttpClient();
        var baseAddress = rig.Host.BaseAddress;

        Assert.Same(generator, rig.Generator);
        await rig.DisposeAsync();

        Assert.Equal(baseAddress, client.BaseAddress);
        Assert.Equal(3, created.Count); // one owned item, the default client, one more client
        Assert.All(created, c => Assert.Equal(1, c.Disposals));
        using var probe = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => probe.GetAsync(baseAddress));
    }

    [Fact]
    public async Task Deconstruct_Tuple_GivesHostEmulatorAndClock()
    {
        var (host, emulator, time) = await VendorRig.StartAsync(new ApiframeEmulator());
        await using var _ = host;

        Assert.IsType<ApiframeEmulator>(emulator);
        Assert.Same(time, host.TimeProvider);
    }

    private static async Task SendAsync(HttpClient http, IEmulatedApi emulator, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path.TrimStart('/'), UriKind.Relative)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        emulator.ApiKeys.Authorize(request, emulator.DefaultApiKey);
        using var response = await http.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    private sealed class Counted : IDisposable
    {
        public Counted(List<Counted> created) => created.Add(this);

        public int Disposals { get; private set; }

        public void Dispose() => Disposals++;
    }

    /// <summary>A client that counts its disposals through a <see cref="Counted"/>.</summary>
    private sealed class CountingClient(List<Counted> created) : HttpClient
    {
        private readonly Counted _count = new(created);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _count.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
