using System.Diagnostics;
using MediaGen.Reliability.Tests.Support;
using MediaGen.Testing;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Mutations;

/// <summary>
/// 10,000 seeded mutations of each vendor's documented responses per path, fed through an in-memory transport into the
/// real provider's submit and get-job paths. Whatever the vendor answers, the provider returns a <see cref="Result{T}"/>:
/// never an exception; every error names the vendor and what was wrong, and never the API key; every job it does
/// return is sane (its own provider, outputs only at http(s) URLs, a succeeded job has an output, no negative charge).
/// </summary>
public sealed class MalformedResponseTests(ITestOutputHelper output)
{
    private const int Mutations = 10_000;

    public static TheoryData<string, string> Cases => new()
    {
        { "meigen", "submit" },
        { "meigen", "get-job" },
        { "veogen", "submit" },
        { "veogen", "get-job" },
        { "apiframe", "submit" },
        { "apiframe", "get-job" },
        { "replicate", "submit" },
        { "replicate", "get-job" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Provider_TenThousandMutatedVendorResponses_NeverThrowAndEachMapsToATypedErrorNamingTheVendor(string vendorName, string path)
    {
        var vendor = Vendor.Get(vendorName);
        var seeds = SeedsFor(vendorName, path);
        var random = new Random(20_260_302 + (vendorName.Length * 100) + path.Length);
        MutatedResponse? current = null;
        var stub = new StubHttpHandler(_ => StubHttpHandler.Response(current!.Status, current.Body, current.ContentType, current.Headers));
        var time = new FakeClock();
        var generator = vendor.CreateStubbed(stub, time);
        var handle = HandleFor(vendorName, time);
        var tally = new Tally();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Mutations; i++)
        {
            current = ResponseMutator.Mutate(seeds[i % seeds.Length], random);
            foreach (var op in current.Operators)
            {
                tally.Count(op);
            }

            Result<GenerationJob> result;
            try
            {
                var call = path == "submit"
                    ? generator.SubmitAsync(new GenerationRequest(vendor.Model, "A red fox in the snow"))
                    : generator.GetJobAsync(handle);
                result = await call.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex)
            {
                tally.Violation($"#{i} {current.Description}: threw {ex.GetType().Name}: {ex.Message}");
                continue;
            }

            Check(vendor, result, current, i, tally);
        }

        clock.Stop();
        var figures = new Figures($"mutations-{vendorName}-{path}", $"Malformed responses — {vendor.DisplayName} {path}: {Mutations:N0} mutations of {seeds.Length} documented answers");
        figures.Table(["outcome", "count"], tally.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (IReadOnlyList<object>)[o.Key, o.Value]));
        figures.Line($"- mutation operators applied: {string.Join(", ", tally.Operators.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))}");
        figures.Line($"- seeds: {string.Join(", ", seeds.Select(s => $"{s.Name} (HTTP {s.Status})"))}");
        figures.Line($"- HTTP requests the provider sent: {stub.Requests.Count:N0}; unhandled exceptions: {tally.Violations.Count(v => v.Contains(" threw ", StringComparison.Ordinal))}; violations: {tally.Violations.Count}; wall time {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var (kind, sample) in tally.Samples.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            figures.Line($"- e.g. {kind}: {Shorten(sample)}");
        }

        figures.Publish(output);
        Assert.True(tally.Violations.Count == 0, $"{tally.Violations.Count} violations, the first: {string.Join(Environment.NewLine, tally.Violations.Take(10).Select(Shorten))}");
        Assert.Equal(Mutations, tally.Outcomes.Values.Sum());
    }

    private static void Check(Vendor vendor, Result<GenerationJob> result, MutatedResponse mutation, int index, Tally tally)
    {
        if (result.TryGetValue(out var job))
        {
            tally.Outcome($"job {job.Status}", null);
            var problems = new List<string>();
            if (job.Handle.Provider != vendor.Name)
            {
                problems.Add($"handle of provider '{job.Handle.Provider}'");
            }

            if (job.Status == GenerationStatus.Succeeded && job.Outputs.Count == 0)
            {
                problems.Add("succeeded without an output");
            }

            foreach (var o in job.Outputs)
            {
                if (o.Url.Scheme != Uri.UriSchemeHttps && o.Url.Scheme != Uri.UriSchemeHttp)
                {
                    problems.Add($"output at a {o.Url.Scheme}: URL '{Shorten(o.Url.OriginalString)}'");
                }
            }

            if (job.Charge is { Amount: < 0 } charge)
            {
                problems.Add($"a negative charge {charge}");
            }

            foreach (var problem in problems)
            {
                tally.Violation($"#{index} {mutation.Description}: the job has {problem}");
            }

            return;
        }

        var error = result.Error!;
        tally.Outcome($"error {error.Kind}", error.Message);
        if (error.Provider != vendor.Name)
        {
            tally.Violation($"#{index} {mutation.Description}: error from provider '{error.Provider}': {error}");
        }

        if (!error.Message.Contains(vendor.DisplayName, StringComparison.OrdinalIgnoreCase))
        {
            tally.Violation($"#{index} {mutation.Description}: the message does not name {vendor.DisplayName}: {Shorten(error.Message)}");
        }

        if (error.Message.Length < vendor.DisplayName.Length + 20)
        {
            tally.Violation($"#{index} {mutation.Description}: the message does not say what was wrong: {error.Message}");
        }

        if ($"{error} {error.VendorMessage}".Contains(vendor.ApiKey, StringComparison.Ordinal))
        {
            tally.Violation($"#{index} {mutation.Description}: the error shows the API key");
        }
    }

    private static Seed[] SeedsFor(string vendor, string path) => (vendor, path) switch
    {
        ("meigen", "submit") =>
        [
            new("submit accepted", 200, MeiGenDocs.SubmitResponse),
            new("overview success", 200, MeiGenDocs.OverviewSuccess),
            new("status completed (recovery shape)", 200, MeiGenDocs.StatusImageCompleted),
            new("request_not_found", 404, MeiGenDocs.RequestNotFound),
            new("error 400", 400, MeiGenDocs.ErrorEnvelope),
            new("error 402", 402, MeiGenDocs.ErrorEnvelope),
            new("error 429", 429, MeiGenDocs.ErrorEnvelope),
            new("error 500", 500, MeiGenDocs.ErrorEnvelope),
        ],
        ("meigen", "get-job") =>
        [
            new("processing", 200, MeiGenDocs.StatusProcessing),
            new("image completed", 200, MeiGenDocs.StatusImageCompleted),
            new("video completed", 200, MeiGenDocs.StatusVideoCompleted),
            new("failed", 200, MeiGenDocs.StatusFailed),
            new("error 404", 404, MeiGenDocs.ErrorEnvelope),
            new("error 500", 500, MeiGenDocs.ErrorEnvelope),
        ],
        ("veogen", "submit") =>
        [
            new("201 schema example", 201, VeoGenDocs.CreatedSchemaExample),
            new("201 pending", 201, VeoGenDocs.CreatedPending),
            new("402 insufficient balance", 402, VeoGenDocs.InsufficientBalance),
            new("422 validation", 422, VeoGenDocs.ValidationError),
            new("404 not found", 404, VeoGenDocs.ModelNotFound),
        ],
        ("veogen", "get-job") =>
        [
            new("pending", 200, VeoGenDocs.CreatedPending),
            new("completed", 200, VeoGenDocs.CompletedData),
            new("failed", 200, VeoGenDocs.FailedData),
            new("schema example", 200, VeoGenDocs.CreatedSchemaExample),
            new("404 not found", 404, VeoGenDocs.ModelNotFound),
        ],
        ("apiframe", "submit") =>
        [
            new("202 accepted", 202, ApiframeDocs.Accepted),
            new("400 validation error", 400, ApiframeDocs.Error("Validation error")),
            new("401 unauthorized", 401, ApiframeDocs.Error("Unauthorized")),
            new("402 insufficient credits", 402, ApiframeDocs.Error("Insufficient credits")),
            new("503 service unavailable", 503, ApiframeDocs.Error("Service unavailable")),
        ],
        ("apiframe", "get-job") =>
        [
            new("completed (string result)", 200, ApiframeDocs.JobCompletedUrl),
            new("completed (images result)", 200, ApiframeDocs.JobCompletedImages),
            new("processing", 200, ApiframeDocs.JobProcessing),
            new("failed", 200, ApiframeDocs.JobFailed),
            new("401 unauthorized", 401, ApiframeDocs.Error("Unauthorized")),
        ],
        ("replicate", "submit") =>
        [
            new("201 starting", 201, ReplicateDocs.Prediction("starting", model: "bytedance/seedream-4")),
            new("201 succeeded (Prefer: wait)", 201, ReplicateDocs.Prediction("succeeded", output: "[\"https://replicate.delivery/a/out-0.jpg\"]", model: "bytedance/seedream-4")),
            new("401 unauthenticated", 401, ReplicateDocs.Unauthenticated),
            new("422 invalid version", 422, ReplicateDocs.InvalidVersion),
            new("429 throttled", 429, ReplicateDocs.ThrottledLowCredit),
        ],
        ("replicate", "get-job") =>
        [
            new("processing", 200, ReplicateDocs.Prediction("processing", model: "bytedance/seedream-4")),
            new("succeeded", 200, ReplicateDocs.Prediction("succeeded", output: "[\"https://replicate.delivery/a/out-0.jpg\",\"https://replicate.delivery/a/out-1.jpg\"]", model: "bytedance/seedream-4")),
            new("failed", 200, ReplicateDocs.Prediction("failed", error: "\"CUDA out of memory\"", model: "bytedance/seedream-4")),
            new("aborted", 200, ReplicateDocs.Prediction("aborted", model: "bytedance/seedream-4")),
            new("canceled", 200, ReplicateDocs.Prediction("canceled", model: "bytedance/seedream-4")),
        ],
        _ => throw new NotSupportedException($"{vendor} {path}"),
    };

    private static JobHandle HandleFor(string vendor, TimeProvider time) => vendor switch
    {
        "meigen" => new JobHandle("meigen", "550e8400-e29b-41d4-a716-446655440000")
        {
            Model = "nanobanana-2",
            Kind = MediaKind.Image,
            IdempotencyKey = "0d6f4a53-0000-4000-8000-000000000001",
            SubmittedAt = time.GetUtcNow(),
        },
        "veogen" => new JobHandle("veogen", "01928abc-def0-7123-b456-789012345678")
        {
            Model = "veo-3.1-fast",
            Kind = MediaKind.Video,
            SubmittedAt = time.GetUtcNow(),
        },
        "apiframe" => new JobHandle("apiframe", "a1b2c3d4-e5f6-7890-abcd-ef1234567890")
        {
            Model = "nano-banana-2",
            Kind = MediaKind.Image,
            IdempotencyKey = "0d6f4a53-0000-4000-8000-000000000002",
            SubmittedAt = time.GetUtcNow(),
        },
        "replicate" => new JobHandle("replicate", ReplicateDocs.PredictionId)
        {
            Model = "bytedance/seedream-4",
            Kind = MediaKind.Image,
            SubmittedAt = time.GetUtcNow(),
        },
        _ => throw new NotSupportedException(vendor),
    };

    private static string Shorten(string text) => text.Length <= 240 ? text : string.Concat(text.AsSpan(0, 240), "…");

    private sealed class Tally
    {
        public Dictionary<string, int> Outcomes { get; } = [];

        public Dictionary<string, int> Operators { get; } = [];

        public Dictionary<string, string> Samples { get; } = [];

        public List<string> Violations { get; } = [];

        public void Outcome(string name, string? sample)
        {
            Outcomes[name] = Outcomes.GetValueOrDefault(name) + 1;
            if (sample is not null)
            {
                Samples.TryAdd(name, sample);
            }
        }

        public void Count(string name) => Operators[name] = Operators.GetValueOrDefault(name) + 1;

        public void Violation(string text) => Violations.Add(text);
    }
}

/// <summary>The mutation tests' findings, pinned as plain regression tests.</summary>
public sealed class MutationFindingsTests
{
    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/path.png")]
    [InlineData("ftp://example.com/x.png")]
    [InlineData("javascript:alert(1)")]
    public async Task VeoGenGetJobAsync_CompletedWithANonWebOutputUrl_IsUnreadableNotAnOutput(string url)
    {
        var body = VeoGenDocs.CompletedData.Replace("https://veogen.studio/storage/videos/01928abc.mp4\",", $"{url}\",", StringComparison.Ordinal);
        var generator = Vendor.Get("veogen").CreateStubbed(new StubHttpHandler(_ => StubHttpHandler.Json(200, body)), new FakeClock());

        var result = await generator.GetJobAsync(new JobHandle("veogen", "01928abc-def0-7123-b456-789012345678"));

        var error = Assert.IsType<ProviderUnavailableError>(result.Error);
        Assert.Contains("is not an absolute URL (http or https)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VeoGenSubmitAsync_NegativePriceUsd_LeavesTheChargeUnknown()
    {
        var body = VeoGenDocs.CreatedPending.Replace("\"price_usd\": 0.30", "\"price_usd\": -809", StringComparison.Ordinal);
        var generator = Vendor.Get("veogen").CreateStubbed(new StubHttpHandler(_ => StubHttpHandler.Json(201, body)), new FakeClock());

        var job = (await generator.SubmitAsync(new GenerationRequest("gpt-4o-image", "A cat"))).GetValueOrThrow();

        Assert.Null(job.Charge);
    }

    [Fact]
    public async Task MeiGenSubmitAsync_NegativeCreditsUsed_LeavesTheChargeUnknown()
    {
        var body = MeiGenDocs.SubmitResponse.Replace("\"creditsUsed\": 5", "\"creditsUsed\": -1", StringComparison.Ordinal);
        var generator = Vendor.Get("meigen").CreateStubbed(new StubHttpHandler(_ => StubHttpHandler.Json(200, body)), new FakeClock());

        var job = (await generator.SubmitAsync(new GenerationRequest("nanobanana-2", "A cat"))).GetValueOrThrow();

        Assert.Null(job.Charge);
    }
}
