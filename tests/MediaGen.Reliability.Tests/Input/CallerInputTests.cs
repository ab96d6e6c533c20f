using MediaGen.MeiGen;
using MediaGen.Reliability.Tests.Support;
using MediaGen.Routing;
using MediaGen.Testing;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Input;

/// <summary>
/// Every request field's edge cases (empty, white space, too long, negative, NaN-like, broken Unicode, control
/// characters, non-https and malformed URLs) are refused before any network call, naming the field — at each provider
/// and through the router. The emulators must record zero requests. A control case (valid Unicode) must be accepted.
/// </summary>
public sealed class CallerInputTests(ITestOutputHelper output)
{
    public static TheoryData<string> Targets => ["meigen", "veogen", "apiframe", "router"];

    /// <summary>The edge cases: a name, how to break a valid request, and the field the error must name.</summary>
    public static IReadOnlyList<(string Case, Action<GenerationRequest> Break, string Field)> Cases { get; } =
    [
        ("prompt empty", r => r.Prompt = string.Empty, "Prompt"),
        ("prompt white space", r => r.Prompt = " \t\r\n ", "Prompt"),
        ("prompt with NUL", r => r.Prompt = "a fox\0 in snow", "Prompt"),
        ("prompt too long (100,000 chars)", r => r.Prompt = new string('a', 100_000), "Prompt"),
        ("prompt with an unpaired surrogate", r => r.Prompt = "a fox \uD800 in snow", "Prompt"),
        ("prompt with a reversed surrogate pair", r => r.Prompt = "a fox \uDE00\uD83D in snow", "Prompt"),
        ("model missing", r => r.Model = default, "Model"),
        ("model unknown", r => r.Model = "no-such-model-0000", "Model"),
        ("duration zero", r => r.DurationSeconds = 0, "DurationSeconds"),
        ("duration negative", r => r.DurationSeconds = -5, "DurationSeconds"),
        ("duration int.MinValue", r => r.DurationSeconds = int.MinValue, "DurationSeconds"),
        ("count zero", r => r.Count = 0, "Count"),
        ("count negative", r => r.Count = -1, "Count"),
        ("count int.MaxValue", r => r.Count = int.MaxValue, "Count"),
        ("seed negative", r => r.Seed = -1, "Seed"),
        ("seed long.MinValue", r => r.Seed = long.MinValue, "Seed"),
        ("quality white space", r => r.Quality = "   ", "Quality"),
        ("reference image http", r => r.ReferenceImages = [new Uri("http://example.com/a.png")], "ReferenceImages[0]"),
        ("reference image relative", r => r.ReferenceImages = [new Uri("images/a.png", UriKind.Relative)], "ReferenceImages[0]"),
        ("reference image file:", r => r.ReferenceImages = [new Uri("file:///etc/passwd")], "ReferenceImages[0]"),
        ("reference image ftp:", r => r.ReferenceImages = [new Uri("ftp://example.com/a.png")], "ReferenceImages[0]"),
        ("reference image javascript:", r => r.ReferenceImages = [new Uri("javascript:alert(1)")], "ReferenceImages[0]"),
        ("reference image null", r => r.ReferenceImages = [null!], "ReferenceImages[0]"),
        ("second reference image http", r => r.ReferenceImages = [new Uri("https://example.com/a.png"), new Uri("http://example.com/b.png")], "ReferenceImages[1]"),
        ("reference video http", r => r.ReferenceVideos = [new ReferenceVideo(new Uri("http://example.com/v.mp4"), 3)], "ReferenceVideos[0].Url"),
        ("reference video length NaN", r => r.ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/v.mp4"), double.NaN)], "ReferenceVideos[0].DurationSeconds"),
        ("reference video length +infinity", r => r.ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/v.mp4"), double.PositiveInfinity)], "ReferenceVideos[0].DurationSeconds"),
        ("reference video length negative", r => r.ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/v.mp4"), -3)], "ReferenceVideos[0].DurationSeconds"),
        ("reference video length zero", r => r.ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/v.mp4"), 0)], "ReferenceVideos[0].DurationSeconds"),
        ("reference video null", r => r.ReferenceVideos = [null!], "ReferenceVideos[0]"),
        ("reference audio http", r => r.ReferenceAudio = [new Uri("http://example.com/a.mp3")], "ReferenceAudio[0]"),
        ("webhook http (not loopback)", r => r.Webhook = new WebhookOptions { Url = new Uri("http://example.com/hook") }, "Webhook.Url"),
        ("webhook relative", r => r.Webhook = new WebhookOptions { Url = new Uri("/hook", UriKind.Relative) }, "Webhook.Url"),
        ("webhook javascript:", r => r.Webhook = new WebhookOptions { Url = new Uri("javascript:alert(1)") }, "Webhook.Url"),
        ("idempotency key empty", r => r.IdempotencyKey = string.Empty, "IdempotencyKey"),
        ("idempotency key white space", r => r.IdempotencyKey = "   ", "IdempotencyKey"),
        ("idempotency key too long (256)", r => r.IdempotencyKey = new string('k', 256), "IdempotencyKey"),
        ("idempotency key with CR LF (header injection)", r => r.IdempotencyKey = "3f2c9a1e-0000-4000-8000-000000000001\r\nX-Injected: 1", "IdempotencyKey"),
    ];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task SubmitAsync_EveryFieldEdgeCase_IsRefusedBeforeAnyNetworkCallNamingTheField(string target)
    {
        await using var world = await World.StartAsync();
        var generator = world.Target(target);
        var rows = new List<IReadOnlyList<object>>();
        var catalogLookups = 0;
        var failures = new List<string>();

        foreach (var (name, breakIt, field) in Cases)
        {
            var request = Valid(target);
            breakIt(request);
            var before = world.RecordedRequests;
            var lookupsBefore = world.CatalogLookups;
            Result<GenerationJob> result;
            try
            {
                result = await generator.SubmitAsync(request);
            }
            catch (Exception ex)
            {
                failures.Add($"{name}: threw {ex.GetType().Name}: {ex.Message}");
                rows.Add([name, "**threw**", field]);
                continue;
            }

            var named = FieldsNamed(result.Error);
            // VeoGen asks its public, unbilled GET /models/{slug} whether a slug it does not know exists (vendors add
            // models); that read is the only request allowed, and only for an unknown model.
            var lookups = world.CatalogLookups - lookupsBefore;
            var requests = world.RecordedRequests - before - (name == "model unknown" ? lookups : 0);
            catalogLookups += lookups;
            rows.Add([name, result.Error?.Kind.ToString() ?? "accepted", string.Join(", ", named.Distinct())]);
            if (result.IsSuccess || !named.Any(f => f.StartsWith(field, StringComparison.Ordinal)))
            {
                failures.Add($"{name}: expected an error naming {field}; got {result}");
            }

            if (requests > 0)
            {
                failures.Add($"{name}: the emulators recorded {requests} requests");
            }
        }

        var recorded = world.RecordedRequests;

        // The control: valid but unusual Unicode is not refused (so the refusals above are not blanket refusals).
        var control = Valid(target);
        control.Prompt = "Ein Fuchs 🦊 im Schnee — رسم ثعلب — 雪の中の狐 — e\u0301";
        var accepted = await world.Time.DriveAsync(generator.SubmitAsync(control));

        var figures = new Figures($"input-{target}", $"Caller input — {target}: {Cases.Count} edge cases");
        figures.Table(["edge case", "result", "field(s) named"], rows);
        figures.Line($"- requests the emulators recorded while refusing them: {recorded} ({catalogLookups} unbilled GET /api/v1/models/{{slug}} asking VeoGen about the unknown model, nothing else); control (valid Unicode prompt): {(accepted.IsSuccess ? "accepted" : accepted.Error!.ToString())}");
        figures.Publish(output);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(accepted.IsSuccess, $"valid Unicode was refused: {accepted}");
    }

    private static GenerationRequest Valid(string target) => new(target == "router" ? "nano-banana-2" : Vendor.Get(target).Model, "A red fox in the snow");

    /// <summary>Every field an error names, including the errors of the router's attempts.</summary>
    private static List<string> FieldsNamed(MediaGenError? error)
    {
        var fields = new List<string>();
        if (error is null)
        {
            return fields;
        }

        Collect(error);
        foreach (var attempt in error.Attempts)
        {
            if (attempt.Error is { } e)
            {
                Collect(e);
            }
        }

        return fields;

        void Collect(MediaGenError e)
        {
            if (e is InvalidRequestError invalid)
            {
                fields.AddRange(invalid.Errors.Select(f => f.Field));
            }
        }
    }

    /// <summary>The three emulators and a provider for each (no catalog or account calls), plus a router over them.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly Dictionary<string, IMediaGenerator> _targets = new(StringComparer.Ordinal);
        private readonly List<HttpClient> _clients = [];

        private World(FakeClock time) => Time = time;

        public FakeClock Time { get; }

        public List<EmulatorHost> Hosts { get; } = [];

        public int RecordedRequests => Hosts.Sum(h => h.Requests.Count);

        public int CatalogLookups => Hosts.Sum(h => h.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/api/v1/models/", StringComparison.Ordinal)));

        public static async Task<World> StartAsync()
        {
            var world = new World(new FakeClock());
            var meigen = await world.HostAsync(Vendor.Get("meigen").NewEmulator());
            var veogen = await world.HostAsync(Vendor.Get("veogen").NewEmulator());
            var apiframe = await world.HostAsync(Vendor.Get("apiframe").NewEmulator());
            world._targets["meigen"] = MeiGenProvider.Create(
                new MeiGenOptions { ApiKey = Vendor.Get("meigen").ApiKey, BaseAddress = new Uri(meigen.BaseAddress, "api/"), RequestsPerMinute = 0, UseLiveCatalog = false },
                world.Client(),
                world.Time);
            world._targets["veogen"] = Vendor.Get("veogen").CreateProvider(veogen, world.Client(), world.Time);
            world._targets["apiframe"] = Vendor.Get("apiframe").CreateProvider(apiframe, world.Client(), world.Time);
            world._targets["router"] = new MediaRouter([world._targets["meigen"], world._targets["veogen"], world._targets["apiframe"]], new RouterOptions { TimeProvider = world.Time });
            return world;
        }

        public IMediaGenerator Target(string name) => _targets[name];

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }

            foreach (var host in Hosts)
            {
                await host.DisposeAsync();
            }
        }

        private HttpClient Client()
        {
            var client = Http.MediaGenHttp.CreateClient(Vendor.HttpOptions(), Time, Time.CreateHttpHandler());
            _clients.Add(client);
            return client;
        }

        private async Task<EmulatorHost> HostAsync(IVendorEmulator emulator)
        {
            var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = Time });
            Hosts.Add(host);
            return host;
        }
    }
}
