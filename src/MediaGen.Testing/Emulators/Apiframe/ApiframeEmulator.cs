using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaGen.Testing.Emulators.Apiframe;

/// <summary>
/// Apiframe API v2 (the unified Jobs API) on loopback, written from the vendor docs: <c>POST /v2/images/generate</c>,
/// <c>POST /v2/videos/generate</c> (202 <c>{jobId, status: "QUEUED"}</c>, deduplicated by <c>Idempotency-Key</c>: same key,
/// same job, one charge), <c>GET /v2/jobs/{id}</c>, <c>GET /v2/jobs</c> (cursor paging), <c>GET /v2/me</c>; credits debited
/// on accept and refunded on failure (<c>creditCost</c> 0); 400/401/402/403/404/503 bodies; signed webhook deliveries to
/// a loopback <c>webhookUrl</c>, with duplicated, delayed, forged or lost deliveries on demand (<see cref="Webhooks"/>).
/// </summary>
/// <remarks>
/// <para>
/// Where the docs are silent the emulator decides, and says so: error bodies are <c>{"error", "message"?, "details"?}</c>;
/// without <c>webhookEvents</c> it sends <c>completed</c> and <c>failed</c>; an idempotency key reused with a different
/// body returns the first job; models without a documented price cost <see cref="ApiframeEmulatorOptions.UndocumentedModelPrice"/>;
/// gpt-image-1.5 without a quality is charged as <c>auto</c>; Kling without a duration as 5 s.
/// </para>
/// <para>Keys travel in <c>X-API-Key</c> (<see cref="ApiKeys"/>: any key of the documented form <c>afk_…</c> unless given a key set). Point a provider at the host's root.</para>
/// </remarks>
public sealed class ApiframeEmulator : IEmulatedApi, IDisposable
{
    /// <summary>The ledger unit the emulator charges in.</summary>
    public const string Unit = "credits:apiframe";

    /// <summary>A key the emulator accepts by default (as is any other <c>afk_…</c> key unless <see cref="ApiKeys"/> lists keys).</summary>
    public const string DefaultApiKey = "afk_emulator_0123456789abcdef";

    /// <summary>The path of the paid image submit.</summary>
    public const string SubmitPath = "/v2/images/generate";

    /// <summary>The path of the paid video submit.</summary>
    public const string VideoSubmitPath = "/v2/videos/generate";

    private const string KeyPrefix = "afk_";

    private readonly EmulatedJobStore<ApiframeJob> _store;
    private readonly ApiframeWebhookSender _webhooks;
    private EmulatorContext? _context;
    private int _peak;

    /// <summary>Initializes a new instance of the <see cref="ApiframeEmulator"/> class.</summary>
    /// <param name="options">The options; the defaults when null.</param>
    public ApiframeEmulator(ApiframeEmulatorOptions? options = null)
    {
        Options = options ?? new ApiframeEmulatorOptions();
        _store = new(() => Context, Unit);
        _webhooks = new(() => Context, Options, Result);
    }

    /// <inheritdoc/>
    public string Name => "Apiframe";

    /// <summary>Gets the options (changes apply to later requests).</summary>
    public ApiframeEmulatorOptions Options { get; }

    /// <summary>Gets the keys the emulator accepts (<c>X-API-Key</c>); keys in <see cref="EmulatorApiKeys.Inactive"/> are answered 403 "API key is inactive".</summary>
    /// <value>The default accepts any key that starts with <c>afk_</c> ("API keys always start with the prefix afk_").</value>
    public EmulatorApiKeys ApiKeys { get; } = new("X-API-Key", bearer: false, KeyPrefix);

    /// <summary>Gets the one-shot faults for the next webhook deliveries.</summary>
    public ApiframeWebhookFaults Webhooks => _webhooks.Faults;

    /// <summary>Gets every webhook delivery made so far.</summary>
    public IReadOnlyList<ApiframeWebhookDelivery> Deliveries => _webhooks.Deliveries;

    /// <summary>
    /// Gets what generate requests carried that the docs do not name (ignored, as Apiframe plausibly would): body keys
    /// other than the common fields and the model's documented parameters object, fields of that object its page does not
    /// list, a non-JSON <c>Content-Type</c>.
    /// </summary>
    public UndocumentedFieldLog UndocumentedFields { get; } = new();

    /// <summary>Gets the most unfinished jobs there ever were at once (counted at each accepted submit while <see cref="ApiframeEmulatorOptions.TrackPeakConcurrency"/> is on; 0 otherwise).</summary>
    public int PeakConcurrentJobs => Volatile.Read(ref _peak);

    string IEmulatedApi.SubmitPath => SubmitPath;

    string IEmulatedApi.DefaultApiKey => DefaultApiKey;

    private EmulatorContext Context => _context ?? throw new InvalidOperationException("The emulator is not mapped on a host.");

    /// <summary>Gets the address to configure as the provider's base address: the host's root.</summary>
    /// <param name="host">The running host.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is <see langword="null"/>.</exception>
    public static Uri ProviderBaseAddress(EmulatorHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.BaseAddress;
    }

    Uri IEmulatedApi.ProviderBaseAddress(EmulatorHost host) => ProviderBaseAddress(host);

    /// <summary>Computes the signature the emulator sends for a body under its signing options.</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="body">The body bytes.</param>
    /// <param name="keyForm">The key form.</param>
    /// <param name="encoding">The digest encoding.</param>
    /// <returns>The signature header value.</returns>
    public static string Sign(string apiKey, ReadOnlySpan<byte> body, ApiframeWebhookKeyForm keyForm = ApiframeWebhookKeyForm.HexString, ApiframeSignatureEncoding encoding = ApiframeSignatureEncoding.Hex) =>
        ApiframeWebhookSender.Sign(apiKey, body, keyForm, encoding);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes, EmulatorContext context)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        routes.MapPost(SubmitPath, (Delegate)((HttpContext http) => GenerateAsync(http, MediaKind.Image)));
        routes.MapPost(VideoSubmitPath, (Delegate)((HttpContext http) => GenerateAsync(http, MediaKind.Video)));
        routes.MapGet("/v2/jobs/{id}", (HttpContext http, string id) => GetJob(http, id));
        routes.MapGet("/v2/jobs", (Delegate)((HttpContext http) => ListJobs(http)));
        routes.MapGet("/v2/me", (Delegate)((HttpContext http) => Me(http)));
    }

    /// <summary>Looks at every job with a webhook and sends the deliveries its state calls for; waits for all sends.</summary>
    /// <returns>A task that completes when every delivery so far has been answered (or failed).</returns>
    public async Task PumpWebhooksAsync()
    {
        foreach (var job in _store.All)
        {
            Observe(job, job.Job.Current);
        }

        await WhenDeliveriesIdleAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until every webhook delivery started so far has finished.</summary>
    /// <returns>A task.</returns>
    public Task WhenDeliveriesIdleAsync() => _webhooks.WhenIdleAsync();

    /// <inheritdoc/>
    public void Dispose() => _webhooks.Dispose();

    private async Task<IResult> GenerateAsync(HttpContext http, MediaKind kind)
    {
        if (Authenticate(http, out var apiKey) is { } denied)
        {
            return denied;
        }

        if (Options.QueueDown)
        {
            return Error(503, "Service unavailable", "Job queue is temporarily down");
        }

        UndocumentedFields.CheckContentType(http.Request);
        var (body, parseError) = await EmulatorJson.ReadObjectAsync(http).ConfigureAwait(false);
        if (body is null)
        {
            return Validation([("body", parseError is null ? "Expected a JSON object" : $"Malformed JSON: {parseError}")]);
        }

        var (submit, errors) = ApiframeEmulatorValidation.Check(body, kind, UndocumentedFields);
        if (submit is null)
        {
            return Validation(errors);
        }

        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var price = ApiframeEmulatorModels.Price(submit.Model, submit.Parameters, submit.Count, Options.UndocumentedModelPrice);
        var submission = _store.Submit(apiKey, idempotencyKey, price, submit.Prompt,
            slot => new ApiframeJob(slot, submit),
            admit: jobs => !Options.EnforceConcurrency || Unfinished(jobs, apiKey) < Options.MaxConcurrentJobs,
            accepted: Options.TrackPeakConcurrency ? jobs => _peak = Math.Max(_peak, Unfinished(jobs, apiKey)) : null);
        switch (submission.Outcome)
        {
            case SubmitOutcome.Duplicate:
                // Same key: the same job, not charged again.
                return Accepted(submission.Job!);

            case SubmitOutcome.Refused:
                return Error(429, "Too many concurrent jobs", $"Your plan allows {Options.MaxConcurrentJobs} concurrent jobs");

            case SubmitOutcome.InsufficientFunds:
                return Json(402, new JsonObject
                {
                    ["error"] = "Insufficient credits",
                    ["message"] = $"This generation costs {price.ToString(CultureInfo.InvariantCulture)} credits and your balance is {submission.Balance.ToString(CultureInfo.InvariantCulture)}",
                    ["balance"] = submission.Balance,
                    ["cost"] = price,
                });

            default:
                var job = submission.Job!;
                _webhooks.ArmTimers(job, () => Observe(job, job.Job.Current));
                return Accepted(job);
        }
    }

    private IResult GetJob(HttpContext http, string id)
    {
        if (Authenticate(http, out var apiKey) is { } denied)
        {
            return denied;
        }

        var job = _store.Find(id);
        if (job is null || job.Account != apiKey)
        {
            return Error(404, "Job not found");
        }

        var snapshot = job.Job.Poll();
        Observe(job, snapshot);
        return Json(200, ToJson(job, snapshot));
    }

    private IResult ListJobs(HttpContext http)
    {
        if (Authenticate(http, out var apiKey) is { } denied)
        {
            return denied;
        }

        var q = http.Request.Query;
        var limit = 20;
        if (q["limit"].FirstOrDefault() is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return Validation([("limit", "Must be 1–100")]);
        }

        var start = 0;
        if (q["cursor"].FirstOrDefault() is { } cursor && !TryReadCursor(cursor, out start))
        {
            return Validation([("cursor", "Invalid cursor")]);
        }

        var status = q["status"].FirstOrDefault();
        var model = q["model"].FirstOrDefault();
        var search = q["search"].FirstOrDefault();
        var matching = _store.All.Where(j => j.Account == apiKey).Reverse()
            .Select(j => (Job: j, Snapshot: j.Job.Current))
            .Where(x => (status is null || ApiframeEmulatorModels.WireStatus(x.Snapshot.State) == status)
                && (model is null || x.Job.Model == model)
                && (search is null || x.Job.Id == search))
            .ToList();
        var page = matching.Skip(start).Take(limit).ToList();
        foreach (var (job, snapshot) in page)
        {
            Observe(job, snapshot);
        }

        var hasMore = start + page.Count < matching.Count;
        return Json(200, new JsonObject
        {
            ["jobs"] = new JsonArray([.. page.Select(x => (JsonNode)ToJson(x.Job, x.Snapshot))]),
            ["nextCursor"] = hasMore ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{start + page.Count}")) : null,
            ["hasMore"] = hasMore,
        });
    }

    private IResult Me(HttpContext http)
    {
        if (Authenticate(http, out _) is { } denied)
        {
            return denied;
        }

        return Json(200, new JsonObject
        {
            ["user"] = new JsonObject { ["id"] = "usr_emulator", ["email"] = "dev@example.com", ["role"] = "ADMIN" },
            ["team"] = new JsonObject
            {
                ["id"] = "team_emulator",
                ["name"] = "Emulator Team",
                ["plan"] = "pro",
                ["credits"] = Context.Ledger.GetBalance(Unit),
                ["maxConcurrentJobs"] = Options.MaxConcurrentJobs,
            },
            ["apiKey"] = new JsonObject { ["id"] = "key_emulator", ["name"] = "Emulator key" },
        });
    }

    private IResult? Authenticate(HttpContext http, out string apiKey)
    {
        var check = ApiKeys.Check(http.Request);
        apiKey = check.Key;
        return check.Verdict switch
        {
            ApiKeyVerdict.Valid => null,
            ApiKeyVerdict.Missing => Error(401, "API key is required"),
            ApiKeyVerdict.Inactive => Error(403, "API key is inactive"),
            _ => Error(401, "Invalid API key"),
        };
    }

    private static int Unfinished(IEnumerable<ApiframeJob> jobs, string apiKey) => jobs.Count(j => j.Account == apiKey && !j.Job.Current.IsTerminal);

    /// <summary>Applies what a state implies: a refund once failed, and the webhook deliveries not yet sent.</summary>
    private void Observe(ApiframeJob job, JobSnapshot snapshot)
    {
        if (snapshot.State == JobState.Failed)
        {
            _store.RefundOnce(job);
        }

        _webhooks.Notify(job, snapshot);
    }

    private JsonObject ToJson(ApiframeJob job, JobSnapshot snapshot)
    {
        var failed = snapshot.State == JobState.Failed;
        return new JsonObject
        {
            ["id"] = job.Id,
            ["status"] = ApiframeEmulatorModels.WireStatus(snapshot.State),
            ["model"] = job.Model,
            ["progress"] = snapshot.Progress,
            ["result"] = snapshot.State == JobState.Succeeded ? Result(job) : null,
            ["error"] = failed ? ApiframeEmulatorModels.FailureText(snapshot) : null,
            ["creditCost"] = failed ? 0 : job.Price,
            ["webhookStatus"] = job.WebhookSent ? "sent" : null,
            ["createdAt"] = ApiframeEmulatorModels.Timestamp(job.Job.CreatedAt),
            ["completedAt"] = snapshot.IsTerminal ? ApiframeEmulatorModels.Timestamp(job.Job.FinishedAt) : null,
        };
    }

    private JsonNode Result(ApiframeJob job)
    {
        var urls = job.PublishOnce(() => Publish(job));
        if (Options.ResultShape == ApiframeResultShape.UrlString)
        {
            return JsonValue.Create(urls[0].AbsoluteUri);
        }

        var list = new JsonArray([.. urls.Select(u => (JsonNode)JsonValue.Create(u.AbsoluteUri))]);
        if (job.Submit.Kind == MediaKind.Video)
        {
            return job.Model == "midjourney-video" ? new JsonObject { ["videos"] = list } : new JsonObject { ["videoUrl"] = urls[0].AbsoluteUri };
        }

        var result = new JsonObject { ["images"] = list };
        if (job.Model == "midjourney")
        {
            result["gridUrl"] = Context.PublishMedia($"{job.Id}-grid.png", SandboxImage.CreatePng("Apiframe", job.Model + " (grid)", job.Prompt, AspectRatio(job)), SandboxImage.ContentType).AbsoluteUri;
        }

        return result;
    }

    private List<Uri> Publish(ApiframeJob job)
    {
        var n = ApiframeEmulatorModels.OutputCount(job.Model, job.Submit.Count);
        var urls = new List<Uri>(n);
        var ratio = AspectRatio(job);
        for (var i = 0; i < n; i++)
        {
            var model = n == 1 ? job.Model : $"{job.Model} #{i + 1}";
            urls.Add(job.Submit.Kind == MediaKind.Video
                ? Context.PublishMedia($"{job.Id}-{i}.mp4", SandboxMedia.CreateVideo("Apiframe", model, job.Prompt, ratio, TimeSpan.FromSeconds((double)(EmulatorJson.Decimal(job.Submit.Parameters["duration"]) ?? 5))), SandboxMedia.VideoContentType)
                : Context.PublishMedia($"{job.Id}-{i}.png", SandboxImage.CreatePng("Apiframe", model, job.Prompt, ratio), SandboxImage.ContentType));
        }

        return urls;
    }

    // Each model's parameters object names its ratio its own way (aspect_ratio, aspectRatio); any of them will do.
    private static string? AspectRatio(ApiframeJob job) =>
        job.Submit.Parameters.Where(p => p.Key.Contains("aspect", StringComparison.OrdinalIgnoreCase)).Select(p => EmulatorJson.String(p.Value)).FirstOrDefault(v => v is not null);

    private static IResult Accepted(ApiframeJob job) => Json(202, new JsonObject { ["jobId"] = job.Id, ["status"] = "QUEUED" });

    private static IResult Validation(IEnumerable<(string Field, string Message)> errors) => Json(400, new JsonObject
    {
        ["error"] = "Validation error",
        ["details"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["field"] = e.Field, ["message"] = e.Message })]),
    });

    private static IResult Error(int status, string error, string? message = null)
    {
        var body = new JsonObject { ["error"] = error };
        if (message is not null)
        {
            body["message"] = message;
        }

        return Json(status, body);
    }

    private static IResult Json(int status, JsonObject body) => EmulatorJson.Result(status, body);

    private static bool TryReadCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("offset:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
