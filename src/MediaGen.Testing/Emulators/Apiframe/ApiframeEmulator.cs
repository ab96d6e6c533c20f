using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// Where the docs are silent the emulator decides, and says so: error bodies are <c>{"error", "message"?, "details"?}</c>;
/// without <c>webhookEvents</c> it sends <c>completed</c> and <c>failed</c>; an idempotency key reused with a different
/// body returns the first job; models without a documented price cost <see cref="ApiframeEmulatorOptions.UndocumentedModelPrice"/>;
/// gpt-image-1.5 without a quality is charged as <c>auto</c>; Kling without a duration as 5 s.
/// </remarks>
public sealed class ApiframeEmulator : IVendorEmulator, IDisposable
{
    /// <summary>The ledger unit the emulator charges in.</summary>
    public const string Unit = "credits:apiframe";

    private static readonly string[] ImageModels =
    [
        "midjourney", "nano-banana", "nano-banana-pro", "nano-banana-2", "flux-1.1-pro", "flux-1.1-pro-ultra", "flux-2-pro", "flux-2-dev",
        "flux-2-flex", "flux-2-max", "seedream-3", "seedream-3.1", "seedream-4", "seedream-4.5", "seedream-5-lite", "ideogram-v2",
        "ideogram-v2-turbo", "ideogram-v2a", "ideogram-v2a-turbo", "ideogram-v3-balanced", "ideogram-v3-turbo", "ideogram-v3-quality",
        "ideogram-character", "imagen-3", "imagen-3-fast", "imagen-4", "imagen-4-ultra", "imagen-4-fast", "dall-e-3", "dall-e-2",
        "gpt-image-1.5", "kling-image", "qwen-image", "qwen-image-2", "qwen-image-2-pro", "wan-image-2.6", "wan-image-2.7",
        "wan-image-2.7-pro", "grok-imagine-image", "reve-create",
    ];

    private static readonly string[] VideoModels =
    [
        "grok-imagine-video", "hailuo-02", "hailuo-2.3", "hailuo-2.3-fast", "luma-ray-2", "luma-ray-flash-2", "kling-2.1",
        "kling-2.1-master", "kling-2.5-turbo-pro", "kling-2.6", "kling-3.0", "midjourney-video",
    ];

    private static readonly string[] Events = ["progress", "completed", "failed"];
    private static readonly string[] DefaultEvents = ["completed", "failed"];

    private readonly Lock _lock = new();
    private readonly Dictionary<(string ApiKey, string IdempotencyKey), string> _byKey = [];
    private readonly List<JobRecord> _order = [];
    private readonly Dictionary<string, JobRecord> _records = new(StringComparer.Ordinal);
    private readonly List<ApiframeWebhookDelivery> _deliveries = [];
    private readonly List<Task> _inFlight = [];
    private readonly HttpClient _webhookClient = new() { Timeout = TimeSpan.FromSeconds(30) };
    private EmulatorContext? _context;
    private int _peak;

    /// <summary>Initializes a new instance of the <see cref="ApiframeEmulator"/> class.</summary>
    /// <param name="options">The options; the default accepts <see cref="ApiframeEmulatorOptions.DefaultApiKey"/>.</param>
    public ApiframeEmulator(ApiframeEmulatorOptions? options = null)
    {
        Options = options ?? new ApiframeEmulatorOptions();
    }

    /// <inheritdoc/>
    public string Name => "Apiframe";

    /// <summary>Gets the options (changes apply to later requests).</summary>
    public ApiframeEmulatorOptions Options { get; }

    /// <summary>Gets the one-shot faults for the next webhook deliveries.</summary>
    public ApiframeWebhookFaults Webhooks { get; } = new();

    /// <summary>Gets every webhook delivery made so far.</summary>
    public IReadOnlyList<ApiframeWebhookDelivery> Deliveries
    {
        get
        {
            lock (_lock)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Gets the most unfinished jobs there ever were at once.</summary>
    public int PeakConcurrentJobs => Volatile.Read(ref _peak);

    /// <summary>Computes the signature the emulator sends for a body under its signing options.</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="body">The body bytes.</param>
    /// <param name="keyForm">The key form.</param>
    /// <param name="encoding">The digest encoding.</param>
    /// <returns>The signature header value.</returns>
    public static string Sign(string apiKey, ReadOnlySpan<byte> body, ApiframeWebhookKeyForm keyForm = ApiframeWebhookKeyForm.HexString, ApiframeSignatureEncoding encoding = ApiframeSignatureEncoding.Hex)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
        var key = keyForm == ApiframeWebhookKeyForm.RawBytes ? digest : Encoding.UTF8.GetBytes(Convert.ToHexStringLower(digest));
        var mac = HMACSHA256.HashData(key, body);
        return encoding == ApiframeSignatureEncoding.Base64 ? Convert.ToBase64String(mac) : Convert.ToHexStringLower(mac);
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes, EmulatorContext context)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        routes.MapPost("/v2/images/generate", (Delegate)((HttpContext http) => GenerateAsync(http, MediaKind.Image)));
        routes.MapPost("/v2/videos/generate", (Delegate)((HttpContext http) => GenerateAsync(http, MediaKind.Video)));
        routes.MapGet("/v2/jobs/{id}", (HttpContext http, string id) => GetJob(http, id));
        routes.MapGet("/v2/jobs", (Delegate)((HttpContext http) => ListJobs(http)));
        routes.MapGet("/v2/me", (Delegate)((HttpContext http) => Me(http)));
    }

    /// <summary>Looks at every job with a webhook and sends the deliveries its state calls for; waits for all sends.</summary>
    /// <returns>A task that completes when every delivery so far has been answered (or failed).</returns>
    public async Task PumpWebhooksAsync()
    {
        JobRecord[] all;
        lock (_lock)
        {
            all = [.. _order];
        }

        foreach (var record in all)
        {
            Observe(record, record.Job.Current);
        }

        await WhenDeliveriesIdleAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until every webhook delivery started so far has finished.</summary>
    /// <returns>A task.</returns>
    public async Task WhenDeliveriesIdleAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_lock)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
                pending = [.. _inFlight];
            }

            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _webhookClient.Dispose();

    private EmulatorContext Context => _context ?? throw new InvalidOperationException("The emulator is not mapped on a host.");

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

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException ex)
        {
            return Validation([("body", $"Malformed JSON: {ex.Message}")]);
        }

        if (body is null)
        {
            return Validation([("body", "Expected a JSON object")]);
        }

        var errors = new List<(string Field, string Message)>();
        var prompt = Str(body["prompt"]);
        var limit = kind == MediaKind.Video ? 4000 : 2000;
        if (prompt is null || prompt.Length is < 1 || prompt.Length > limit)
        {
            errors.Add(("prompt", $"Required, 1–{limit.ToString("N0", CultureInfo.InvariantCulture)} characters"));
        }

        var model = Str(body["model"]);
        var known = kind == MediaKind.Video ? VideoModels : ImageModels;
        if (model is null || !known.Contains(model, StringComparer.Ordinal))
        {
            errors.Add(("model", model is null ? "Required" : $"Unknown {(kind == MediaKind.Video ? "video" : "image")} model '{model}'"));
        }

        Uri? webhookUrl = null;
        if (body["webhookUrl"] is { } urlNode)
        {
            if (!Uri.TryCreate(Str(urlNode), UriKind.Absolute, out webhookUrl) || (webhookUrl.Scheme != Uri.UriSchemeHttp && webhookUrl.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add(("webhookUrl", "Must be an absolute http(s) URL"));
            }
            else if (!webhookUrl.IsLoopback)
            {
                errors.Add(("webhookUrl", "The emulator delivers webhooks to loopback addresses only"));
            }
        }

        var events = DefaultEvents;
        if (body["webhookEvents"] is { } eventsNode)
        {
            if (eventsNode is not JsonArray array || array.Any(e => Str(e) is not { } s || !Events.Contains(s, StringComparer.Ordinal)))
            {
                errors.Add(("webhookEvents", "Must be an array of \"progress\", \"completed\", \"failed\""));
            }
            else
            {
                events = [.. array.Select(e => Str(e)!)];
            }
        }

        var parameters = body.Where(p => p.Key.EndsWith("Params", StringComparison.Ordinal)).ToList();
        foreach (var (key, value) in parameters)
        {
            if (value is not JsonObject)
            {
                errors.Add((key, "Must be an object"));
            }
        }

        var p = parameters.Select(x => x.Value).OfType<JsonObject>().FirstOrDefault() ?? [];
        var count = 1;
        if (model == "gpt-image-1.5" && p["number_of_images"] is { } n)
        {
            if (Num(n) is not { } c || c < 1 || c > 10 || c != decimal.Truncate(c))
            {
                errors.Add(("gptImageParams.number_of_images", "Must be an integer 1–10"));
            }
            else
            {
                count = (int)c;
            }
        }

        if (model is not null && model.StartsWith("kling-", StringComparison.Ordinal) && kind == MediaKind.Video && p["duration"] is { } d)
        {
            var ok = Num(d) is { } s && s == decimal.Truncate(s) && (model == "kling-3.0" ? s is >= 3 and <= 15 : s is 5 or 10);
            if (!ok)
            {
                errors.Add(("klingParams.duration", model == "kling-3.0" ? "Must be 3–15" : "Must be 5 or 10"));
            }
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var price = Price(model!, p, count);
        JobRecord record;
        lock (_lock)
        {
            if (idempotencyKey is not null && _byKey.TryGetValue((apiKey, idempotencyKey), out var existing))
            {
                // Same key: the same job, not charged again.
                return Accepted(_records[existing]);
            }

            if (Options.EnforceConcurrency && Unfinished(apiKey) >= Options.MaxConcurrentJobs)
            {
                return Error(429, "Too many concurrent jobs", $"Your plan allows {Options.MaxConcurrentJobs} concurrent jobs");
            }

            if (!Context.Ledger.TryDebit(Unit, price, out var balance))
            {
                return Json(402, new JsonObject
                {
                    ["error"] = "Insufficient credits",
                    ["message"] = $"This generation costs {price.ToString(CultureInfo.InvariantCulture)} credits and your balance is {balance.ToString(CultureInfo.InvariantCulture)}",
                    ["balance"] = balance,
                    ["cost"] = price,
                });
            }

            var id = Guid.NewGuid().ToString("D");
            var job = Context.Jobs.Create(id, prompt);
            record = new JobRecord(id, apiKey, model!, kind, prompt!, idempotencyKey, price, count, webhookUrl, events, job);
            _records.Add(id, record);
            _order.Add(record);
            if (idempotencyKey is not null)
            {
                _byKey[(apiKey, idempotencyKey)] = id;
            }

            Context.Ledger.Accept(id, idempotencyKey, price, Unit, prompt);
            _peak = Math.Max(_peak, Unfinished(apiKey));
        }

        ArmTimers(record);
        return Accepted(record);
    }

    private IResult GetJob(HttpContext http, string id)
    {
        if (Authenticate(http, out var apiKey) is { } denied)
        {
            return denied;
        }

        JobRecord? record;
        lock (_lock)
        {
            _records.TryGetValue(id, out record);
        }

        if (record is null || record.ApiKey != apiKey)
        {
            return Error(404, "Job not found");
        }

        var snapshot = record.Job.Poll();
        Observe(record, snapshot);
        return Json(200, ToJson(record, snapshot));
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
        List<JobRecord> mine;
        lock (_lock)
        {
            mine = [.. _order.Where(r => r.ApiKey == apiKey).Reverse()];
        }

        var matching = mine
            .Select(r => (Record: r, Snapshot: r.Job.Current))
            .Where(x => (status is null || WireStatus(x.Snapshot.State) == status)
                && (model is null || x.Record.Model == model)
                && (search is null || x.Record.Id == search))
            .ToList();
        var page = matching.Skip(start).Take(limit).ToList();
        foreach (var (record, snapshot) in page)
        {
            Observe(record, snapshot);
        }

        var hasMore = start + page.Count < matching.Count;
        return Json(200, new JsonObject
        {
            ["jobs"] = new JsonArray([.. page.Select(x => (JsonNode)ToJson(x.Record, x.Snapshot))]),
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
        apiKey = http.Request.Headers["X-API-Key"].FirstOrDefault() ?? string.Empty;
        if (apiKey.Length == 0)
        {
            return Error(401, "API key is required");
        }

        if (Options.InactiveApiKeys.Contains(apiKey))
        {
            return Error(403, "API key is inactive");
        }

        return Options.ApiKeys.Contains(apiKey) ? null : Error(401, "Invalid API key");
    }

    private int Unfinished(string apiKey) => _order.Count(r => r.ApiKey == apiKey && !r.Job.Current.IsTerminal);

    private decimal Price(string model, JsonObject p, int count)
    {
        var duration = Num(p["duration"]) is { } d ? (int)d : 5;
        var audio = p["generate_audio"] is JsonValue a && a.GetValueKind() == JsonValueKind.False ? false : p["generate_audio"] is JsonValue t && t.GetValueKind() == JsonValueKind.True;
        var mode = Str(p["mode"]) ?? "pro";
        return model switch
        {
            "midjourney" => 16,
            "qwen-image-2" => 3,
            "gpt-image-1.5" => (Str(p["quality"]) ?? "auto") switch { "low" => 4, "medium" => 9, _ => 24 } * count,
            "kling-2.6" => (duration, p["generate_audio"] is null || audio) switch { (10, true) => 40, (10, false) => 25, (_, true) => 25, _ => 15 },
            "kling-2.1" => (mode, duration) switch { ("standard", 10) => 5, ("standard", _) => 3, (_, 10) => 10, _ => 5 },
            "kling-2.5-turbo-pro" => duration == 10 ? 7 : 4,
            "kling-3.0" => (mode == "standard" ? (audio ? 4 : 3) : (audio ? 7 : 5)) * duration,
            _ => Options.UndocumentedModelPrice,
        };
    }

    private void ArmTimers(JobRecord record)
    {
        if (record.WebhookUrl is null)
        {
            return;
        }

        // Time-scripted jobs change state without polls: wake up when they start running and when they finish.
        var script = record.Job.Script;
        var times = new List<TimeSpan>();
        if (script.QueuedDuration > TimeSpan.Zero)
        {
            times.Add(script.QueuedDuration);
        }

        if (script.CompletionDuration is { } done)
        {
            times.Add(done);
        }

        foreach (var due in times)
        {
            // The state is a CancellationTokenSource so FakeClock.DriveAsync treats this timer as a background
            // deadline rather than the code under test going to sleep: the clock advances only when the client really
            // waits, and this timer still fires when the clock passes it.
            var marker = new CancellationTokenSource();
            record.Timers.Add(Context.TimeProvider.CreateTimer(
                _ =>
                {
                    Observe(record, record.Job.Current);
                    marker.Dispose();
                },
                marker,
                due,
                Timeout.InfiniteTimeSpan));
        }
    }

    /// <summary>Applies what a state implies: a refund once failed, and the webhook deliveries not yet sent.</summary>
    private void Observe(JobRecord record, JobSnapshot snapshot)
    {
        var deliveries = new List<(string Event, JsonObject Payload)>();
        lock (_lock)
        {
            if (snapshot.State == JobState.Failed && !record.Refunded)
            {
                record.Refunded = true;
                Context.Ledger.Refund(record.Id);
                Context.Ledger.Credit(Unit, record.Price);
            }

            if (record.WebhookUrl is null)
            {
                return;
            }

            if (snapshot.State == JobState.Running && snapshot.Progress != record.LastNotifiedProgress && !record.NotifiedTerminal && record.Events.Contains("progress"))
            {
                record.LastNotifiedProgress = snapshot.Progress;
                deliveries.Add(("progress", new JsonObject
                {
                    ["event"] = "progress", ["jobId"] = record.Id, ["status"] = "PROCESSING", ["progress"] = snapshot.Progress, ["model"] = record.Model,
                }));
            }

            if (snapshot.IsTerminal && !record.NotifiedTerminal)
            {
                record.NotifiedTerminal = true;
                if (snapshot.State == JobState.Succeeded && record.Events.Contains("completed"))
                {
                    deliveries.Add(("completed", new JsonObject
                    {
                        ["event"] = "completed",
                        ["jobId"] = record.Id,
                        ["status"] = "COMPLETED",
                        ["progress"] = 100,
                        ["result"] = Result(record),
                        ["model"] = record.Model,
                        ["creditCost"] = record.Price,
                        ["completedAt"] = Iso(record.Job.FinishedAt),
                    }));
                }
                else if (snapshot.State == JobState.Failed && record.Events.Contains("failed"))
                {
                    deliveries.Add(("failed", new JsonObject
                    {
                        ["event"] = "failed", ["jobId"] = record.Id, ["status"] = "FAILED", ["error"] = FailureText(snapshot), ["model"] = record.Model,
                    }));
                }
            }

            foreach (var (ev, payload) in deliveries)
            {
                record.WebhookSent = true;
                _inFlight.Add(DeliverAsync(record, ev, payload.ToJsonString()));
            }
        }
    }

    private async Task DeliverAsync(JobRecord record, string ev, string body)
    {
        var fault = Webhooks.Take();
        if (fault.Drop)
        {
            return;
        }

        if (fault.Delay is { } delay)
        {
            await Task.Delay(delay, Context.TimeProvider).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = fault.Forge
            ? Sign("afk_forged_" + record.ApiKey, bytes, Options.WebhookKeyForm, Options.SignatureEncoding)
            : Sign(record.ApiKey, bytes, Options.WebhookKeyForm, Options.SignatureEncoding);
        for (var i = 0; i < fault.Copies; i++)
        {
            int? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, record.WebhookUrl) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation("X-Webhook-Signature", signature);
                request.Headers.TryAddWithoutValidation("X-Webhook-Event", ev);
                using var response = await _webhookClient.SendAsync(request).ConfigureAwait(false);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            lock (_lock)
            {
                _deliveries.Add(new ApiframeWebhookDelivery(record.Id, ev, record.WebhookUrl!, body, signature, fault.Forge, status, Context.TimeProvider.GetUtcNow()));
            }
        }
    }

    private JsonObject ToJson(JobRecord record, JobSnapshot snapshot)
    {
        var failed = snapshot.State == JobState.Failed;
        return new JsonObject
        {
            ["id"] = record.Id,
            ["status"] = WireStatus(snapshot.State),
            ["model"] = record.Model,
            ["progress"] = snapshot.Progress,
            ["result"] = snapshot.State == JobState.Succeeded ? Result(record) : null,
            ["error"] = failed ? FailureText(snapshot) : null,
            ["creditCost"] = failed ? 0 : record.Price,
            ["webhookStatus"] = record.WebhookSent ? "sent" : null,
            ["createdAt"] = Iso(record.Job.CreatedAt),
            ["completedAt"] = snapshot.IsTerminal ? Iso(record.Job.FinishedAt) : null,
        };
    }

    private JsonNode Result(JobRecord record)
    {
        var urls = record.Media ??= Publish(record);
        if (Options.ResultShape == ApiframeResultShape.UrlString)
        {
            return JsonValue.Create(urls[0].AbsoluteUri);
        }

        var list = new JsonArray([.. urls.Select(u => (JsonNode)JsonValue.Create(u.AbsoluteUri))]);
        if (record.Kind == MediaKind.Video)
        {
            return record.Model == "midjourney-video" ? new JsonObject { ["videos"] = list } : new JsonObject { ["videoUrl"] = urls[0].AbsoluteUri };
        }

        var result = new JsonObject { ["images"] = list };
        if (record.Model == "midjourney")
        {
            result["gridUrl"] = Context.PublishMedia($"{record.Id}-grid.png", SandboxImage.CreatePng(record.Prompt + " grid", 64, 64), SandboxImage.ContentType).AbsoluteUri;
        }

        return result;
    }

    private List<Uri> Publish(JobRecord record)
    {
        var n = record.Model is "midjourney" or "midjourney-video" ? 4 : record.Count;
        var urls = new List<Uri>(n);
        for (var i = 0; i < n; i++)
        {
            urls.Add(record.Kind == MediaKind.Video
                ? Context.PublishMedia($"{record.Id}-{i}.mp4", SandboxMedia.CreateVideoPlaceholder(record.Prompt), SandboxMedia.VideoContentType)
                : Context.PublishMedia($"{record.Id}-{i}.png", SandboxImage.CreatePng($"{record.Prompt} #{i}", 64, 64), SandboxImage.ContentType));
        }

        return urls;
    }

    private static string FailureText(JobSnapshot snapshot) => snapshot.FailureKind == JobFailureKind.ContentPolicy
        ? "Provider returned an error: content policy violation"
        : "Provider returned an error: " + (snapshot.FailureMessage ?? "internal error");

    private static string WireStatus(JobState state) => state switch
    {
        JobState.Queued => "QUEUED",
        JobState.Running => "PROCESSING",
        JobState.Succeeded => "COMPLETED",
        _ => "FAILED",
    };

    private static IResult Accepted(JobRecord record) => Json(202, new JsonObject { ["jobId"] = record.Id, ["status"] = "QUEUED" });

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

    private static IResult Json(int status, JsonObject body) => Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);

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

    private static string? Iso(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static decimal? Num(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private enum MediaKind
    {
        Image,
        Video,
    }

    private sealed class JobRecord(string id, string apiKey, string model, MediaKind kind, string prompt, string? key, decimal price, int count, Uri? webhookUrl, string[] events, ScriptedJob job)
    {
        public string Id { get; } = id;

        public string ApiKey { get; } = apiKey;

        public string Model { get; } = model;

        public MediaKind Kind { get; } = kind;

        public string Prompt { get; } = prompt;

        public string? IdempotencyKey { get; } = key;

        public decimal Price { get; } = price;

        public int Count { get; } = count;

        public Uri? WebhookUrl { get; } = webhookUrl;

        public string[] Events { get; } = events;

        public ScriptedJob Job { get; } = job;

        public List<Uri>? Media { get; set; }

        public bool Refunded { get; set; }

        public bool WebhookSent { get; set; }

        public bool NotifiedTerminal { get; set; }

        public int LastNotifiedProgress { get; set; } = -1;

        public List<ITimer> Timers { get; } = [];
    }
}
