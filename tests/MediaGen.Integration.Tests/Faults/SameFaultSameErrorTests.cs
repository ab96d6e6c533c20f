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

namespace MediaGen.Integration.Tests.Faults;

/// <summary>
/// One vendor-neutral fault, injected at each vendor's emulator, must end in the same <see cref="ErrorKind"/> and the same
/// rejected-before-billing bit at every vendor. A cell differs only where the vendor documents different semantics; the
/// table names the document.
/// </summary>
public sealed class SameFaultSameErrorTests
{
    /// <summary>The vendors, by provider name.</summary>
    public static TheoryData<string> Vendors => ["meigen", "veogen", "apiframe", "replicate"];

    private static readonly Dictionary<string, string> RetryAfter60 = new() { ["Retry-After"] = "60" };

    /// <summary>
    /// What a submit ends in. "Settled" rows are answers that do not prove the job was not created (a 5xx, a status the
    /// vendor does not document, an unreadable 2xx): the provider must never call them rejected before billing.
    /// </summary>
    private static readonly Dictionary<string, Row> SubmitRows = new()
    {
        ["401"] = new(f => f.RespondWith(401, """{"error":"Invalid API key"}"""), ErrorKind.Unauthorized, true),
        ["402"] = new(f => f.RespondWith(402, """{"error":"Insufficient credits","message":"This generation costs 5. Your balance is 0.","required":5,"balance":0}"""), ErrorKind.InsufficientFunds, true),
        ["429 with Retry-After"] = new(f => f.RespondWith(429, """{"error":"Too many requests"}""", RetryAfter60), ErrorKind.RateLimited, true, RetryAfter: TimeSpan.FromSeconds(60)),
        // MeiGen: after an undocumented answer its request log is asked by key, and its 404 request_not_found is
        // MeiGen's proof that it did not accept the submit (issue 19, docs/providers/meigen.md): refused before billing.
        ["500"] = new(f => f.RespondWith(500, """{"error":"Server error"}"""), ErrorKind.OutcomeUnknown, false, new()
        {
            ["meigen"] = (ErrorKind.ProviderUnavailable, true),
        }),
        ["503"] = new(f => f.RespondWith(503, """{"error":"Service unavailable"}"""), ErrorKind.OutcomeUnknown, false, new()
        {
            // Apiframe documents 503 as a refusal: "503 | Service unavailable | Job queue is temporarily down"
            // (/work/shared/vendor-docs/jobs-api-image-generation.txt, "Error responses"). VeoGen documents no 503, and
            // neither does Replicate (replicate-http-api.md §1.8), so for them it is an undocumented answer after which the
            // job may exist; MeiGen's request log settles it.
            ["apiframe"] = (ErrorKind.ProviderUnavailable, true),
            ["meigen"] = (ErrorKind.ProviderUnavailable, true),
        }),
        ["418 (undocumented)"] = new(f => f.RespondWith(418, """{"error":"I'm a teapot"}"""), ErrorKind.OutcomeUnknown, false, new()
        {
            ["meigen"] = (ErrorKind.ProviderUnavailable, true),
        }),
        ["HTML 200"] = new(f => f.RespondWithWrongContentType(200), ErrorKind.OutcomeUnknown, false),
    };

    /// <summary>What a poll (<see cref="IMediaGenerator.GetJobAsync"/>) ends in. A read bills nothing, so every answer is "not billed".</summary>
    private static readonly Dictionary<string, Row> PollRows = new()
    {
        ["401"] = new(f => f.RespondWith(401, """{"error":"Invalid API key"}"""), ErrorKind.Unauthorized, true),
        ["429 with Retry-After"] = new(f => f.RespondWith(429, """{"error":"Too many requests"}""", RetryAfter60), ErrorKind.RateLimited, true, RetryAfter: TimeSpan.FromSeconds(60)),
        ["500"] = new(f => f.RespondWith(500, """{"error":"Server error"}"""), ErrorKind.ProviderUnavailable, true),
        ["503"] = new(f => f.RespondWith(503, """{"error":"Service unavailable"}"""), ErrorKind.ProviderUnavailable, true),
        ["418 (undocumented)"] = new(f => f.RespondWith(418, """{"error":"I'm a teapot"}"""), ErrorKind.ProviderUnavailable, true),
        ["HTML 200"] = new(f => f.RespondWithWrongContentType(200), ErrorKind.ProviderUnavailable, true),
        ["malformed JSON 200"] = new(f => f.WithMalformedBody(), ErrorKind.ProviderUnavailable, true),
    };

    /// <summary>Every (vendor, submit situation) cell.</summary>
    public static TheoryData<string, string> SubmitCells => Cells(SubmitRows);

    /// <summary>Every (vendor, poll situation) cell.</summary>
    public static TheoryData<string, string> PollCells => Cells(PollRows);

    [Theory]
    [MemberData(nameof(SubmitCells))]
    public async Task SubmitAsync_SameFault_SameErrorKindAndBillingBitAtEveryVendor(string vendor, string situation)
    {
        var row = SubmitRows[situation];
        await using var rig = await Rig.StartAsync(vendor);
        row.Inject(rig.Host.Faults.On(HttpMethod.Post, rig.SubmitPath).Always());

        var result = await rig.Clock.DriveAsync(rig.Generator.SubmitAsync(rig.Request()));

        var (kind, billedBit) = row.For(vendor);
        Assert.False(result.IsSuccess, $"{vendor} accepted a submit answered with {situation}");
        Assert.True(kind == result.Error!.Kind, $"{vendor}, submit, {situation}: expected {kind}, got {result.Error}");
        Assert.True(billedBit == result.Error.RejectedBeforeBilling, $"{vendor}, submit, {situation}: expected RejectedBeforeBilling = {billedBit}, got {result.Error}");
        if (row.RetryAfter is { } wait)
        {
            Assert.Equal(wait, Assert.IsType<RateLimitedError>(result.Error).RetryAfter);
        }

        Assert.Equal(0, rig.Host.Ledger.ChargedJobCount); // the handler never ran: nothing may have been charged
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task SubmitAsync_MalformedJsonAfterTheJobWasCreated_RecoversTheOneChargedJobAtEveryVendor(string vendor)
    {
        await using var rig = await Rig.StartAsync(vendor);
        rig.Host.Faults.On(HttpMethod.Post, rig.SubmitPath).Once().WithMalformedBody();

        var result = await rig.Clock.DriveAsync(rig.Generator.SubmitAsync(rig.Request()));

        Assert.True(result.IsSuccess, $"{vendor}: {result.Error}");
        if (vendor == "replicate")
        {
            // Replicate bills a prediction when it ends (replicate-http-api.md §1.8, D10): wait for it, then count.
            await rig.Clock.DriveAsync(rig.Generator.WaitForCompletionAsync(result.Value!.Handle, new WaitOptions { TimeProvider = rig.Clock }));
        }

        Assert.Equal(1, rig.Host.Ledger.ChargedJobCount);
    }

    [Theory]
    [MemberData(nameof(PollCells))]
    public async Task GetJobAsync_SameFault_SameErrorKindAndBillingBitAtEveryVendor(string vendor, string situation)
    {
        var row = PollRows[situation];
        await using var rig = await Rig.StartAsync(vendor);
        var job = (await rig.Clock.DriveAsync(rig.Generator.SubmitAsync(rig.Request()))).GetValueOrThrow();
        row.Inject(rig.Host.Faults.On(HttpMethod.Get, rig.StatusPath(job.Handle)).Always());

        var result = await rig.Clock.DriveAsync(rig.Generator.GetJobAsync(job.Handle));

        var (kind, billedBit) = row.For(vendor);
        Assert.False(result.IsSuccess, $"{vendor} read a job from {situation}");
        Assert.True(kind == result.Error!.Kind, $"{vendor}, poll, {situation}: expected {kind}, got {result.Error}");
        Assert.True(billedBit == result.Error.RejectedBeforeBilling, $"{vendor}, poll, {situation}: expected RejectedBeforeBilling = {billedBit}, got {result.Error}");
        if (row.RetryAfter is { } wait)
        {
            Assert.Equal(wait, Assert.IsType<RateLimitedError>(result.Error).RetryAfter);
        }
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task GetJobAsync_UnknownJob_NotFoundAtEveryVendor(string vendor)
    {
        await using var rig = await Rig.StartAsync(vendor);

        var result = await rig.Clock.DriveAsync(rig.Generator.GetJobAsync(new JobHandle(vendor, "00000000-0000-4000-8000-000000000418")));

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task WaitForCompletionAsync_UndocumentedStatusWhilePolling_RidesItOutAtEveryVendor(string vendor)
    {
        await using var rig = await Rig.StartAsync(vendor);
        var job = (await rig.Clock.DriveAsync(rig.Generator.SubmitAsync(rig.Request()))).GetValueOrThrow();
        var fault = rig.Host.Faults.On(HttpMethod.Get, rig.StatusPath(job.Handle)).Times(2).RespondWith(418, """{"error":"I'm a teapot"}""");

        var ended = await rig.Clock.DriveAsync(rig.Generator.WaitForCompletionAsync(job.Handle, new WaitOptions { TimeProvider = rig.Clock }));

        Assert.Equal(2, fault.FiredCount);
        Assert.True(ended.IsSuccess, $"{vendor}: the wait ended with {ended.Error}");
        Assert.Equal(GenerationStatus.Succeeded, ended.Value!.Status);
    }

    /// <summary>Vendor failure texts and the one reason each means (it decides whether the router may resubmit elsewhere).</summary>
    public static TheoryData<string, string, FailureReason> FailureCells
    {
        get
        {
            var cells = new TheoryData<string, string, FailureReason>();
            foreach (var vendor in (string[])["meigen", "veogen", "apiframe", "replicate"])
            {
                cells.Add(vendor, "Output blocked: prohibited content", FailureReason.ContentPolicy);
                cells.Add(vendor, "Rejected by moderation", FailureReason.ContentPolicy);
                cells.Add(vendor, "The job expired before a worker picked it up", FailureReason.Expired);
                cells.Add(vendor, "Upstream model timed out", FailureReason.ProviderError);
            }

            return cells;
        }
    }

    [Theory]
    [MemberData(nameof(FailureCells))]
    public async Task GetJobAsync_SameFailureText_SameFailureReasonAtEveryVendor(string vendor, string text, FailureReason expected)
    {
        await using var rig = await Rig.StartAsync(vendor);
        rig.Host.Jobs.Default = JobScript.Fail(JobFailureKind.ProviderError, text);
        var job = (await rig.Clock.DriveAsync(rig.Generator.SubmitAsync(rig.Request()))).GetValueOrThrow();

        var polled = (await rig.Clock.DriveAsync(rig.Generator.GetJobAsync(job.Handle))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, polled.Status);
        Assert.Contains(text, polled.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(expected, polled.Failure.Reason);
    }

    private static TheoryData<string, string> Cells(Dictionary<string, Row> rows)
    {
        var cells = new TheoryData<string, string>();
        foreach (var vendor in (string[])["meigen", "veogen", "apiframe", "replicate"])
        {
            foreach (var situation in rows.Keys)
            {
                cells.Add(vendor, situation);
            }
        }

        return cells;
    }

    /// <summary>One situation: how to inject it, the vendor-neutral outcome, and the documented exceptions.</summary>
    private sealed record Row(
        Func<FaultRuleBuilder, FaultRule> Inject,
        ErrorKind Kind,
        bool RejectedBeforeBilling,
        Dictionary<string, (ErrorKind Kind, bool RejectedBeforeBilling)>? Documented = null,
        TimeSpan? RetryAfter = null)
    {
        public (ErrorKind Kind, bool RejectedBeforeBilling) For(string vendor) =>
            Documented is not null && Documented.TryGetValue(vendor, out var differs) ? differs : (Kind, RejectedBeforeBilling);
    }

    /// <summary>One vendor's emulator on loopback and its real provider, on one fake clock, without transport retries.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private const string MeiGenKey = "meigen_sk_samefault0000000000000000000000";

        private Rig(string vendor, EmulatorHost host, FakeClock clock, HttpClient http, IMediaGenerator generator)
        {
            Vendor = vendor;
            Host = host;
            Clock = clock;
            Http = http;
            Generator = generator;
        }

        public string Vendor { get; }

        public EmulatorHost Host { get; }

        public FakeClock Clock { get; }

        public HttpClient Http { get; }

        public IMediaGenerator Generator { get; }

        public string SubmitPath => Vendor switch
        {
            "meigen" => "/api/generate/v2",
            "veogen" => "/api/v1/generations",
            "replicate" => "/v1/models/google/veo-3.1/predictions",
            _ => "/v2/images/generate",
        };

        public static async Task<Rig> StartAsync(string vendor)
        {
            var clock = new FakeClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
            IVendorEmulator emulator = vendor switch
            {
                "meigen" => new MeiGenEmulator(),
                "veogen" => new VeoGenEmulator(),
                "replicate" => new ReplicateEmulator(),
                _ => new ApiframeEmulator(),
            };
            var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = clock });
            host.Jobs.Default = JobScript.CompleteAfterPolls(1);

            // No transport retries: each cell sees the vendor's answer, not the shared handler's.
            var http = MediaGenHttp.CreateClient(new MediaGenHttpOptions { MaxRetries = 0 }, clock);
            IMediaGenerator generator = vendor switch
            {
                "meigen" => MeiGenProvider.Create(new MeiGenOptions { ApiKey = MeiGenKey, BaseAddress = new Uri(host.BaseAddress, "api/") }, http, clock),
                "veogen" => VeoGenProvider.Create(new VeoGenOptions { ApiKey = VeoGenEmulator.DefaultApiKey, BaseAddress = VeoGenEmulator.ProviderBaseAddress(host), UseLiveCatalog = false }, http, clock),
                "replicate" => ReplicateProvider.Create(new ReplicateOptions { ApiKey = ReplicateEmulator.DefaultApiKey, BaseAddress = ReplicateEmulator.ProviderBaseAddress(host) }, http, clock),
                _ => ApiframeProvider.Create(new ApiframeOptions { ApiKey = ApiframeEmulatorOptions.DefaultApiKey, BaseAddress = host.BaseAddress, LimitConcurrency = false }, http, clock),
            };
            return new Rig(vendor, host, clock, http, generator);
        }

        public GenerationRequest Request() => new(
            Vendor switch
            {
                "meigen" => "nanobanana-2",
                "veogen" => "gpt-4o-image",
                "replicate" => "google/veo-3.1",
                _ => "nano-banana-2",
            },
            "a lighthouse on a cliff at dusk");

        public string StatusPath(JobHandle handle) => Vendor switch
        {
            "meigen" => "/api/generate/v2/status/" + handle.VendorJobId,
            "veogen" => "/api/v1/generations/" + handle.VendorJobId,
            "replicate" => "/v1/predictions/" + handle.VendorJobId,
            _ => "/v2/jobs/" + handle.VendorJobId,
        };

        public async ValueTask DisposeAsync()
        {
            (Generator as IDisposable)?.Dispose();
            Http.Dispose();
            await Host.DisposeAsync();
        }
    }
}
