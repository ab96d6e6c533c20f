using System.Net;
using System.Net.Sockets;
using MediaGen.Testing.Tests.TestSupport;

namespace MediaGen.Testing.Tests.Hosting;

public class EmulatorHostTests
{
    [Fact]
    public async Task StartAsync_DefaultOptions_ListensOnEphemeralLoopbackPort()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());

        Assert.Equal("http", host.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", host.BaseAddress.Host);
        Assert.NotEqual(0, host.BaseAddress.Port);
        Assert.Equal("/", host.BaseAddress.AbsolutePath);

        using HttpClient http = host.CreateClient();
        var body = await (await http.GetAsync("api/ping")).ReadJsonAsync();
        Assert.True(body.GetProperty("pong").GetBoolean());
    }

    [Fact]
    public async Task StartAsync_ExplicitPort_ListensOnThatPort()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator(), new EmulatorHostOptions { Port = port });

        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), host.BaseAddress);
    }

    [Fact]
    public async Task StartAsync_TwoHosts_GetDifferentPorts()
    {
        await using EmulatorHost first = await EmulatorHost.StartAsync(new TestEmulator());
        await using EmulatorHost second = await EmulatorHost.StartAsync(new TestEmulator());

        Assert.NotEqual(first.BaseAddress.Port, second.BaseAddress.Port);
    }

    [Fact]
    public async Task StartAsync_SeveralEmulators_ServesAllOnOnePort()
    {
        var alpha = new TestEmulator("Alpha", "/alpha");
        var beta = new TestEmulator("Beta", "/beta");
        await using EmulatorHost host = await EmulatorHost.StartAsync([alpha, beta]);
        using HttpClient http = host.CreateClient();

        var a = await (await http.GetAsync("alpha/ping")).ReadJsonAsync();
        var b = await (await http.GetAsync("beta/ping")).ReadJsonAsync();

        Assert.Equal("Alpha", a.GetProperty("emulator").GetString());
        Assert.Equal("Beta", b.GetProperty("emulator").GetString());
        Assert.Equal([alpha, beta], host.Emulators);
    }

    [Fact]
    public async Task StartAsync_NullEmulator_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => EmulatorHost.StartAsync([new TestEmulator(), null!]));
    }

    [Fact]
    public async Task StartAsync_DefaultOptions_UsesSystemClock()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());

        Assert.Same(TimeProvider.System, host.TimeProvider);
    }

    [Fact]
    public async Task Context_SharesHostServices_AndBaseAddressOnlyOnceStarted()
    {
        var clock = new FakeClock();
        var emulator = new TestEmulator();
        await using EmulatorHost host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = clock });

        EmulatorContext context = emulator.Context!;
        Assert.IsType<InvalidOperationException>(emulator.BaseAddressErrorDuringMap);
        Assert.Equal(host.BaseAddress, context.BaseAddress);
        Assert.Same(host.Faults, context.Faults);
        Assert.Same(host.Ledger, context.Ledger);
        Assert.Same(host.Jobs, context.Jobs);
        Assert.Same(clock, context.TimeProvider);
        Assert.Same(clock, host.TimeProvider);
        Assert.Equal("Test", context.EmulatorName);
        Assert.NotNull(context.Logger);
    }

    [Fact]
    public async Task Requests_EveryRequest_IsRecordedWithMethodPathQueryHeadersAndBody()
    {
        var clock = new FakeClock();
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator(), new EmulatorHostOptions { TimeProvider = clock });
        using HttpClient http = host.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sk-test-secret");

        await http.SubmitAsync("a red fox", idempotencyKey: "idem-1");
        await http.GetAsync("api/jobs/job_1?verbose=true");
        await http.GetAsync("nowhere");

        IReadOnlyList<RecordedRequest> requests = host.Requests;
        Assert.Equal(3, requests.Count);
        RecordedRequest submit = requests[0];
        Assert.Equal("POST", submit.Method);
        Assert.Equal("/api/generate", submit.PathAndQuery);
        Assert.Equal("idem-1", submit.Header("idempotency-key"));
        Assert.Equal("Bearer sk-test-secret", submit.Header("Authorization"));
        Assert.Contains("\"prompt\":\"a red fox\"", submit.Body, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow(), submit.ReceivedAt);
        Assert.Null(submit.Fault);

        Assert.Equal("GET", requests[1].Method);
        Assert.Equal("/api/jobs/job_1", requests[1].Path);
        Assert.Equal("?verbose=true", requests[1].Query);
        Assert.Equal("/api/jobs/job_1?verbose=true", requests[1].PathAndQuery);
        Assert.Equal(string.Empty, requests[1].Body);
        Assert.Equal("/nowhere", requests[2].Path);
    }

    [Fact]
    public async Task ClearRequests_ForgetsRecordedRequests()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        using HttpClient http = host.CreateClient();
        await http.GetAsync("api/ping");

        host.ClearRequests();

        Assert.Empty(host.Requests);
    }

    [Fact]
    public async Task ScriptedJob_PolledOverHttp_FollowsDefaultScriptAndServesPng()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        using HttpClient http = host.CreateClient();

        var submitted = await (await http.SubmitAsync("a lighthouse")).ReadJsonAsync();
        var poll1 = await (await http.GetAsync("api/jobs/job_1")).ReadJsonAsync();
        var poll2 = await (await http.GetAsync("api/jobs/job_1")).ReadJsonAsync();

        Assert.Equal("QUEUED", submitted.GetProperty("status").GetString());
        Assert.Equal("RUNNING", poll1.GetProperty("status").GetString());
        Assert.Equal("SUCCEEDED", poll2.GetProperty("status").GetString());
        var url = new Uri(poll2.GetProperty("url").GetString()!);
        Assert.Equal(new Uri(host.BaseAddress, "_media/job_1-0.png"), url);

        using HttpResponseMessage media = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal("image/png", media.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SandboxImage.CreatePng("a lighthouse", 16, 16), await media.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, host.Ledger.ChargedJobCount);
        Assert.Equal(2, host.Jobs.Get("job_1").PollCount);
    }

    [Fact]
    public async Task MediaEndpoint_UnknownName_Returns404()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        using HttpClient http = host.CreateClient();

        using HttpResponseMessage response = await http.GetAsync("_media/missing.png");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PublishMedia_NameNeedingEscaping_IsServedAtReturnedUrl()
    {
        var emulator = new TestEmulator();
        await using EmulatorHost host = await EmulatorHost.StartAsync(emulator);
        using HttpClient http = host.CreateClient();
        byte[] video = SandboxMedia.CreateVideo("Test", "clip", "a cat", "16:9", TimeSpan.FromSeconds(1));

        Uri url = emulator.Context!.PublishMedia("clip 1.mp4", video, SandboxMedia.VideoContentType);
        using HttpResponseMessage response = await http.GetAsync(url);

        Assert.StartsWith(host.BaseAddress.AbsoluteUri, url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(video, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PublishMedia_NameWithSlash_Throws()
    {
        var emulator = new TestEmulator();
        await using EmulatorHost host = await EmulatorHost.StartAsync(emulator);

        Assert.Throws<ArgumentException>(() => emulator.Context!.PublishMedia("a/b.png", [1], "image/png"));
    }

    [Fact]
    public async Task InsufficientBalance_EmulatorAnswers402AndChargesNothing()
    {
        await using EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        host.Ledger.SetBalance(TestEmulator.Unit, 0.5m);
        using HttpClient http = host.CreateClient();

        using HttpResponseMessage response = await http.SubmitAsync("anything");

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(0, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmlessAndStopsListening()
    {
        EmulatorHost host = await EmulatorHost.StartAsync(new TestEmulator());
        Uri address = host.BaseAddress;

        await host.DisposeAsync();
        await host.DisposeAsync();

        using var http = new HttpClient { BaseAddress = address };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("api/ping"));
    }
}
