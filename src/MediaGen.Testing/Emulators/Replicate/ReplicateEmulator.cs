using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGen.Testing.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaGen.Testing.Emulators.Replicate;

/// <summary>
/// The Replicate HTTP API (<c>/v1</c>) on loopback, written from the reference page
/// (shared/vendor-docs/replicate-http-api.md, cited by section and source label) and not from the client: creates through
/// the official-model endpoint and by version, get, cancel, the paginated list with <c>created_after</c> /
/// <c>created_before</c>, <c>Prefer: wait</c>, <c>Cancel-After</c> deadlines ending <c>canceled</c> (charged) or
/// <c>aborted</c> (not charged), a billing ledger charged when a prediction ends, outputs served by the emulator and
/// removed an hour after completion, signed webhooks with <c>webhook_events_filter</c>, the documented rate limits and
/// problem-details error bodies.
/// </summary>
/// <remarks>
/// <para>
/// Point a client at <c>{host.BaseAddress}v1/</c> (see <see cref="ProviderBaseAddress"/>, the R0 server
/// <c>https://api.replicate.com/v1</c>) with <c>Authorization: Bearer {token}</c> (<see cref="ApiKeys"/>: any token of the
/// documented form <c>r8_…</c> unless given a key set). Lifecycles follow the host's <see cref="JobScripts"/>: each
/// <c>GET /v1/predictions/{id}</c> is one poll, and a waiting create polls once per
/// <see cref="ReplicateEmulatorOptions.SyncPollInterval"/>. Charges go to the host's <see cref="BillingLedger"/> in
/// <see cref="Unit"/> when a prediction ends (Replicate bills after the fact, D10); set the prepaid balance with
/// <c>host.Ledger.SetBalance(ReplicateEmulator.Unit, 4m)</c>.
/// </para>
/// <para>
/// Where the reference says NOT FOUND the emulator decides, and says so at the spot ("guess"): the bodies of 402, 404
/// and 422; cancel of a finished prediction (200, unchanged); a removed output file (404); <c>input</c> after removal
/// (<c>{}</c>); the final webhook of an <c>aborted</c> prediction (sent, <see cref="ReplicateEmulatorOptions.SendAbortedWebhook"/>).
/// </para>
/// </remarks>
public sealed class ReplicateEmulator : IEmulatedApi, IDisposable
{
    /// <summary>The ledger unit the emulator charges in (US dollars, Replicate's own; separate from other vendors' dollars on a shared host).</summary>
    public const string Unit = "usd:replicate";

    /// <summary>A token the emulator accepts by default (as is any other <c>r8_…</c> token unless <see cref="ApiKeys"/> lists tokens): <c>r8_</c> + 37 characters, the length of the masked examples (§1.2).</summary>
    public const string DefaultApiKey = "r8_sandbox0000000000000000000000000000000";

    /// <summary>The path of the paid create by version; the official-model creates (<c>/v1/models/{owner}/{name}/predictions</c>) are paid submits too (see <see cref="IsSubmitPath"/>).</summary>
    public const string SubmitPath = Prefix + "/predictions";

    /// <summary>The path prefix of the output files the emulator serves (in place of <c>replicate.delivery</c>).</summary>
    public const string DeliveryPathPrefix = "/replicate.delivery/";

    private const string Prefix = "/v1";
    private const string TokenPrefix = "r8_";
    private const int PageSize = 100; // R0: 100 per page
    private const string ProblemContentType = "application/problem+json";
    private static readonly TimeSpan MinimumCancelAfter = TimeSpan.FromSeconds(5); // R0: minimum 5 s
    private static readonly TimeSpan ThrottleGap = TimeSpan.FromMilliseconds(500); // R0/D6: output/logs at most once per 500 ms
    private static readonly string[] CreateFields = ["input", "webhook", "webhook_events_filter", "stream"]; // R0 schemas_prediction_request
    private static readonly string[] VersionCreateFields = [.. CreateFields, "version"]; // R0 schemas_version_prediction_request
    private static readonly string[] EventNames = ["start", "output", "logs", "completed"]; // R0 webhook_events_filter
    private static readonly string[] DefaultEvents = ["output", "completed"]; // R0/D6: "new outputs or finished"

    private readonly EmulatedJobStore<ReplicatePrediction> _store;
    private readonly EmulatorRateWindow _creates;
    private readonly EmulatorRateWindow _others;
    private readonly EmulatorRateWindow _lowCredit;
    private readonly ReplicateWebhookSender _webhooks;
    private EmulatorContext? _context;

    /// <summary>Initializes a new instance of the <see cref="ReplicateEmulator"/> class.</summary>
    /// <param name="options">The options; the defaults when <see langword="null"/>.</param>
    public ReplicateEmulator(ReplicateEmulatorOptions? options = null)
    {
        Options = options ?? new ReplicateEmulatorOptions();
        _store = new(() => Context, Unit);
        _creates = new(() => Context.TimeProvider, TimeSpan.FromMinutes(1));
        _others = new(() => Context.TimeProvider, TimeSpan.FromMinutes(1));
        _lowCredit = new(() => Context.TimeProvider, TimeSpan.FromSeconds(10)); // 6 a minute with a burst of 1
        _webhooks = new(() => Context, Options);
    }

    /// <inheritdoc/>
    public string Name => "Replicate";

    /// <summary>Gets the options (changes apply to later requests).</summary>
    public ReplicateEmulatorOptions Options { get; }

    /// <summary>Gets the accepted tokens (<c>Authorization: Bearer …</c>); empty (the default) accepts any token of the documented form <c>r8_…</c> (§1.2).</summary>
    public EmulatorApiKeys ApiKeys { get; } = new("Authorization", bearer: true, TokenPrefix);

    /// <summary>Gets what create requests carried that the reference does not name: body fields (refused, the schemas forbid them), input fields the model's page does not list (ignored), a non-JSON <c>Content-Type</c>, a <c>Prefer</c> value outside the documented form.</summary>
    public UndocumentedFieldLog UndocumentedFields { get; } = new();

    /// <summary>Gets the one-shot faults for the next webhook messages.</summary>
    public ReplicateWebhookFaults Webhooks => _webhooks.Faults;

    /// <summary>Gets every webhook POST made so far.</summary>
    public IReadOnlyList<ReplicateWebhookDelivery> Deliveries => _webhooks.Deliveries;

    /// <summary>Gets the number of predictions created so far.</summary>
    public int PredictionCount => _store.Count;

    /// <summary>Gets the slugs of the official models the emulator runs.</summary>
    public static IReadOnlyList<string> ModelSlugs { get; } = [.. ReplicateEmulatorCatalog.Models.Select(m => m.Slug)];

    string IEmulatedApi.SubmitPath => SubmitPath;

    string IEmulatedApi.DefaultApiKey => DefaultApiKey;

    private EmulatorContext Context => _context ?? throw new InvalidOperationException("The emulator is not mapped on a host.");

    /// <summary>Gets the address to configure as the provider's base address: <c>{host}v1/</c>.</summary>
    /// <param name="host">The running host.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is <see langword="null"/>.</exception>
    public static Uri ProviderBaseAddress(EmulatorHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new Uri(host.BaseAddress, "v1/");
    }

    Uri IEmulatedApi.ProviderBaseAddress(EmulatorHost host) => ProviderBaseAddress(host);

    bool IEmulatedApi.IsPaidSubmit(string path) => IsSubmitPath(path);

    /// <summary>Gets whether a request path is a paid create: <c>/v1/predictions</c> or <c>/v1/models/{owner}/{name}/predictions</c>.</summary>
    /// <param name="path">The request path.</param>
    /// <returns><see langword="true"/> for a create path.</returns>
    public static bool IsSubmitPath(string? path)
    {
        if (path is null)
        {
            return false;
        }

        if (string.Equals(path, SubmitPath, StringComparison.Ordinal))
        {
            return true;
        }

        string[] parts = path.Split('/');
        return parts is ["", "v1", "models", { Length: > 0 }, { Length: > 0 }, "predictions"];
    }

    /// <summary>Computes a <c>webhook-signature</c> entry as the emulator signs: <c>v1,</c> + base64(HMAC-SHA256(base64-decoded secret after <c>whsec_</c>, <c>{id}.{timestamp}.{body}</c>)).</summary>
    /// <param name="secret">The signing secret, such as <see cref="ReplicateEmulatorOptions.DefaultWebhookSecret"/>.</param>
    /// <param name="webhookId">The <c>webhook-id</c>.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> (Unix seconds).</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The signature entry.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The secret is not base64 after its <c>whsec_</c> prefix.</exception>
    public static string Sign(string secret, string webhookId, long timestamp, string body) => ReplicateWebhookSender.Sign(secret, webhookId, timestamp, body);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes, EmulatorContext context)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        routes.MapPost(Prefix + "/models/{owner}/{name}/predictions", Handle(create: true, http => CreateAsync(http, (string)http.Request.RouteValues["owner"]! + "/" + (string)http.Request.RouteValues["name"]!)));
        routes.MapPost(SubmitPath, Handle(create: true, http => CreateAsync(http, modelSlug: null)));
        routes.MapGet(SubmitPath, Handle(create: false, List));
        routes.MapGet(Prefix + "/predictions/{id}", Handle(create: false, (http, token) => Get(token, (string)http.Request.RouteValues["id"]!)));
        routes.MapPost(Prefix + "/predictions/{id}/cancel", Handle(create: false, (http, token) => Cancel(token, (string)http.Request.RouteValues["id"]!)));
        routes.MapGet(Prefix + "/models/{owner}/{name}", Handle(create: false, (http, _) => GetModel((string)http.Request.RouteValues["owner"]! + "/" + (string)http.Request.RouteValues["name"]!)));
        routes.MapGet(Prefix + "/webhooks/default/secret", Handle(create: false, (_, _) => Json(200, new JsonObject { ["key"] = Options.WebhookSecret })));
        routes.MapGet(Prefix + "/account", Handle(create: false, (_, _) => Json(200, new JsonObject
        {
            ["type"] = "user", ["username"] = "sandbox", ["name"] = "Sandbox User", ["github_url"] = null,
        })));
        routes.MapGet(DeliveryPathPrefix + "{id}/{file}", (Delegate)((HttpContext http) => ServeFile(http)));
    }

    /// <summary>Looks at every prediction (without counting a poll) and sends what its state calls for: deadline outcomes, charges, webhooks; then waits for the webhook POSTs.</summary>
    /// <returns>A task that completes when every webhook POST started so far has been answered (or failed).</returns>
    public async Task PumpWebhooksAsync()
    {
        foreach (var prediction in _store.All)
        {
            Observe(prediction, poll: false);
        }

        await WhenDeliveriesIdleAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until every webhook POST started so far has finished (retries scheduled for later are not waited for).</summary>
    /// <returns>A task.</returns>
    public Task WhenDeliveriesIdleAsync() => _webhooks.WhenIdleAsync();

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var prediction in _store.All)
        {
            lock (prediction.Gate)
            {
                prediction.Timers.ForEach(t => t.Dispose());
                prediction.Timers.Clear();
            }
        }

        _webhooks.Dispose();
    }

    private RequestDelegate Handle(bool create, Func<HttpContext, string, IResult> handler) => Handle(create, (http, token) => Task.FromResult(handler(http, token)));

    private RequestDelegate Handle(bool create, Func<HttpContext, Task<IResult>> handler) => Handle(create, (http, _) => handler(http));

    private RequestDelegate Handle(bool create, Func<HttpContext, string, Task<IResult>> handler) => async http =>
    {
        var result = await GuardAsync(http, create, handler).ConfigureAwait(false);
        await result.ExecuteAsync(http).ConfigureAwait(false);
    };

    private async Task<IResult> GuardAsync(HttpContext http, bool create, Func<HttpContext, string, Task<IResult>> handler)
    {
        var check = ApiKeys.Check(http.Request);
        if (check.Verdict == ApiKeyVerdict.Missing)
        {
            // §1.2/§1.8: the maintainer-quoted body.
            return Problem(401, "Unauthenticated", "You did not pass an authentication token");
        }

        if (!check.IsValid)
        {
            return Problem(401, "Unauthenticated", "You did not pass a valid authentication token"); // guess: wording NOT FOUND
        }

        string token = check.Key;
        var balance = Context.Ledger.GetBalance(Unit);
        if (create && Options.LowCreditThresholdUsd > 0 && balance < Options.LowCreditThresholdUsd && !_lowCredit.TryTake(token, 1, out var lowWait))
        {
            // §1.8: the 2026 report's body (its tail was cut off in the report).
            var seconds = Seconds(lowWait);
            var threshold = Options.LowCreditThresholdUsd.ToString("0.0##", CultureInfo.InvariantCulture);
            return Throttled(http, seconds, new JsonObject
            {
                ["detail"] = $"Request was throttled. Your rate limit for creating predictions is reduced to 6 requests per minute with a burst of 1 requests while you have less than ${threshold} in credit.",
                ["status"] = 429,
                ["retry_after"] = seconds,
            });
        }

        // D3: 600 creates a minute, 3000 a minute for every other endpoint.
        var window = create ? _creates : _others;
        if (!window.TryTake(token, create ? Options.CreatesPerMinute : Options.OtherRequestsPerMinute, out var wait))
        {
            var seconds = Seconds(wait);
            return Throttled(http, seconds, new JsonObject { ["detail"] = $"Request was throttled. Your rate limit resets in ~{seconds}s." });
        }

        return await handler(http, token).ConfigureAwait(false);
    }

    private IResult Throttled(HttpContext http, int seconds, JsonObject body)
    {
        if (Options.SendRetryAfterHeader)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return Result(429, body, ProblemContentType);
    }

    private async Task<IResult> CreateAsync(HttpContext http, string? modelSlug)
    {
        string token = ApiKeys.Check(http.Request).Key;
        UndocumentedFields.CheckContentType(http.Request);
        var (body, parseError) = await EmulatorJson.ReadObjectAsync(http).ConfigureAwait(false);
        if (body is null)
        {
            return Problem(400, "Bad request", parseError is null ? "The request body must be a JSON object." : $"Invalid JSON: {parseError}"); // guess
        }

        var errors = new List<(string Field, string Type, string Description)>();

        // R0: both request schemas have additionalProperties: false.
        var known = modelSlug is null ? VersionCreateFields : CreateFields;
        UndocumentedFields.RecordUnknown(body, known);
        foreach (var (name, _) in body)
        {
            if (!known.Contains(name))
            {
                errors.Add(("(root)", "additional_property_not_allowed", $"Additional property {name} is not allowed"));
            }
        }

        ReplicateEmulatorModel? model;
        string version = "hidden"; // §1.4: official models report "hidden"
        if (modelSlug is not null)
        {
            model = ReplicateEmulatorCatalog.Find(modelSlug);
            if (model is null)
            {
                return Problem(404, "Not found", "The requested model does not exist (or you don't have permission to access it)."); // guess
            }
        }
        else
        {
            (model, version) = ResolveVersion(EmulatorJson.String(body["version"]));
            if (model is null)
            {
                // §1.8: the maintainer-quoted 422.
                return Problem(422, "Invalid version or not permitted", "The specified version does not exist (or perhaps you don't have permission to use it?)");
            }
        }

        var input = body["input"] as JsonObject;
        if (input is null)
        {
            errors.Add(("input", "required", "input is required"));
        }
        else
        {
            ValidateInput(model, input, errors);
        }

        Uri? webhook = null;
        if (body["webhook"] is { } hook && (EmulatorJson.String(hook) is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out webhook) || webhook.Scheme is not ("https" or "http")))
        {
            errors.Add(("webhook", "format", "webhook must be a valid URI"));
        }

        var events = ReadEvents(body["webhook_events_filter"], errors);
        var cancelAfter = ReadCancelAfter(http.Request, errors);
        var wait = ReadPrefer(http.Request);
        if (errors.Count > 0)
        {
            return ValidationFailed(errors);
        }

        var now = Context.TimeProvider.GetUtcNow();
        var (count, seconds) = Outputs(model, input!);
        var price = model.PriceUsd is { } published
            ? published * (model.IsVideo ? seconds : count)
            : model.IsVideo ? Options.SandboxVideoPricePerSecondUsd * seconds : Options.SandboxImagePriceUsd * count;
        var prompt = EmulatorJson.String(input!["prompt"]) ?? string.Empty;
        var submission = _store.Submit(token, idempotencyKey: null, price, prompt,
            slot => new ReplicatePrediction(slot, model, (JsonObject)input!.DeepClone(), version, now)
            {
                Deadline = cancelAfter is { } after ? now + after : null,
                Webhook = webhook,
                Events = new HashSet<string>(events, StringComparer.Ordinal),
                OutputCount = count,
                VideoLength = TimeSpan.FromSeconds(seconds),
                AspectRatio = EmulatorJson.String(input!["aspect_ratio"]) ?? model.DefaultAspectRatio,
            },
            newId: NewPredictionId,
            admit: _ => Context.Ledger.GetBalance(Unit) > 0, // D10: at zero balance no new work starts
            chargeOnAccept: false); // Replicate bills a prediction once it ends (D9/D10), not at create
        if (submission.Outcome != SubmitOutcome.Accepted)
        {
            return Problem(402, "Insufficient credit", "You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit."); // guess: body NOT FOUND
        }

        var prediction = submission.Job!;
        ArmTimers(prediction);
        Observe(prediction, poll: false);
        http.Response.Headers.Location = PredictionUrl(prediction.Id).AbsoluteUri; // D1: continue via Location or urls.get

        if (wait is not { } waitFor)
        {
            return Json(201, ToJson(prediction));
        }

        // D1/R0: sync mode holds the request up to n seconds; the prediction runs on either way (D8: deadline and wait are independent).
        var clock = Context.TimeProvider;
        var until = now + waitFor;
        using var held = FakeClock.HoldRequest(clock);
        try
        {
            while (!prediction.IsTerminal && clock.GetUtcNow() < until && !(Options.SyncAnswersProcessingWithOutput && HasAllFiles(prediction)))
            {
                var step = until - clock.GetUtcNow();
                await Task.Delay(step < Options.SyncPollInterval ? step : Options.SyncPollInterval, clock, http.RequestAborted).ConfigureAwait(false);
                Observe(prediction, poll: true);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty; // the client went away; the prediction was created and runs on
        }

        // R0: 201 "with Prefer: wait it holds the final output"; 202 "created but does not yet have all outputs".
        return Json(prediction.IsTerminal ? 201 : 202, ToJson(prediction, early: Options.SyncAnswersProcessingWithOutput));
    }

    private IResult Get(string token, string id)
    {
        var prediction = Find(token, id);
        if (prediction is null)
        {
            return NotFound();
        }

        Observe(prediction, poll: true);
        return Json(200, ToJson(prediction));
    }

    private IResult Cancel(string token, string id)
    {
        var prediction = Find(token, id);
        if (prediction is null)
        {
            return NotFound();
        }

        Observe(prediction, poll: false);
        lock (prediction.Gate)
        {
            // A finished prediction is answered unchanged (guess: §1.6 NOT FOUND).
            if (!prediction.IsTerminal)
            {
                End(prediction, new ReplicateOutcome("canceled", Context.TimeProvider.GetUtcNow(), null));
            }
        }

        Settle(prediction);
        return Json(200, ToJson(prediction));
    }

    private IResult List(HttpContext http, string token)
    {
        var query = http.Request.Query;
        DateTimeOffset? after = null, before = null;
        if (query["created_after"].FirstOrDefault() is { } a)
        {
            if (!TryReadTime(a, out var t))
            {
                return Problem(400, "Bad request", "created_after must be an ISO 8601 date-time."); // guess
            }

            after = t;
        }

        if (query["created_before"].FirstOrDefault() is { } b)
        {
            if (!TryReadTime(b, out var t))
            {
                return Problem(400, "Bad request", "created_before must be an ISO 8601 date-time."); // guess
            }

            before = t;
        }

        var source = query["source"].FirstOrDefault();
        if (source is not (null or "web"))
        {
            return Problem(400, "Bad request", "source must be \"web\"."); // guess: R0 names "web" as the only value
        }

        var all = _store.All;
        var mine = Enumerable.Range(0, all.Count)
            .Where(i => all[i].Account == token && source is null) // every emulated prediction came from the API
            .Where(i => (after is null || all[i].CreatedAt >= after) && (before is null || all[i].CreatedAt < before)) // R0: after inclusive, before exclusive
            .Reverse() // newest first
            .ToList();

        int? below = null, above = null;
        if (query["cursor"].FirstOrDefault() is { } cursor && !TryReadCursor(cursor, out below, out above))
        {
            return Problem(400, "Bad request", "Invalid cursor."); // guess
        }

        List<int> page = above is { } up
            ? [.. mine.Where(i => i > up).TakeLast(PageSize)]
            : [.. mine.Where(i => below is null || i < below).Take(PageSize)];
        foreach (var i in page)
        {
            Observe(all[i], poll: false);
        }

        bool hasNext = page.Count > 0 && mine.Any(i => i < page[^1]);
        bool hasPrevious = page.Count > 0 && mine.Any(i => i > page[0]);
        return Json(200, new JsonObject
        {
            ["next"] = hasNext ? PageUrl(http, "p=" + page[^1].ToString(CultureInfo.InvariantCulture)) : null,
            ["previous"] = hasPrevious ? PageUrl(http, "r=" + page[0].ToString(CultureInfo.InvariantCulture)) : null,
            ["results"] = new JsonArray([.. page.Select(i => (JsonNode)ToJson(all[i]))]),
        });
    }

    private static IResult GetModel(string slug)
    {
        if (ReplicateEmulatorCatalog.Find(slug) is not { } model)
        {
            return Problem(404, "Not found", "The requested model does not exist (or you don't have permission to access it)."); // guess
        }

        var properties = new JsonObject();
        foreach (var field in model.Fields)
        {
            var schema = new JsonObject();
            if (field.Choices is { } choices)
            {
                schema["type"] = "string";
                schema["enum"] = EmulatorJson.Strings(choices);
            }
            else if (field.Range is { } range)
            {
                schema["type"] = "integer";
                schema["minimum"] = range.Min;
                schema["maximum"] = range.Max;
            }
            else if (field.Values is { } values)
            {
                schema["type"] = "integer";
                schema["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
            }
            else if (field.MaxItems is { } max)
            {
                schema["type"] = "array";
                schema["items"] = new JsonObject { ["type"] = "string", ["format"] = "uri" };
                schema["maxItems"] = max;
            }

            properties[field.Name] = schema;
        }

        var uri = new JsonObject { ["type"] = "string", ["format"] = "uri" };
        return Json(200, new JsonObject
        {
            ["url"] = "https://replicate.com/" + model.Slug,
            ["owner"] = model.Owner,
            ["name"] = model.Name,
            ["visibility"] = "public",
            ["is_official"] = true,
            ["latest_version"] = new JsonObject
            {
                ["id"] = model.VersionId,
                ["openapi_schema"] = new JsonObject
                {
                    ["components"] = new JsonObject
                    {
                        ["schemas"] = new JsonObject
                        {
                            ["Input"] = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("prompt"), ["properties"] = properties },
                            ["Output"] = model.ArrayOutput ? new JsonObject { ["type"] = "array", ["items"] = uri } : uri,
                        },
                    },
                },
            },
        });
    }

    private async Task ServeFile(HttpContext http)
    {
        var id = (string)http.Request.RouteValues["id"]!;
        var file = (string)http.Request.RouteValues["file"]!;
        var prediction = _store.Find(id);
        (byte[] Bytes, string ContentType)? content = null;
        if (prediction is not null)
        {
            lock (prediction.Gate)
            {
                if (!IsRemoved(prediction) && prediction.Files.TryGetValue(file, out var stored))
                {
                    content = stored;
                }
            }
        }

        if (content is not { } served)
        {
            // D4/D5: files are removed an hour after completion; the status of a removed file is NOT FOUND — 404 is a guess.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.ContentType = served.ContentType;
        http.Response.ContentLength = served.Bytes.Length;
        await http.Response.Body.WriteAsync(served.Bytes, http.RequestAborted).ConfigureAwait(false);
    }

    private ReplicatePrediction? Find(string token, string id) => _store.Find(id) is { } p && p.Account == token ? p : null;

    private static (ReplicateEmulatorModel? Model, string Version) ResolveVersion(string? version)
    {
        // R0: owner/name (official models only), owner/name:<64-hex id>, or the bare 64-hex id.
        if (string.IsNullOrEmpty(version))
        {
            return (null, string.Empty);
        }

        int colon = version.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var model = ReplicateEmulatorCatalog.Find(version[..colon]);
            return model is not null && model.VersionId == version[(colon + 1)..] ? (model, model.VersionId) : (null, string.Empty);
        }

        return version.Contains('/', StringComparison.Ordinal)
            ? (ReplicateEmulatorCatalog.Find(version), "hidden")
            : (ReplicateEmulatorCatalog.FindVersion(version), version);
    }

    private void ValidateInput(ReplicateEmulatorModel model, JsonObject input, List<(string, string, string)> errors)
    {
        // R0: inputs are validated server-side; the 422 shape for input fields is NOT FOUND (guess below).
        if (EmulatorJson.String(input["prompt"]) is not { Length: > 0 })
        {
            errors.Add(("input.prompt", "required", "prompt is required"));
        }

        UndocumentedFields.RecordUnknown(input, [.. model.Fields.Select(f => f.Name)], "input.");
        foreach (var field in model.Fields)
        {
            if (input[field.Name] is not { } value)
            {
                continue;
            }

            var where = "input." + field.Name;
            if (field.Choices is { } choices && (EmulatorJson.String(value) is not { } text || !choices.Contains(text)))
            {
                errors.Add((where, "enum", $"{field.Name} must be one of the following: {string.Join(", ", choices.Select(c => "\"" + c + "\""))}"));
            }
            else if (field.Range is { } range && (Integer(value) is not { } n || n < range.Min || n > range.Max))
            {
                errors.Add((where, "range", $"{field.Name} must be an integer from {range.Min} to {range.Max}"));
            }
            else if (field.Values is { } values && (Integer(value) is not { } v || !values.Contains(v)))
            {
                errors.Add((where, "enum", $"{field.Name} must be one of the following: {string.Join(", ", values)}"));
            }
            else if (field.MaxItems is { } max && value is JsonArray array && array.Count > max)
            {
                errors.Add((where, "array_max_items", $"{field.Name}: Array must have at most {max} items"));
            }
        }
    }

    private static string[] ReadEvents(JsonNode? node, List<(string, string, string)> errors)
    {
        if (node is null)
        {
            return DefaultEvents;
        }

        if (node is not JsonArray array || array.Any(e => EmulatorJson.String(e) is not { } name || !EventNames.Contains(name)))
        {
            errors.Add(("webhook_events_filter", "enum", "webhook_events_filter must be an array of \"start\", \"output\", \"logs\", \"completed\""));
            return DefaultEvents;
        }

        return [.. array.Select(e => EmulatorJson.String(e)!)];
    }

    private static TimeSpan? ReadCancelAfter(HttpRequest request, List<(string, string, string)> errors)
    {
        if (request.Headers["Cancel-After"].FirstOrDefault() is not { } text)
        {
            return null;
        }

        // R0: unit suffixes s, m, h, combinable (1h30m45s); a bare number is seconds; the minimum is 5 s.
        if (!TryReadDuration(text.Trim(), out var duration))
        {
            errors.Add(("Cancel-After", "format", "Cancel-After must be a duration such as 30s, 5m or 1h30m45s")); // guess: wording
            return null;
        }

        if (duration < MinimumCancelAfter)
        {
            errors.Add(("Cancel-After", "minimum", "Cancel-After must be at least 5s")); // guess: refused rather than raised to 5 s
            return null;
        }

        return duration;
    }

    private TimeSpan? ReadPrefer(HttpRequest request)
    {
        TimeSpan? wait = null;
        foreach (var header in request.Headers["Prefer"])
        {
            foreach (var raw in (header ?? string.Empty).Split(','))
            {
                var preference = raw.Trim();
                if (!preference.StartsWith("wait", StringComparison.OrdinalIgnoreCase))
                {
                    continue; // RFC 7240: other preferences are not this API's
                }

                // R0: ^wait(=([1-9]|[1-9][0-9]|60))?$, described as 1–60 s, default 60.
                if (preference.Equals("wait", StringComparison.OrdinalIgnoreCase))
                {
                    wait = Options.MaxSyncWait;
                }
                else if (preference.StartsWith("wait=", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(preference.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 99)
                {
                    var asked = TimeSpan.FromSeconds(n);
                    if (asked > Options.MaxSyncWait)
                    {
                        UndocumentedFields.Record($"header Prefer: {preference} (over the documented 60 s)");
                        asked = Options.MaxSyncWait;
                    }

                    wait = asked;
                }
                else
                {
                    UndocumentedFields.Record($"header Prefer: {preference}"); // outside the spec's pattern: not a wait
                }
            }
        }

        return wait;
    }

    private static bool TryReadDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text.Length == 0)
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare))
        {
            duration = TimeSpan.FromSeconds(bare);
            return true;
        }

        int i = 0;
        var order = "hms";
        int last = -1;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i == text.Length)
            {
                return false;
            }

            int unit = order.IndexOf(text[i], StringComparison.Ordinal);
            if (unit <= last || !long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            last = unit;
            duration += unit switch { 0 => TimeSpan.FromHours(value), 1 => TimeSpan.FromMinutes(value), _ => TimeSpan.FromSeconds(value) };
            i++;
        }

        return true;
    }

    private static (int Count, int Seconds) Outputs(ReplicateEmulatorModel model, JsonObject input)
    {
        if (model.IsVideo)
        {
            var seconds = model.DurationField is { } d && Integer(input[d]) is { } s && s > 0 ? s : model.DefaultSeconds; // seedance −1: the model chooses
            return (1, seconds);
        }

        if (model.CountField is not { } field || Integer(input[field]) is not { } count || count < 1)
        {
            return (1, 0);
        }

        // M9–M11: seedream makes max_images only with sequential_image_generation "auto".
        if (field == "max_images" && EmulatorJson.String(input["sequential_image_generation"]) != "auto")
        {
            return (1, 0);
        }

        return (count, 0);
    }

    /// <summary>Wakes the prediction when its scripted times and its deadline pass, so charges and webhooks happen with nobody polling.</summary>
    private void ArmTimers(ReplicatePrediction prediction)
    {
        var times = new List<TimeSpan>(prediction.Job.Script.ClockChangeTimes);
        if (prediction.Deadline is { } deadline)
        {
            times.Add(deadline - prediction.CreatedAt);
        }

        var timers = times.Select(after => BackgroundWork.CreateWakeTimer(Context.TimeProvider, after, () => Observe(prediction, poll: false))).ToList();
        lock (prediction.Gate)
        {
            prediction.Timers.AddRange(timers);
        }
    }

    /// <summary>
    /// Brings a prediction up to date (its deadline first, then its scripted job, then the 30-minute timeout), then
    /// charges it and sends the webhooks its state calls for.
    /// </summary>
    private void Observe(ReplicatePrediction prediction, bool poll)
    {
        var now = Context.TimeProvider.GetUtcNow();
        lock (prediction.Gate)
        {
            if (!prediction.IsTerminal)
            {
                var job = prediction.Job;
                var script = job.Script;

                // A time-scripted job runs by the clock, polled or not (Replicate runs a prediction whether or not anyone
                // looks): it has started once its queued time has passed.
                if (prediction.StartedAt is null && script.CompletionDuration is not null && script.CompletionPolls is null
                    && now > prediction.CreatedAt && now >= prediction.CreatedAt + script.QueuedDuration)
                {
                    prediction.StartedAt = prediction.CreatedAt + script.QueuedDuration;
                }

                if (prediction.Deadline is { } deadline && now >= deadline)
                {
                    var current = job.Current;
                    if (current.IsTerminal && job.FinishedAt is { } finished && finished <= deadline)
                    {
                        Finish(prediction, current, finished);
                    }
                    else
                    {
                        // D2/R0: the deadline hit while running → canceled; before it started → aborted.
                        End(prediction, new ReplicateOutcome(prediction.StartedAt is { } started && started <= deadline ? "canceled" : "aborted", deadline, null));
                    }
                }
                else
                {
                    var snapshot = poll ? job.Poll() : job.Current;
                    if (snapshot.IsTerminal)
                    {
                        Finish(prediction, snapshot, job.FinishedAt ?? now);
                    }
                    else
                    {
                        if (snapshot.State == JobState.Running)
                        {
                            prediction.StartedAt ??= now;
                        }

                        if (prediction.StartedAt is { } started && now - started >= Options.RunTimeout)
                        {
                            // D2: predictions time out after running for 30 minutes (the status and error text are guesses).
                            job.Fail(JobFailureKind.ProviderError, "Prediction timed out");
                            prediction.Outcome = new ReplicateOutcome("failed", started + Options.RunTimeout, "Prediction timed out");
                        }
                    }
                }
            }
        }

        Settle(prediction);
    }

    /// <summary>Ends a prediction the emulator decided (canceled, aborted); its scripted job is marked finished too, so the host sees nothing in flight.</summary>
    private static void End(ReplicatePrediction prediction, ReplicateOutcome outcome)
    {
        prediction.Outcome = outcome;
        prediction.Job.Fail(JobFailureKind.ProviderError, "Prediction " + outcome.Status);
    }

    private static void Finish(ReplicatePrediction prediction, JobSnapshot snapshot, DateTimeOffset at)
    {
        prediction.StartedAt ??= at;
        if (snapshot.State == JobState.Succeeded)
        {
            Publish(prediction);
            prediction.Outcome = new ReplicateOutcome("succeeded", at, null);
        }
        else
        {
            prediction.Outcome = new ReplicateOutcome("failed", at, snapshot.FailureMessage ?? "Prediction failed.");
        }
    }

    /// <summary>Charges an ended prediction (once) and sends the webhook messages not sent yet.</summary>
    private void Settle(ReplicatePrediction prediction)
    {
        string status;
        bool started;
        lock (prediction.Gate)
        {
            status = prediction.Status;
            started = prediction.StartedAt is not null;
        }

        // D8: "for public models only canceled predictions are charged, aborted are not"; a succeeded one is billed by
        // output (D9). A prediction canceled before it started ran nothing and is not charged, and a failed one made no
        // output to bill (both inferences: the reference does not say).
        if (status == "succeeded" || (status == "canceled" && started))
        {
            _store.ChargeOnce(prediction);
        }

        Notify(prediction);
    }

    private void Notify(ReplicatePrediction prediction)
    {
        if (prediction.Webhook is not { } url)
        {
            return;
        }

        var now = Context.TimeProvider.GetUtcNow();
        var messages = new List<(string Event, bool Final)>();
        string body;
        lock (prediction.Gate)
        {
            var events = prediction.Events;
            if (prediction.StartedAt is not null && !prediction.SentStart)
            {
                prediction.SentStart = true;
                if (events.Contains("start"))
                {
                    messages.Add(("start", false));
                }
            }

            // R0/D6: output and logs at most once per 500 ms; start and completed are sent regardless.
            if (prediction.Files.Count > 0 && !prediction.SentOutput && events.Contains("output") && now - prediction.SentOutputAt >= ThrottleGap)
            {
                prediction.SentOutput = true;
                prediction.SentOutputAt = now;
                messages.Add(("output", false));
            }

            var logs = Logs(prediction);
            if (logs.Length > 0 && logs != prediction.SentLogs && events.Contains("logs") && now - prediction.SentLogsAt >= ThrottleGap)
            {
                prediction.SentLogs = logs;
                prediction.SentLogsAt = now;
                messages.Add(("logs", false));
            }

            if (prediction.IsTerminal && !prediction.SentCompleted && events.Contains("completed")
                && (prediction.Status != "aborted" || Options.SendAbortedWebhook))
            {
                prediction.SentCompleted = true;
                messages.Add(("completed", true));
            }

            if (messages.Count == 0)
            {
                return;
            }

            body = ToJsonLocked(prediction, early: false).ToJsonString();
        }

        _webhooks.Send(prediction.Id, messages, url, body);
    }

    private static void Publish(ReplicatePrediction prediction)
    {
        if (prediction.Files.Count > 0)
        {
            return;
        }

        var ratio = prediction.AspectRatio switch
        {
            "portrait" => "9:16",
            "landscape" => "16:9",
            "match_input_image" or "custom" or "adaptive" => null,
            var r => r,
        };
        var model = prediction.Model;
        if (model.IsVideo)
        {
            prediction.Files["output.mp4"] = (SandboxMedia.CreateVideo("Replicate", model.Slug, prediction.Prompt, ratio, prediction.VideoLength), SandboxMedia.VideoContentType);
            return;
        }

        var png = SandboxImage.CreatePng("Replicate", model.Slug, prediction.Prompt, ratio);
        for (int i = 0; i < prediction.OutputCount; i++)
        {
            prediction.Files[model.ArrayOutput ? $"out-{i}.png" : "output.png"] = (png, SandboxImage.ContentType);
        }
    }

    private static bool HasAllFiles(ReplicatePrediction prediction)
    {
        lock (prediction.Gate)
        {
            return prediction.Files.Count > 0;
        }
    }

    private bool IsRemoved(ReplicatePrediction prediction) =>
        prediction.Outcome is { } outcome && Context.TimeProvider.GetUtcNow() >= outcome.At + Options.DataRetention;

    private JsonObject ToJson(ReplicatePrediction prediction, bool early = false)
    {
        lock (prediction.Gate)
        {
            return ToJsonLocked(prediction, early);
        }
    }

    private JsonObject ToJsonLocked(ReplicatePrediction prediction, bool early)
    {
        var outcome = prediction.Outcome;
        var removed = IsRemoved(prediction);
        var status = prediction.Status;
        if (early && status == "succeeded")
        {
            // D1: a waiting create may answer as soon as all files exist, still "processing".
            status = "processing";
            outcome = null;
        }

        JsonNode? output = null;
        if (!removed && prediction.Files.Count > 0)
        {
            var urls = prediction.Files.Keys.Select(name => (JsonNode)FileUrl(prediction.Id, name).AbsoluteUri).ToList();
            output = prediction.Model.ArrayOutput ? new JsonArray([.. urls]) : urls[0];
        }

        var metrics = new JsonObject();
        if (outcome is not null && prediction.StartedAt is { } started && prediction.Status is "succeeded" or "canceled" or "failed")
        {
            metrics["predict_time"] = Math.Round(Math.Max(0, (outcome.At - started).TotalSeconds), 6);
            metrics["total_time"] = Math.Round(Math.Max(0, (outcome.At - prediction.CreatedAt).TotalSeconds), 6);
        }

        var json = new JsonObject
        {
            ["id"] = prediction.Id,
            ["model"] = prediction.Model.Slug,
            ["version"] = prediction.Version,
            ["input"] = removed ? new JsonObject() : prediction.Input.DeepClone(), // D4: removed after an hour ({} is a guess)
            ["logs"] = removed ? null : Logs(prediction),
            ["output"] = output, // D4/D5: the key remains, null, once removed
            ["data_removed"] = removed,
            ["error"] = outcome?.Error,
            ["status"] = status,
            ["created_at"] = Timestamp(prediction.CreatedAt),
            ["started_at"] = prediction.StartedAt is { } s ? Timestamp(s) : null,
            ["completed_at"] = outcome is not null ? Timestamp(outcome.At) : null,
            ["urls"] = new JsonObject
            {
                ["get"] = PredictionUrl(prediction.Id).AbsoluteUri,
                ["cancel"] = new Uri(PredictionUrl(prediction.Id).AbsoluteUri + "/cancel").AbsoluteUri,
                ["web"] = "https://replicate.com/p/" + prediction.Id,
            },
            ["metrics"] = metrics,
            ["source"] = "api",
        };
        if (prediction.Deadline is { } deadline)
        {
            json["deadline"] = Timestamp(deadline);
        }

        return json;
    }

    private static string Logs(ReplicatePrediction prediction) => prediction.StartedAt is null
        ? string.Empty
        : $"Running {prediction.Model.Slug}\n" + (prediction.Status == "succeeded" ? "Prediction succeeded\n" : string.Empty);

    private Uri PredictionUrl(string id) => new(Context.BaseAddress, "v1/predictions/" + id);

    private Uri FileUrl(string id, string name) => new(Context.BaseAddress, DeliveryPathPrefix.TrimStart('/') + id + "/" + name);

    private string PageUrl(HttpContext http, string position)
    {
        var pairs = http.Request.Query.Where(q => q.Key != "cursor").Select(q => (q.Key, Value: q.Value.ToString())).ToList();
        pairs.Add(("cursor", Convert.ToBase64String(Encoding.UTF8.GetBytes(position))));
        var query = string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return new Uri(Context.BaseAddress, "v1/predictions?" + query).AbsoluteUri;
    }

    private static bool TryReadCursor(string cursor, out int? below, out int? above)
    {
        below = above = null;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
        }
        catch (FormatException)
        {
            return false;
        }

        if (text.Length < 3 || text[1] != '=' || !int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }

        switch (text[0])
        {
            case 'p':
                below = index;
                return true;
            case 'r':
                above = index;
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static int? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var n) ? n : null;

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    // §1.4: id like "gm3qorzdhgbfurvjtvhg6dckhu": 26 lowercase letters and digits.
    private static string NewPredictionId()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(26, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static IResult NotFound() => Problem(404, "Not found", "Not found."); // guess: §1.8 body NOT FOUND

    private static IResult ValidationFailed(List<(string Field, string Type, string Description)> errors) => Result(422, new JsonObject
    {
        // Guess: the 422 for invalid fields is NOT FOUND (§1.8); problem details plus the fields.
        ["title"] = "Input validation failed",
        ["detail"] = string.Concat(errors.Select(e => $"- {e.Field}: {e.Description}\n")),
        ["status"] = 422,
        ["invalid_fields"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["type"] = e.Type, ["field"] = e.Field, ["description"] = e.Description })]),
    }, ProblemContentType);

    // §1.8: RFC 7807-style problem details (title, detail, status), as R0 declares application/problem+json.
    private static IResult Problem(int status, string title, string detail) =>
        Result(status, new JsonObject { ["title"] = title, ["detail"] = detail, ["status"] = status }, ProblemContentType);

    private static IResult Json(int status, JsonObject body) => EmulatorJson.Result(status, body);

    private static IResult Result(int status, JsonObject body, string contentType) =>
        Results.Text(body.ToJsonString(), contentType, Encoding.UTF8, status);
}
