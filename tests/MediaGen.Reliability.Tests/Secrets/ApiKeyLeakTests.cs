using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaGen.Apiframe;
using MediaGen.Http;
using MediaGen.MeiGen;
using MediaGen.Reliability.Tests.Support;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.VeoGen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Secrets;

/// <summary>
/// The API keys never appear in logs (every category at Trace, including <c>IHttpClientFactory</c>'s own request and
/// header logging), exception messages, or the <c>ToString()</c> of options, requests, jobs, handles and errors — across
/// successes, vendor errors, refused keys, dropped connections and 5xx, for all three providers and the router.
/// </summary>
public sealed class ApiKeyLeakTests(ITestOutputHelper output)
{
    private const string WrongKeySuffix = "-WRONG-KEY-5f4e3d2c1b0a";

    [Fact]
    public async Task ProvidersAndRouter_ThroughDependencyInjectionAtTrace_NeverShowAnApiKey()
    {
        var time = new FakeClock();
        var vendors = Vendor.All;
        var hosts = new Dictionary<string, EmulatorHost>();
        foreach (var vendor in vendors)
        {
            hosts[vendor.Name] = await EmulatorHost.StartAsync(vendor.NewEmulator(), new EmulatorHostOptions { TimeProvider = time });
        }

        var logs = new CapturingLoggerProvider();
        var texts = new List<(string Where, string Text)>();
        try
        {
            await using (var services = Build(hosts, time, logs, keySuffix: string.Empty))
            await using (var wrongKey = Build(hosts, time, logs, keySuffix: WrongKeySuffix))
            {
                foreach (var vendor in vendors)
                {
                    var host = hosts[vendor.Name];
                    var generator = services.GetRequiredKeyedService<IMediaGenerator>(vendor.Name);
                    await ExerciseAsync(vendor, generator, host, time, texts);

                    // A refused key: the vendor answers 401/403, and what the caller sees must not echo the key.
                    var refused = await time.DriveAsync(wrongKey.GetRequiredKeyedService<IMediaGenerator>(vendor.Name).SubmitAsync(vendor.NewRequest(90, "secrets")));
                    Assert.IsType<UnauthorizedError>(refused.Error);
                    Collect(texts, $"{vendor.Name} refused key", refused);
                }

                var router = services.GetRequiredService<MediaRouter>();
                var routed = await time.DriveAsync(router.GenerateAsync(new GenerationRequest("nano-banana-2", "A red fox, routed"), new WaitOptions { TimeProvider = time }));
                Collect(texts, "router generate", routed);
                var noRoute = await router.SubmitAsync(new GenerationRequest("nano-banana-2", string.Empty));
                Collect(texts, "router refusal", noRoute);
                texts.Add(("router options", router.Options.ToString() ?? string.Empty));

                texts.Add(("MeiGenOptions", services.GetRequiredService<IOptions<MeiGenOptions>>().Value.ToString()));
                texts.Add(("VeoGenOptions", services.GetRequiredService<IOptions<VeoGenOptions>>().Value.ToString()));
                texts.Add(("ApiframeOptions", services.GetRequiredService<IOptions<ApiframeOptions>>().Value.ToString()));
                foreach (var vendor in vendors)
                {
                    var generator = services.GetRequiredKeyedService<IMediaGenerator>(vendor.Name);
                    texts.Add(($"{vendor.Name} metadata", generator.GetMetadata().ToString() ?? string.Empty));
                    texts.Add(($"{vendor.Name} generator", generator.ToString() ?? string.Empty));
                }
            }
        }
        finally
        {
            foreach (var host in hosts.Values)
            {
                await host.DisposeAsync();
            }
        }

        var logTexts = logs.Entries.Select(e => (Where: $"log {e.Category} {e.Level}", e.Text)).ToList();
        var secrets = vendors.SelectMany(v => new[] { v.ApiKey, v.ApiKey + WrongKeySuffix, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(v.ApiKey))) }).ToArray();
        var leaks = texts.Concat(logTexts)
            .SelectMany(t => secrets.Where(s => t.Text.Contains(s, StringComparison.Ordinal)).Select(s => $"{t.Where}: {t.Text}"))
            .ToList();

        var httpLogs = logTexts.Count(t => t.Where.StartsWith("log System.Net.Http.HttpClient", StringComparison.Ordinal));
        var headerLogs = logTexts.Count(t => t.Text.Contains("Authorization", StringComparison.Ordinal) || t.Text.Contains("X-API-Key", StringComparison.OrdinalIgnoreCase));
        var figures = new Figures("secrets", "Secrets — API keys in logs, messages and ToString()");
        figures.Line($"- texts scanned: {texts.Count:N0} (results, errors, exceptions, ToString() of options, requests, jobs, handles, metadata) and {logTexts.Count:N0} log entries at Trace ({httpLogs:N0} from IHttpClientFactory's handlers, {headerLogs:N0} of them listing the request headers that carry the key)");
        figures.Line($"- secrets looked for: {secrets.Length} (each vendor's key, a refused key, and the SHA-256 of each key — Apiframe's webhook secret); occurrences: {leaks.Count}");
        figures.Line($"- log categories: {string.Join(", ", logTexts.Select(t => t.Where.Split(' ')[1]).Distinct().Order(StringComparer.Ordinal))}");
        figures.Publish(output);

        Assert.True(leaks.Count == 0, "The key leaked:" + Environment.NewLine + string.Join(Environment.NewLine, leaks.Take(5).Select(l => l.Length > 600 ? l[..600] : l)));
        Assert.True(headerLogs > 0, "no log listed the request headers: the test did not exercise the path where a key could leak");
        Assert.True(texts.Count > 50);
    }

    [Fact]
    public void OptionsAndRequests_ToString_NeverShowTheKey()
    {
        var meigen = new MeiGenOptions { ApiKey = Vendor.Get("meigen").ApiKey };
        var veogen = new VeoGenOptions { ApiKey = Vendor.Get("veogen").ApiKey };
        var apiframe = new ApiframeOptions { ApiKey = Vendor.Get("apiframe").ApiKey };

        Assert.DoesNotContain(meigen.ApiKey, meigen.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(veogen.ApiKey, veogen.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(apiframe.ApiKey, apiframe.ToString(), StringComparison.Ordinal);
        Assert.Contains("BaseAddress", meigen.ToString(), StringComparison.Ordinal);
        Assert.Contains("BaseAddress", veogen.ToString(), StringComparison.Ordinal);
        Assert.Contains("BaseAddress", apiframe.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ProviderCreate_InvalidOptions_ExceptionNamesTheSettingButNotTheKey()
    {
        foreach (var (name, create) in new (string, Action)[]
        {
            ("meigen", () => MeiGenProvider.Create(new MeiGenOptions { ApiKey = Vendor.Get("meigen").ApiKey, RequestsPerMinute = -1 })),
            ("veogen", () => VeoGenProvider.Create(new VeoGenOptions { ApiKey = Vendor.Get("veogen").ApiKey, RequestsPerMinute = -1 })),
            ("apiframe", () => ApiframeProvider.Create(new ApiframeOptions { ApiKey = Vendor.Get("apiframe").ApiKey, ConcurrencyQueueLimit = -1 })),
        })
        {
            var ex = Assert.ThrowsAny<ArgumentException>(create);
            Assert.DoesNotContain(Vendor.Get(name).ApiKey, ex.ToString(), StringComparison.Ordinal);
        }
    }

    private static async Task ExerciseAsync(Vendor vendor, IMediaGenerator generator, EmulatorHost host, FakeClock time, List<(string, string)> texts)
    {
        var request = vendor.NewRequest(1, "secrets");
        texts.Add(($"{vendor.Name} request", request.ToString()));
        Collect(texts, $"{vendor.Name} quote", await generator.QuoteAsync(request));
        Collect(texts, $"{vendor.Name} generate", await time.DriveAsync(generator.GenerateAsync(request, new WaitOptions { TimeProvider = time })));

        host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Once().DropConnectionAfterHandler();
        Collect(texts, $"{vendor.Name} dropped", await time.DriveAsync(generator.SubmitAsync(vendor.NewRequest(2, "secrets"))));

        host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Times(8).RespondWith(503, """{"error":"Service Unavailable"}""");
        Collect(texts, $"{vendor.Name} 503", await time.DriveAsync(generator.SubmitAsync(vendor.NewRequest(3, "secrets"))));
        host.Faults.Clear();

        host.Faults.On(HttpMethod.Post, vendor.SubmitPath).Once().RespondWithWrongContentType(500);
        Collect(texts, $"{vendor.Name} html 500", await time.DriveAsync(generator.SubmitAsync(vendor.NewRequest(4, "secrets"))));
        host.Faults.Clear();

        var missing = new JobHandle(vendor.Name, "00000000-0000-4000-8000-00000000dead");
        Collect(texts, $"{vendor.Name} missing job", await time.DriveAsync(generator.GetJobAsync(missing)));
        Collect(texts, $"{vendor.Name} invalid", await generator.SubmitAsync(new GenerationRequest(vendor.Model, string.Empty)));
    }

    private static void Collect(List<(string, string)> texts, string where, Result<GenerationJob> result) =>
        Collect(texts, where, result.Error, result.Value?.ToString(), result.Value is { } job ? [job.Handle.ToString(), JsonSerializer.Serialize(job.Handle), job.Translation?.ToString() ?? string.Empty, job.Quote?.ToString() ?? string.Empty] : []);

    private static void Collect(List<(string, string)> texts, string where, Result<GenerationQuote> result) =>
        Collect(texts, where, result.Error, result.Value?.ToString(), []);

    private static void Collect(List<(string, string)> texts, string where, MediaGenError? error, string? value, IEnumerable<string> more)
    {
        texts.Add((where, value ?? string.Empty));
        foreach (var m in more)
        {
            texts.Add((where, m));
        }

        if (error is null)
        {
            return;
        }

        texts.Add((where + " error", error.ToString()));
        texts.Add((where + " message", error.Message));
        texts.Add((where + " vendor message", error.VendorMessage ?? string.Empty));
        foreach (var attempt in error.Attempts)
        {
            texts.Add((where + " attempt", attempt.ToString()));
        }

        try
        {
            throw error.ToException();
        }
        catch (MediaGenException ex)
        {
            texts.Add((where + " exception", ex.ToString()));
        }
    }

    private static ServiceProvider Build(Dictionary<string, EmulatorHost> hosts, FakeClock time, CapturingLoggerProvider logs, string keySuffix)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(time);
        services.AddMediaGen(o => o.EnableSensitiveData = true)
            .AddMeiGen(o =>
            {
                o.ApiKey = Vendor.Get("meigen").ApiKey + keySuffix;
                o.BaseAddress = new Uri(hosts["meigen"].BaseAddress, "api/");
                o.RequestsPerMinute = 0;
            })
            .AddVeoGen(o =>
            {
                o.ApiKey = Vendor.Get("veogen").ApiKey + keySuffix;
                o.BaseAddress = new Uri(hosts["veogen"].BaseAddress, "api/v1/");
                o.UseLiveCatalog = false;
            })
            .AddApiframe(o =>
            {
                o.ApiKey = Vendor.Get("apiframe").ApiKey + keySuffix;
                o.BaseAddress = hosts["apiframe"].BaseAddress;
                o.LimitConcurrency = false;
            })
            .AddReplicate(o =>
            {
                o.ApiKey = Vendor.Get("replicate").ApiKey + keySuffix;
                o.BaseAddress = new Uri(hosts["replicate"].BaseAddress, "v1/");
            })
            .UseRouter();
        foreach (var name in new[] { "meigen", "veogen", "apiframe", "replicate" })
        {
            services.Configure<MediaGenHttpOptions>(MediaGenBuilder.HttpClientName(name), o => o.BaseDelay = TimeSpan.FromMilliseconds(100));
        }

        return services.BuildServiceProvider();
    }
}
