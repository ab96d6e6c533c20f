using MediaGen.Apiframe;
using MediaGen.Http;
using MediaGen.MeiGen;
using MediaGen.Replicate;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.Testing.Emulators.Replicate;
using MediaGen.VeoGen;

namespace MediaGen.Reliability.Tests.Support;

/// <summary>
/// What the reliability tests need to know about one vendor: its emulator, its provider built over a given
/// <see cref="HttpClient"/>, its submit route, a cheap model, and how its billing ledger names a logical request.
/// <see cref="StartRigAsync"/> puts the emulator and the provider on a <see cref="VendorRig{TEmulator}"/>.
/// </summary>
public sealed class Vendor
{
    private Vendor(string name)
    {
        Name = name;
    }

    /// <summary>Gets the provider name (<c>meigen</c>, <c>veogen</c>, …).</summary>
    public string Name { get; }

    /// <summary>Gets the name the provider uses in its messages.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the path of the paid POST.</summary>
    public required string SubmitPath { get; init; }

    /// <summary>Gets the path of a job's status request.</summary>
    public required Func<JobHandle, string> StatusPathOf { get; init; }

    /// <summary>Gets a cheap image model the emulator serves.</summary>
    public required ModelId Model { get; init; }

    /// <summary>Gets the API key the provider is configured with (distinctive text, so the secrets tests can scan for it).</summary>
    public required string ApiKey { get; init; }

    /// <summary>Gets whether the vendor dedupes submits by idempotency key (else the ledger is matched by prompt).</summary>
    public required bool DedupesByKey { get; init; }

    /// <summary>Creates a fresh emulator, configured so its own per-minute limits do not interfere with load.</summary>
    public required Func<IEmulatedApi> NewEmulator { get; init; }

    /// <summary>Creates the provider against a host, over a client, on a clock.</summary>
    public required Func<EmulatorHost, HttpClient, TimeProvider, IMediaGenerator> CreateProvider { get; init; }

    /// <summary>Creates the provider over an in-memory transport (no models endpoint, no live prices, no client-side limiter).</summary>
    public required Func<HttpMessageHandler, TimeProvider, IMediaGenerator> CreateStubbed { get; init; }

    /// <summary>Gets every vendor merged into this branch.</summary>
    public static IReadOnlyList<Vendor> All { get; } = [MeiGen(), VeoGen(), Apiframe(), Replicate()];

    /// <summary>Finds a vendor by name.</summary>
    public static Vendor Get(string name) => All.Single(v => v.Name == name);

    /// <summary>The logical request a billing ledger entry belongs to: the idempotency key, or the (unique) prompt where the vendor has no key.</summary>
    public string LogicalRequestOf(LedgerEntry entry) =>
        (DedupesByKey ? entry.IdempotencyKey : entry.LogicalRequest) ?? $"(unattributed job {entry.JobId})";

    /// <summary>The logical request of a request this suite built.</summary>
    public string LogicalRequestOf(GenerationRequest request) => DedupesByKey ? request.IdempotencyKey! : request.Prompt.Trim();

    /// <summary>
    /// A request with a prompt and idempotency key unique to <paramref name="index"/> and <paramref name="scenario"/>.
    /// The key is a UUID (MeiGen requires one) whose last group is the index, so it reads back in failures.
    /// </summary>
    public GenerationRequest NewRequest(int index, string scenario) =>
        new(Model, $"A lighthouse on a cliff at dusk, {scenario} request #{index:D5}.")
        {
            IdempotencyKey = $"{StableHash(Name + "/" + scenario):x8}-0000-4000-8000-{index:D12}",
        };

    /// <summary>Gets whether a submit whose attempt timed out sleeps on the clock before it ends (a back-off before resending).</summary>
    public bool SleepsAfterSubmitTimeout { get; init; }

    /// <summary>Gets this vendor's changes to <see cref="HttpOptions"/> for the rig's default client.</summary>
    public Action<MediaGenHttpOptions>? TuneHttp { get; init; }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private MediaGenHttpOptions TunedHttpOptions()
    {
        var options = HttpOptions();
        TuneHttp?.Invoke(options);
        return options;
    }

    /// <summary>
    /// The HTTP settings of these tests: attempt timeouts of 5 s (virtual), short back-off, Retry-After up to 10 s
    /// waited out. Slow-response faults hold the request for 10 virtual minutes, far past the attempt timeout.
    /// </summary>
    public static MediaGenHttpOptions HttpOptions() => new()
    {
        MaxRetries = 3,
        BaseDelay = TimeSpan.FromMilliseconds(200),
        MaxRetryAfter = TimeSpan.FromSeconds(10),
        ReadAttemptTimeout = TimeSpan.FromSeconds(5),
        SubmitAttemptTimeout = TimeSpan.FromSeconds(5),
        ReadTotalTimeout = TimeSpan.FromSeconds(60),
        SubmitTotalTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Starts the vendor's emulator on a rig and builds its provider over <see cref="MediaGenHttp.CreateClient"/> on the rig's clock.</summary>
    public Task<VendorRig<IEmulatedApi>> StartRigAsync(MediaGenHttpOptions? http = null) =>
        VendorRig.StartAsync(
            NewEmulator(),
            rig => CreateProvider(rig.Host, rig.Http, rig.Time),
            new VendorRigOptions
            {
                StartTime = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
                CreateHttpClient = time => MediaGenHttp.CreateClient(http ?? TunedHttpOptions(), time, ((FakeClock)time).CreateHttpHandler()),
            });

    /// <summary>Whether a recorded request is the paid POST of the request with this index (its body carries the unique prompt).</summary>
    public bool IsSubmitOf(RecordedRequest recorded, int index) =>
        recorded.Method == "POST"
        && string.Equals(recorded.Path, SubmitPath, StringComparison.OrdinalIgnoreCase)
        && recorded.Body.Contains($"request #{index:D5}.", StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static Vendor MeiGen()
    {
        const string key = "meigen_sk_RELIABILITY-SECRET-9f8e7d6c5b4a";
        return new("meigen")
        {
            DisplayName = "MeiGen",
            SubmitPath = MeiGenEmulator.SubmitPath,
            StatusPathOf = handle => "/api/generate/v2/status/" + handle.VendorJobId,
            Model = "nanobanana-2",
            ApiKey = key,
            DedupesByKey = true,
            NewEmulator = () =>
            {
                var emulator = new MeiGenEmulator(new MeiGenEmulatorOptions { GenerateRequestsPerMinute = 1_000_000 });
                emulator.ApiKeys.Accepted.Add(key);
                return emulator;
            },
            CreateProvider = (host, http, time) => MeiGenProvider.Create(Options(MeiGenEmulator.ProviderBaseAddress(host)), http, time),
            CreateStubbed = (handler, time) => MeiGenProvider.Create(Options(new Uri("https://meigen.test/api/"), refreshModels: false), new HttpClient(handler), time),
        };

        static MeiGenOptions Options(Uri baseAddress, bool refreshModels = true) => new()
        {
            ApiKey = key,
            BaseAddress = baseAddress,
            RequestsPerMinute = 0, // the documented 12/min would hold back a load test; the emulator's is raised too
            UseLiveCatalog = refreshModels,
        };
    }

    private static Vendor VeoGen()
    {
        const string key = "veogen-RELIABILITY-SECRET-1a2b3c4d5e6f";
        return new("veogen")
        {
            DisplayName = "VeoGen",
            SubmitPath = VeoGenEmulator.SubmitPath,
            StatusPathOf = handle => "/api/v1/generations/" + handle.VendorJobId,
            Model = "gpt-4o-image",
            ApiKey = key,
            DedupesByKey = false,
            NewEmulator = () =>
            {
                var emulator = new VeoGenEmulator { RequestsPerMinute = 1_000_000 };
                emulator.ApiKeys.Accepted.Clear();
                emulator.ApiKeys.Accepted.Add(key);
                return emulator;
            },
            CreateProvider = (host, http, time) => VeoGenProvider.Create(Options(VeoGenEmulator.ProviderBaseAddress(host)), http, time),
            CreateStubbed = (handler, time) => VeoGenProvider.Create(Options(new Uri("https://veogen.test/api/v1/")), new HttpClient(handler), time),
        };

        static VeoGenOptions Options(Uri baseAddress) => new()
        {
            ApiKey = key,
            BaseAddress = baseAddress,
            RequestsPerMinute = 1_000_000,
            UseLiveCatalog = false,
        };
    }

    private static Vendor Apiframe()
    {
        const string key = "afk_RELIABILITY-SECRET-7e6d5c4b3a29";
        return new("apiframe")
        {
            DisplayName = "Apiframe",
            SubmitPath = ApiframeEmulator.SubmitPath,
            StatusPathOf = handle => "/v2/jobs/" + handle.VendorJobId,
            Model = "nano-banana-2",
            ApiKey = key,
            DedupesByKey = true,
            SleepsAfterSubmitTimeout = true,
            // Apiframe dedupes, so the pipeline resends its submits after most faults. They go at once (Retry-After is
            // still honoured): every jittered back-off is a separate virtual instant the fake clock must be driven to,
            // which costs real time in a 1,000-request test.
            TuneHttp = http => http.BaseDelay = TimeSpan.Zero,
            NewEmulator = () =>
            {
                var emulator = new ApiframeEmulator();
                emulator.ApiKeys.Accepted.Add(key);
                return emulator;
            },
            CreateProvider = (host, http, time) => ApiframeProvider.Create(Options(ApiframeEmulator.ProviderBaseAddress(host)), http, time),
            CreateStubbed = (handler, time) => ApiframeProvider.Create(Options(new Uri("https://api.apiframe.test/")), new HttpClient(handler), time),
        };

        static ApiframeOptions Options(Uri baseAddress) => new()
        {
            ApiKey = key,
            BaseAddress = baseAddress,
            LimitConcurrency = false, // the load tests hold hundreds of jobs at once; the emulator does not enforce a cap
        };
    }

    private static Vendor Replicate()
    {
        const string key = "r8_RELIABILITY-SECRET-0c1d2e3f4a5b6c7d8e9f";
        return new("replicate")
        {
            DisplayName = "Replicate",
            SubmitPath = "/v1/models/bytedance/seedream-4/predictions",
            StatusPathOf = handle => "/v1/predictions/" + handle.VendorJobId,
            Model = "bytedance/seedream-4", // an image model without Prefer: wait, so a create is answered at once
            ApiKey = key,
            DedupesByKey = false,
            NewEmulator = () =>
            {
                var emulator = new ReplicateEmulator(new ReplicateEmulatorOptions { CreatesPerMinute = 1_000_000, OtherRequestsPerMinute = 1_000_000 });
                emulator.ApiKeys.Accepted.Add(key); // only this token: a wrong one is refused with 401
                return emulator;
            },
            CreateProvider = (host, http, time) => ReplicateProvider.Create(Options(ReplicateEmulator.ProviderBaseAddress(host)), http, time),
            CreateStubbed = (handler, time) => ReplicateProvider.Create(Options(new Uri("https://api.replicate.test/v1/")), new HttpClient(handler), time),
        };

        static ReplicateOptions Options(Uri baseAddress) => new()
        {
            ApiKey = key,
            BaseAddress = baseAddress,
            RequestsPerMinute = 1_000_000,

            // The polling storm outlasts 10 virtual minutes, the default image Cancel-After: Replicate would then end the
            // still-starting prediction as aborted (not charged) before the resume the test checks. That ending is
            // Replicate's documented behaviour and is tested in MediaGen.Replicate.Tests; here the deadline is set past the storm.
            ImageCancelAfter = TimeSpan.FromMinutes(30),
        };
    }
}
