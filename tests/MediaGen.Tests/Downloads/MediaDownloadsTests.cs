using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaGen.Testing;

namespace MediaGen.Tests.Downloads;

/// <summary>
/// Output URLs come from vendors: downloads must not reach the host's own or internal network. Names are resolved
/// through <see cref="MediaDownloadOptions.ResolveHost"/> and connections routed through the connect hook to a local
/// server, so no test needs DNS or the internet.
/// </summary>
public sealed class MediaDownloadsTests : IAsyncDisposable
{
    private static readonly JobHandle Job = new("meigen", "job-7");
    private static readonly IPAddress PublicAddress = IPAddress.Parse("93.184.216.34");
    private readonly LocalServer _server = new();
    private readonly List<IPEndPoint> _connected = [];
    private readonly HttpClient _client = MediaDownloads.CreateHttpClient();

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Rules under which <c>*.test</c> names resolve as given and every connection goes to the local server.</summary>
    private MediaDownloadOptions Rules(Func<string, IPAddress> resolve, bool allowHttp = true) => new()
    {
        Job = Job,
        AllowHttp = allowHttp,
        ResolveHost = (host, _) => ValueTask.FromResult(new[] { resolve(host) }),
        Connect = async (endpoint, ct) =>
        {
            lock (_connected)
            {
                _connected.Add(endpoint);
            }

            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, _server.Port, ct);
            return client.GetStream();
        },
    };

    private static GenerationOutput Output(string url) => new(new Uri(url), MediaKind.Image, "image/png");

    public static TheoryData<string> InternalAddresses => new()
    {
        "127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "172.16.5.4",
        "192.168.1.1", "100.64.0.1", "fd00::1", "fe80::1", "0.0.0.0", "224.0.0.1",
    };

    [Theory]
    [MemberData(nameof(InternalAddresses))]
    public async Task DownloadToAsync_NameResolvingToInternalAddress_RefusedBeforeConnecting(string address)
    {
        var rules = Rules(_ => IPAddress.Parse(address), allowHttp: false);

        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output("https://cdn.test/out.png").DownloadToAsync(_client, Stream.Null, rules));

        Assert.Equal(DownloadFailure.Refused, ex.Failure);
        Assert.Same(Job, ex.Job);
        Assert.Equal("meigen", ex.Provider);
        Assert.Contains("meigen", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Job.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Empty(_connected);
        Assert.Equal(0, _server.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1/out.png")]
    [InlineData("http://10.0.0.1/out.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/out.png")]
    [InlineData("http://[::ffff:127.0.0.1]/out.png")]
    [InlineData("http://localhost/out.png")]
    public async Task DownloadToAsync_InternalLiteralUrlWithAnyClient_RefusedWithoutSending(string url)
    {
        var sent = 0;
        using var plain = new HttpClient(new StubHttpHandler(_ =>
        {
            sent++;
            return StubHttpHandler.Response(200, new byte[10], "image/png");
        }));

        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output(url).DownloadToAsync(plain, Stream.Null, new MediaDownloadOptions { AllowHttp = true, Job = Job }));

        Assert.Equal(DownloadFailure.Refused, ex.Failure);
        Assert.Equal(0, sent);
    }

    [Fact]
    public async Task DownloadToAsync_PlainHttpByDefault_Refused()
    {
        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output("http://cdn.test/out.png").DownloadToAsync(_client, Stream.Null, Rules(_ => PublicAddress, allowHttp: false)));

        Assert.Equal(DownloadFailure.Refused, ex.Failure);
        Assert.Contains("https only", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_connected);
    }

    [Fact]
    public async Task DownloadToAsync_NameResolvingToLoopbackWithAllowLoopback_Downloads()
    {
        var rules = Rules(_ => IPAddress.Loopback) with { AllowLoopback = true };
        using var bytes = new MemoryStream();

        var written = await Output($"http://cdn.test:{_server.Port}/out.png").DownloadToAsync(_client, bytes, rules);

        Assert.Equal(LocalServer.Body.Length, written);
        Assert.Equal(LocalServer.Body, bytes.ToArray());
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("fd12::7")]
    public async Task DownloadToAsync_PrivateTargetWithAllowPrivateNetworks_Downloads(string address)
    {
        var rules = Rules(_ => IPAddress.Parse(address)) with { AllowPrivateNetworks = true };
        using var bytes = new MemoryStream();

        await Output($"http://cdn.test:{_server.Port}/out.png").DownloadToAsync(_client, bytes, rules);

        Assert.Equal(LocalServer.Body, bytes.ToArray());
        Assert.Equal(IPAddress.Parse(address), Assert.Single(_connected).Address);
    }

    [Fact]
    public async Task DownloadToAsync_AllowPrivateNetworks_StillRefusesLoopback()
    {
        var rules = Rules(_ => IPAddress.Loopback) with { AllowPrivateNetworks = true };

        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output($"http://cdn.test:{_server.Port}/out.png").DownloadToAsync(_client, Stream.Null, rules));

        Assert.Equal(DownloadFailure.Refused, ex.Failure);
        Assert.Contains("loopback", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://127.0.0.1/admin")]
    [InlineData("http://[::1]/admin")]
    [InlineData("http://internal.test/admin")]
    public async Task DownloadToAsync_RedirectFromAllowedServerToInternalTarget_Refused(string location)
    {
        _server.RedirectTo = location;
        var rules = Rules(host => host == "internal.test" ? IPAddress.Parse("10.0.0.1") : PublicAddress);

        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output($"http://cdn.test:{_server.Port}/out.png").DownloadToAsync(_client, Stream.Null, rules));

        Assert.Equal(DownloadFailure.Refused, ex.Failure);
        Assert.Contains("redirected to", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests);
        Assert.All(_connected, e => Assert.Equal(PublicAddress, e.Address));
    }

    [Fact]
    public async Task DownloadToAsync_RedirectToPrivateTargetWithAllowPrivateNetworks_Followed()
    {
        _server.RedirectTo = $"http://internal.test:{_server.Port}/final.png";
        var rules = Rules(host => host == "internal.test" ? IPAddress.Parse("10.0.0.1") : PublicAddress) with { AllowPrivateNetworks = true };
        using var bytes = new MemoryStream();

        await Output($"http://cdn.test:{_server.Port}/out.png").DownloadToAsync(_client, bytes, rules);

        Assert.Equal(LocalServer.Body, bytes.ToArray());
        Assert.Equal(2, _server.Requests);
        Assert.Contains(_connected, e => e.Address.Equals(IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public async Task DownloadToAsync_RedirectLoop_RefusedAfterMaxRedirects()
    {
        _server.RedirectTo = "/out.png";
        var rules = Rules(_ => PublicAddress) with { MaxRedirects = 3 };

        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output($"http://cdn.test:{_server.Port}/out.png").DownloadToAsync(_client, Stream.Null, rules));

        Assert.Equal(DownloadFailure.Refused, ex.Failure);
        Assert.Contains("more than 3 redirects", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.Requests);
    }

    [Fact]
    public async Task DownloadToFileAsync_Refused_LeavesNoFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mediagen-ssrf-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "out.png");
            await Assert.ThrowsAsync<MediaDownloadException>(() => Output("https://cdn.test/out.png").DownloadToFileAsync(_client, path, Rules(_ => IPAddress.Parse("169.254.169.254"))));
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ForJob_VendorOnLoopback_AllowsLoopbackAndHttp()
    {
        using var local = new EndpointOnly(new Uri("http://127.0.0.1:5000/api/"));
        using var remote = new EndpointOnly(new Uri("https://api.meigen.example/"));

        var forLocal = MediaDownloadOptions.ForJob(local, Job);
        var forRemote = MediaDownloadOptions.ForJob(remote, Job);

        Assert.True(forLocal.AllowLoopback && forLocal.AllowHttp);
        Assert.False(forLocal.AllowPrivateNetworks);
        Assert.False(forRemote.AllowLoopback || forRemote.AllowHttp || forRemote.AllowPrivateNetworks);
        Assert.Same(Job, forRemote.Job);
    }

    /// <summary>A generator that only describes itself: vendor <c>meigen</c> at <paramref name="endpoint"/>.</summary>
    private sealed class EndpointOnly(Uri endpoint) : IMediaGenerator
    {
        public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ProviderMetadata) && serviceKey is null or "meigen"
                ? new ProviderMetadata { Name = "meigen", BillingUnit = MoneyUnit.Usd, Endpoint = endpoint }
                : null;

        public void Dispose()
        {
        }
    }

    /// <summary>A minimal HTTP/1.1 server on 127.0.0.1: a PNG-ish body, or a redirect to <see cref="RedirectTo"/> for <c>/out.png</c>.</summary>
    private sealed class LocalServer : IAsyncDisposable
    {
        public static readonly byte[] Body = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];

        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _requests;

        public LocalServer()
        {
            _listener.Start();
            _loop = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Requests => Volatile.Read(ref _requests);

        public string? RedirectTo { get; set; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                Interlocked.Increment(ref _requests);
                var path = head.ToString().Split(' ')[1];
                if (RedirectTo is { } location && path == "/out.png")
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    return;
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(Body);
            }
        }
    }
}
