using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MediaGen.Apiframe;
using MediaGen.Benchmarks.Benchmarks;
using MediaGen.Benchmarks.Infrastructure;
using MediaGen.Http;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.VeoGen;

namespace MediaGen.Benchmarks;

/// <summary>Diagnosis: bytes allocated by each step of one generation, on an in-memory transport (mode <c>alloc</c>).</summary>
internal static class AllocProbe
{
    public static async Task RunAsync(string[]? args = null)
    {
        if (args is { Length: > 0 } && args[0] == "types")
        {
            await TypesAsync(args.Length > 1 ? Enum.Parse<Vendor>(args[1], ignoreCase: true) : Vendor.MeiGen, args.Length > 2 ? args[2] : "generate");
            return;
        }

        if (args is { Length: > 0 } && args[0] == "loopback")
        {
            await LoopbackTypesAsync(args.Length > 1 ? Enum.Parse<Vendor>(args[1], ignoreCase: true) : Vendor.MeiGen, args.Length > 2 ? args[2] : "direct");
            return;
        }

        foreach (var vendor in Enum.GetValues<Vendor>())
        {
            foreach (var pipeline in new[] { false, true })
            {
                using var http = pipeline ? MediaGenHttp.CreateClient(innerHandler: new ByMethodHandler(vendor)) : new HttpClient(new ByMethodHandler(vendor));
                var provider = Create(vendor, http);
                var router = new MediaRouter([provider], new RouterOptions());
                var request = MediaGenClients.DirectRequest(vendor);
                var routed = MediaGenClients.RoutedRequest(vendor);
                var wait = new WaitOptions { TimeProvider = InstantTimeProvider.Instance };
                var job = (await provider.SubmitAsync(request)).GetValueOrThrow();
                var rows = new List<(string, double)>
                {
                    ("quote", await MeasureAsync(async () => await provider.QuoteAsync(request))),
                    ("submit", await MeasureAsync(async () => await provider.SubmitAsync(request))),
                    ("poll", await MeasureAsync(async () => await provider.GetJobAsync(job.Handle))),
                    ("find model", await MeasureAsync(async () => await provider.FindModelAsync(job.Handle.Model!.Value))),
                    ("generate (direct)", await MeasureAsync(async () => await provider.GenerateAsync(request, wait))),
                    ("generate (fixed schedule)", await MeasureAsync(async () => await provider.GenerateAsync(request, new WaitOptions { TimeProvider = InstantTimeProvider.Instance, PollInterval = TimeSpan.FromSeconds(3) }))),
                    ("learner observe + plan", await MeasureAsync(() => { var l = provider.GetService<PollingLearner>()!; l.Observe(job.Handle, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1 + Random.Shared.NextDouble())); l.PlanFor(job.Handle, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(3)); return Task.CompletedTask; })),
                    ("router quote all", await MeasureAsync(async () => await router.QuoteAllAsync(routed))),
                    ("router submit", await MeasureAsync(async () => await router.SubmitAsync(routed))),
                    ("generate (router)", await MeasureAsync(async () => await router.GenerateAsync(routed, wait))),
                };
                Console.WriteLine($"{vendor}{(pipeline ? " + resilience pipeline" : string.Empty)}: {string.Join(", ", rows.Select(r => $"{r.Item1} {r.Item2 / 1024:0.0} KB"))}");
                (provider as IDisposable)?.Dispose();
            }
        }
    }

    /// <summary>Which types one operation allocates (sampled GC allocation ticks, about one per 100 KB): <c>alloc types vendor op</c>.</summary>
    private static async Task TypesAsync(Vendor vendor, string operation)
    {
        using var http = MediaGenHttp.CreateClient(innerHandler: new ByMethodHandler(vendor));
        var provider = Create(vendor, http);
        var request = MediaGenClients.DirectRequest(vendor);
        var routed = MediaGenClients.RoutedRequest(vendor);
        var router = new MediaRouter([provider], new RouterOptions());
        var wait = new WaitOptions { TimeProvider = InstantTimeProvider.Instance };
        var job = (await provider.SubmitAsync(request)).GetValueOrThrow();
        Func<Task> action = operation switch
        {
            "quote" => async () => await provider.QuoteAsync(request),
            "submit" => async () => await provider.SubmitAsync(request),
            "poll" => async () => await provider.GetJobAsync(job.Handle),
            "router" => async () => await router.GenerateAsync(routed, wait),
            _ => async () => await provider.GenerateAsync(request, wait),
        };
        for (var i = 0; i < 500; i++)
        {
            await action();
        }

        using var listener = new AllocationListener();
        const int n = 20_000;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < n; i++)
        {
            await action();
        }

        var total = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)n;
        Console.WriteLine($"{vendor} {operation}: {total:0} B per call; sampled types (bytes per call):");
        var sum = listener.Bytes.Values.Sum();
        foreach (var (type, bytes) in listener.Bytes.OrderByDescending(kv => kv.Value).Take(40))
        {
            Console.WriteLine($"  {bytes / sum * total,8:0}  {type}");
        }
    }

    /// <summary>
    /// Which types one generation allocates on the real loopback path of <c>overhead</c> (emulators in a child process):
    /// <c>alloc loopback vendor floor|direct|router</c>.
    /// </summary>
    private static async Task LoopbackTypesAsync(Vendor vendor, string operation)
    {
        await using var child = await EmulatorProcess.StartAsync();
        using var floor = new Floor.FloorClients(child.Endpoints);
        using var mediaGen = new MediaGenClients(child.Endpoints, InstantTimeProvider.Instance);
        var wait = new WaitOptions { TimeProvider = InstantTimeProvider.Instance };
        var direct = MediaGenClients.DirectRequest(vendor);
        var routed = MediaGenClients.RoutedRequest(vendor);
        Func<Task> action = operation switch
        {
            "floor" => async () => await floor.GenerateAsync(vendor),
            "router" => async () => await mediaGen.Router.GenerateAsync(routed, wait),
            _ => async () => await mediaGen.For(vendor).GenerateAsync(direct, wait),
        };
        for (var i = 0; i < 500; i++)
        {
            await action();
        }

        using var listener = new AllocationListener();
        const int n = 10_000;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < n; i++)
        {
            await action();
        }

        var total = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)n;
        Console.WriteLine($"{vendor} {operation} (loopback): {total:0} B per call; sampled types (bytes per call):");
        var sum = listener.Bytes.Values.Sum();
        foreach (var (type, bytes) in listener.Bytes.OrderByDescending(kv => kv.Value).Take(60))
        {
            Console.WriteLine($"  {bytes / sum * total,8:0}  {type}");
        }
    }

    private sealed class AllocationListener : System.Diagnostics.Tracing.EventListener
    {
        public readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> Bytes = new();

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
        {
            if (e.EventName is { } name && name.StartsWith("GCAllocationTick", StringComparison.Ordinal) && e.Payload is { } payload && e.PayloadNames is { } names)
            {
                var type = payload[names.IndexOf("TypeName")]?.ToString() ?? "?";
                var amount = Convert.ToDouble(payload[names.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
                Bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
            }
        }
    }

    private static IMediaGenerator Create(Vendor vendor, HttpClient http)
    {
        var @base = new Uri("http://127.0.0.1:9/api/");
        return vendor switch
        {
            Vendor.MeiGen => MeiGenProvider.Create(new MeiGenOptions { ApiKey = MediaGenClients.MeiGenKey, BaseAddress = @base, RequestsPerMinute = 0, UseLiveCatalog = false }, http),
            Vendor.VeoGen => VeoGenProvider.Create(new VeoGenOptions { ApiKey = "veogen-test-token", BaseAddress = @base, RequestsPerMinute = 10_000_000, UseLiveCatalog = false }, http),
            _ => ApiframeProvider.Create(new ApiframeOptions { ApiKey = "afk_emulator_0123456789abcdef", BaseAddress = @base, LimitConcurrency = false }, http),
        };
    }

    private static async Task<double> MeasureAsync(Func<Task> action)
    {
        for (var i = 0; i < 200; i++)
        {
            await action();
        }

        const int n = 2000;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < n; i++)
        {
            await action();
        }

        var bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)n;
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            await action();
        }

        Console.Write($"[{System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds / n:0.0} µs] ");
        return bytes;
    }

    private sealed class ByMethodHandler(Vendor vendor) : HttpMessageHandler
    {
        private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
        private readonly byte[] _submit = Encoding.UTF8.GetBytes(vendor switch
        {
            Vendor.MeiGen => """{"success":true,"generationId":"5b6d2f8f-cf4a-4f4c-906a-9f182a6f08ac","status":"processing","creditsUsed":5,"modelId":"nanobanana-2","credits":{"daily":10,"purchased":995}}""",
            Vendor.VeoGen => """{"data":{"id":"01a1fcb1-895d-738e-aeb1-86956934579e","status":"pending","model":"nano-banana-2","type":"image","prompt":"a lighthouse at dawn, volumetric light","parameters":{"aspect_ratio":"16:9"},"output":null,"error":null,"created_at":"2026-01-01T00:00:00+00:00","completed_at":null},"price_usd":"0.04"}""",
            _ => """{"jobId":"21d64a1b-6f31-4992-b1dd-766f3287c618","status":"QUEUED"}""",
        });

        private readonly byte[] _status = Encoding.UTF8.GetBytes(vendor switch
        {
            Vendor.MeiGen => TranslationBenchmarks.MeiGenCompleted,
            Vendor.VeoGen => TranslationBenchmarks.VeoGenCompleted,
            _ => TranslationBenchmarks.ApiframeCompleted,
        });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var post = request.Method == HttpMethod.Post;
            var content = new ByteArrayContent(post ? _submit : _status);
            content.Headers.ContentType = Json;
            return Task.FromResult(new HttpResponseMessage(post && vendor != Vendor.MeiGen ? (vendor == Vendor.VeoGen ? HttpStatusCode.Created : HttpStatusCode.Accepted) : HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
