using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaGen.Testing.Emulators.MeiGen;

/// <summary>
/// The MeiGen API as its docs describe it, on the emulator host: <c>POST /api/generate/v2</c> (credits debited from
/// the purchased balance, 402 when short, 12 requests per minute per key with <c>Retry-After: 60</c>, deduplication by
/// the body's <c>idempotencyKey</c> and 409 <c>idempotency_conflict</c>), <c>GET /api/generate/v2/status/{id}</c>
/// (scripted lifecycles; refunds on failure), <c>GET /api/generate/v2/requests/{key}</c> (recovery by key; 404
/// <c>request_not_found</c>) and <c>GET /api/models</c> (capabilities and prices). Charges go to the host's ledger.
/// </summary>
/// <remarks>
/// Keys travel as <c>Authorization: Bearer meigen_sk_…</c>; by default <see cref="ApiKeys"/> accepts any key that starts
/// with <c>meigen_sk_</c>. Point a provider at <see cref="ProviderBaseAddress"/> (<c>{host}api/</c>).
/// </remarks>
public sealed class MeiGenEmulator : IEmulatedApi
{
    /// <summary>The path of the paid submit.</summary>
    public const string SubmitPath = "/api/generate/v2";

    /// <summary>A key the emulator accepts by default (any key that starts with <c>meigen_sk_</c> is accepted unless <see cref="ApiKeys"/> lists keys).</summary>
    public const string DefaultApiKey = "meigen_sk_0123456789abcdef0123456789abcdef";

    private const string KeyPrefix = "meigen_sk_";
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private readonly EmulatedJobStore<Generation> _store;
    private readonly EmulatorRateWindow _generateRate;
    private EmulatorContext? _context;
    private int _firstIdUsed;

    /// <summary>Creates the emulator.</summary>
    /// <param name="options">Its behaviour; the docs' defaults when null.</param>
    public MeiGenEmulator(MeiGenEmulatorOptions? options = null)
    {
        Options = options ?? new MeiGenEmulatorOptions();
        _store = new(() => Context, MeiGenEmulatorOptions.CreditsUnit);
        _generateRate = new(() => Context.TimeProvider, RateWindow);
    }

    /// <summary>Gets the options (read on every request, so tests may change them between calls).</summary>
    public MeiGenEmulatorOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "meigen";

    /// <summary>Gets the keys the emulator accepts (<c>Authorization: Bearer …</c>); empty accepts any key that starts with <c>meigen_sk_</c>.</summary>
    public EmulatorApiKeys ApiKeys { get; } = new("Authorization", bearer: true, KeyPrefix);

    /// <summary>
    /// Gets what generate requests carried that the docs do not name (ignored, as MeiGen plausibly would): body fields
    /// outside rev2's list, <c>niji7Options</c> fields outside the model's table, a non-JSON <c>Content-Type</c>.
    /// </summary>
    public UndocumentedFieldLog UndocumentedFields { get; } = new();

    /// <summary>Gets the number of generations accepted (deduplicated retries not counted).</summary>
    public int AcceptedCount => _store.Count;

    string IEmulatedApi.SubmitPath => SubmitPath;

    string IEmulatedApi.DefaultApiKey => DefaultApiKey;

    private EmulatorContext Context => _context ?? throw new InvalidOperationException("The emulator is not mapped on a host.");

    /// <summary>Gets the address to configure as the provider's base address: <c>{host}api/</c>.</summary>
    /// <param name="host">The running host.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is <see langword="null"/>.</exception>
    public static Uri ProviderBaseAddress(EmulatorHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new Uri(host.BaseAddress, "api/");
    }

    Uri IEmulatedApi.ProviderBaseAddress(EmulatorHost host) => ProviderBaseAddress(host);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes, EmulatorContext context)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        routes.MapPost(SubmitPath, (Delegate)GenerateAsync);
        routes.MapGet("/api/generate/v2/status/{id}", (Delegate)Status);
        routes.MapGet("/api/generate/v2/requests/{key}", (Delegate)Recover);
        routes.MapGet("/api/models", (Delegate)Models);
    }

    private async Task<IResult> GenerateAsync(HttpContext http)
    {
        if (ApiKeys.Check(http.Request) is not { IsValid: true, Key: var user })
        {
            return Json(401, new JsonObject { ["error"] = "Invalid or missing API token" });
        }

        if (!_generateRate.TryTake(user, Options.GenerateRequestsPerMinute, out _))
        {
            // The docs' throttle answer: always Retry-After 60.
            http.Response.Headers["Retry-After"] = "60";
            http.Response.Headers["X-RateLimit-Limit"] = Options.GenerateRequestsPerMinute.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Remaining"] = "0";
            return Json(429, new JsonObject { ["error"] = $"Rate limit exceeded: {Options.GenerateRequestsPerMinute} requests per minute" });
        }

        UndocumentedFields.CheckContentType(http.Request);
        var (body, _) = await EmulatorJson.ReadObjectAsync(http).ConfigureAwait(false);
        if (body is null)
        {
            return Json(400, new JsonObject { ["error"] = "Request body must be a JSON object" });
        }

        var check = MeiGenEmulatorValidation.Check(body, UndocumentedFields);
        if (check.Error is { } error)
        {
            return Json(400, new JsonObject { ["error"] = error });
        }

        var (status, answer) = Accept(user, EmulatorJson.String(body["idempotencyKey"]), Fingerprint(body), check.Model!, body, check.Cost, check.Prompt!);
        return Json(status, answer);
    }

    private (int Status, JsonObject Body) Accept(string user, string? key, string fingerprint, MeiGenEmulatedModel model, JsonObject body, decimal cost, string prompt)
    {
        var ratio = EmulatorJson.String(body["aspectRatio"]) ?? "auto";
        var submission = _store.Submit(user, key, cost, prompt,
            slot => new Generation(slot, fingerprint, model, ratio is "auto" or "adaptive" ? "16:9" : ratio, (int?)EmulatorJson.Decimal(body["duration"]) ?? model.DefaultDuration ?? 5),
            NextId,
            tag: model.Id);
        switch (submission.Outcome)
        {
            case SubmitOutcome.Duplicate when submission.Job!.Fingerprint != fingerprint:
                return (409, new JsonObject
                {
                    ["success"] = false,
                    ["code"] = "idempotency_conflict",
                    ["error"] = "This idempotencyKey was already used for a different request. Use a new key for a new request.",
                });

            case SubmitOutcome.Duplicate:
                var again = Accepted(submission.Job!);
                again["deduped"] = true;
                return (200, again);

            case SubmitOutcome.InsufficientFunds:
                return (402, new JsonObject
                {
                    ["error"] = $"Insufficient credits: this generation costs {cost.ToString(CultureInfo.InvariantCulture)} credits. API tokens can only use purchased credits.",
                    ["credits"] = Credits(submission.Balance),
                });

            default:
                return (200, Accepted(submission.Job!));
        }
    }

    private JsonObject Accepted(Generation generation) => new()
    {
        ["success"] = true,
        ["generationId"] = generation.Id,
        ["status"] = "processing",
        ["creditsUsed"] = generation.Price,
        ["modelId"] = generation.Model.Id,
        ["credits"] = Credits(generation.BalanceAfter),
    };

    private IResult Status(HttpContext http)
    {
        // Reading a status needs no key; a key that is sent must be valid, and then only its own jobs are found.
        var auth = ApiKeys.Check(http.Request);
        if (auth.Verdict != ApiKeyVerdict.Missing && !auth.IsValid)
        {
            return Json(401, new JsonObject { ["error"] = "Invalid API token" });
        }

        var generation = _store.Find(http.Request.RouteValues["id"] as string ?? string.Empty);
        if (generation is null || (auth.IsValid && generation.Account != auth.Key))
        {
            return Json(404, new JsonObject { ["error"] = "Generation not found" });
        }

        return Json(200, StatusJson(generation, generation.Job.Poll(), recovery: false));
    }

    private IResult Recover(HttpContext http)
    {
        if (ApiKeys.Check(http.Request) is not { IsValid: true, Key: var user })
        {
            return Json(401, new JsonObject { ["error"] = "Invalid or missing API token" });
        }

        var generation = _store.FindByKey(user, http.Request.RouteValues["key"] as string ?? string.Empty);
        return generation is null
            ? Json(404, new JsonObject { ["success"] = false, ["code"] = "request_not_found" })
            : Json(200, StatusJson(generation, generation.Job.Current, recovery: true));
    }

    private static IResult Models(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, s-maxage=300";
        var models = new JsonArray([.. MeiGenEmulatedModel.All.Where(m => m.Listed).Select(m => (JsonNode)m.ToModelsJson())]);
        return Json(200, new JsonObject { ["success"] = true, ["models"] = models });
    }

    private JsonObject StatusJson(Generation generation, JobSnapshot snapshot, bool recovery)
    {
        var status = snapshot.State switch
        {
            JobState.Succeeded => "completed",
            JobState.Failed => "failed",
            JobState.Queued when Options.ReportPendingStatus => "pending",
            _ => "processing",
        };
        var video = generation.Model.IsVideo;
        var json = new JsonObject { ["jobId"] = generation.Id };
        if (recovery)
        {
            json["generationId"] = generation.Id;
            json["requestId"] = generation.IdempotencyKey;
        }

        json["status"] = status;
        IReadOnlyList<Uri>? urls = null;
        if (snapshot.State == JobState.Succeeded)
        {
            urls = generation.PublishOnce(() => Publish(generation));
        }
        else if (snapshot.State == JobState.Failed)
        {
            _store.RefundOnce(generation);
        }

        json["imageUrl"] = !video && urls is not null ? urls[0].AbsoluteUri : null;
        json["imageUrls"] = !video && urls is not null ? new JsonArray([.. urls.Select(u => (JsonNode)u.AbsoluteUri)]) : null;
        json["videoUrl"] = video && urls is not null ? urls[0].AbsoluteUri : null;
        json["mediaType"] = video ? "video" : "image";
        json["r2Key"] = urls is null ? null : R2Key(generation);
        json["error"] = snapshot.State == JobState.Failed
            ? snapshot.FailureMessage ?? (snapshot.FailureKind == JobFailureKind.ContentPolicy ? "Content policy violation" : "Generation failed")
            : null;
        if (snapshot.State == JobState.Succeeded)
        {
            json["aspectRatio"] = generation.AspectRatio;
        }

        if (recovery)
        {
            json["modelId"] = generation.Model.Id;
            json["creditsUsed"] = snapshot.State == JobState.Failed ? 0 : generation.Price;
        }

        if (Options.ExtendedStatusFields && !snapshot.IsTerminal)
        {
            var elapsed = Context.TimeProvider.GetUtcNow() - generation.Job.CreatedAt;
            json["pollHintSeconds"] = Math.Max(0, (int)Math.Ceiling((Options.ObservationWindow - elapsed).TotalSeconds));
            json["expectedWaitSeconds"] = generation.Model.ExpectedWaitSeconds;
        }

        return json;
    }

    private List<Uri> Publish(Generation generation)
    {
        var video = generation.Model.IsVideo;
        var count = generation.Model.IsMidjourney ? 4 : 1;
        var extension = video ? "mp4" : "png";
        var urls = new List<Uri>(count);
        for (var i = 0; i < count; i++)
        {
            var suffix = count == 1 ? string.Empty : $"-{(i + 1).ToString(CultureInfo.InvariantCulture)}";
            if (Options.UseDocsExampleUrls)
            {
                urls.Add(new Uri($"https://images.meigen.art/generations/xxx{suffix}.{extension}"));
                continue;
            }

            var model = count == 1 ? generation.Model.Id : $"{generation.Model.Id} #{i + 1}";
            var bytes = video
                ? SandboxMedia.CreateVideo("MeiGen", model, generation.Prompt, generation.AspectRatio, TimeSpan.FromSeconds(generation.Seconds))
                : SandboxImage.CreatePng("MeiGen", model, generation.Prompt, generation.AspectRatio);
            urls.Add(Context.PublishMedia($"meigen-{generation.Id}{suffix}.{extension}", bytes, video ? "video/mp4" : "image/png"));
        }

        generation.UsedDocsExampleUrls = Options.UseDocsExampleUrls;
        return urls;
    }

    private static string R2Key(Generation generation)
    {
        var extension = generation.Model.IsVideo ? "mp4" : "png";
        return generation.UsedDocsExampleUrls ? $"generations/xxx.{extension}" : $"generations/{generation.Id}.{extension}";
    }

    private string NextId() =>
        Options.FirstGenerationId is { Length: > 0 } first && Interlocked.Exchange(ref _firstIdUsed, 1) == 0 ? first : Guid.NewGuid().ToString("D");

    private JsonObject Credits(decimal purchased) => new()
    {
        ["daily"] = Options.DailyCredits,
        ["purchased"] = purchased,
        ["unlimited"] = false,
    };

    private static string Fingerprint(JsonObject body)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove("idempotencyKey");
        return copy.ToJsonString();
    }

    // MeiGen answers application/json without a charset.
    private static IResult Json(int status, JsonObject body) => EmulatorJson.Result(status, body, charset: false);

    private sealed class Generation(JobSlot slot, string fingerprint, MeiGenEmulatedModel model, string aspectRatio, int seconds) : EmulatedJob(slot)
    {
        /// <summary>Gets the length of a video generation, in seconds (the request's, else the model's default).</summary>
        public int Seconds { get; } = seconds;

        public string Fingerprint { get; } = fingerprint;

        public MeiGenEmulatedModel Model { get; } = model;

        public string AspectRatio { get; } = aspectRatio;

        /// <summary>Gets the purchased balance right after this generation was charged (a deduplicated resend repeats it).</summary>
        public decimal BalanceAfter { get; } = slot.BalanceAfter;

        public bool UsedDocsExampleUrls { get; set; }
    }
}
