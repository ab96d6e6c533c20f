using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaGen.Testing.Emulators;

/// <summary>
/// A faithful emulator of the VeoGen Studio API (<c>/api/v1</c>) written from the vendor's docs: create, get and list
/// generations (with the list's paging quirks), the models endpoint, account and balance, a USD balance debited on
/// submit and refunded when a generation fails, and the documented 401/402/404/422/429 answers.
/// </summary>
/// <remarks>
/// Point a client at <c>{host.BaseAddress}api/v1/</c> (see <see cref="ProviderBaseAddress"/>) with
/// <c>Authorization: Bearer {key}</c> (<see cref="ApiKeys"/>: any non-empty token, such as the docs' <c>YOUR_TOKEN</c>, unless given a key set). Charges go to the host's
/// <see cref="BillingLedger"/> in the unit <see cref="Unit"/>; set the balance with
/// <c>host.Ledger.SetBalance(VeoGenEmulator.Unit, 0.05m)</c>. Job lifecycles follow the host's <see cref="JobScripts"/>
/// (each <c>GET /generations/{id}</c> is one poll).
/// </remarks>
public sealed class VeoGenEmulator : IEmulatedApi
{
    /// <summary>The ledger unit the emulator charges in.</summary>
    public const string Unit = "USD";

    /// <summary>Gets what generate requests carried that the docs do not name (ignored and recorded), and a non-JSON <c>Content-Type</c>.</summary>
    public UndocumentedFieldLog UndocumentedFields { get; } = new();

    /// <summary>A token the emulator accepts by default (as is any other non-empty token unless <see cref="ApiKeys"/> lists tokens).</summary>
    public const string DefaultApiKey = "veogen-test-token";

    /// <summary>The path of the paid submit.</summary>
    public const string SubmitPath = Prefix + "/generations";

    private const string Prefix = "/api/v1";

    /// <summary>The body fields of the Create Generation page (veogen-create-generation.txt).</summary>
    private static readonly string[] DocumentedFields =
        ["model", "prompt", "aspect_ratio", "resolution", "duration", "mode", "style", "image_urls", "video_urls", "audio_urls", "watermark", "private"];

    private readonly EmulatedJobStore<Generation> _store;
    private readonly EmulatorRateWindow _rate;
    private EmulatorContext? _context;

    /// <summary>Initializes a new instance of the <see cref="VeoGenEmulator"/> class.</summary>
    public VeoGenEmulator()
    {
        _store = new(() => Context, Unit);
        _rate = new(() => Context.TimeProvider, TimeSpan.FromMinutes(1));
    }

    /// <summary>Gets the emulator's name.</summary>
    public string Name => "VeoGen";

    /// <summary>Gets the accepted bearer tokens; empty (the default) accepts any non-empty token, the docs' only stated form.</summary>
    public EmulatorApiKeys ApiKeys { get; } = new("Authorization", bearer: true, documentedPrefix: string.Empty);

    string IEmulatedApi.SubmitPath => SubmitPath;

    string IEmulatedApi.DefaultApiKey => DefaultApiKey;

    /// <summary>Gets or sets the per-token request limit per minute (a sliding minute on the host's clock); 429 with <c>Retry-After</c> beyond it.</summary>
    /// <value>The default is 120, the documented limit.</value>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>Gets or sets the account name <c>GET /account</c> reports.</summary>
    public string AccountName { get; set; } = "Sandbox User";

    /// <summary>Gets or sets the account e-mail <c>GET /account</c> reports.</summary>
    public string AccountEmail { get; set; } = "sandbox@veogen.test";

    /// <summary>Gets the number of generations created so far.</summary>
    public int GenerationCount => _store.Count;

    /// <summary>Gets the address to configure as the provider's base address: <c>{host}api/v1/</c>.</summary>
    /// <param name="host">The running host.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is null.</exception>
    public static Uri ProviderBaseAddress(EmulatorHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new Uri(host.BaseAddress, "api/v1/");
    }

    Uri IEmulatedApi.ProviderBaseAddress(EmulatorHost host) => ProviderBaseAddress(host);

    /// <summary>Maps the VeoGen routes.</summary>
    /// <param name="routes">The route builder.</param>
    /// <param name="context">The emulator context.</param>
    public void Map(IEndpointRouteBuilder routes, EmulatorContext context)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        routes.MapPost(SubmitPath, Handle(CreateAsync));
        routes.MapGet(Prefix + "/generations", Handle(List));
        routes.MapGet(Prefix + "/generations/{id}", Handle(http => Get((string)http.Request.RouteValues["id"]!)));
        routes.MapGet(Prefix + "/models", Handle(_ => Json(200, new JsonObject { ["data"] = new JsonArray([.. VeoGenEmulatorCatalog.Models.Select(ModelJson)]) })));
        routes.MapGet(Prefix + "/models/{slug}", Handle(http => GetModel((string)http.Request.RouteValues["slug"]!)));
        routes.MapGet(Prefix + "/account", Handle(_ => Account()));
        routes.MapGet(Prefix + "/balance", Handle(_ => Balance()));
    }

    private EmulatorContext Context => _context ?? throw new InvalidOperationException("The emulator is not mapped.");

    private async Task<IResult> Guard(HttpContext http, Func<HttpContext, Task<IResult>> handler)
    {
        if (ApiKeys.Check(http.Request) is not { IsValid: true, Key: var token })
        {
            return Json(401, new JsonObject { ["message"] = "Unauthenticated." });
        }

        // The limit counts every request of a token (polls included), per the docs' 120 requests per minute.
        if (!_rate.TryTake(token, RequestsPerMinute, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Json(429, new JsonObject { ["message"] = "Too Many Attempts." });
        }

        return await handler(http).ConfigureAwait(false);
    }

    private RequestDelegate Handle(Func<HttpContext, IResult> handler) => Handle(h => Task.FromResult(handler(h)));

    private RequestDelegate Handle(Func<HttpContext, Task<IResult>> handler) => async http =>
    {
        var result = await Guard(http, handler).ConfigureAwait(false);
        await result.ExecuteAsync(http).ConfigureAwait(false);
    };

    private async Task<IResult> CreateAsync(HttpContext http)
    {
        UndocumentedFields.CheckContentType(http.Request);
        var body = (await EmulatorJson.ReadObjectAsync(http).ConfigureAwait(false)).Body ?? [];

        // Exactly the documented fields; anything else is ignored, as VeoGen's framework (Laravel) would, and recorded.
        UndocumentedFields.RecordUnknown(body, DocumentedFields);

        var errors = new List<(string Field, string Message)>();
        var slug = Text(body, "model");
        var prompt = Text(body, "prompt");
        var model = VeoGenEmulatorCatalog.Find(slug);
        if (string.IsNullOrEmpty(slug))
        {
            errors.Add(("model", "The model field is required."));
        }
        else if (model is null)
        {
            errors.Add(("model", "The selected model is invalid."));
        }

        if (string.IsNullOrEmpty(prompt))
        {
            errors.Add(("prompt", "The prompt field is required."));
        }
        else if (prompt.Length > 2000)
        {
            errors.Add(("prompt", "The prompt field must not be greater than 2000 characters."));
        }

        var parameters = new JsonObject();
        string? resolution = null;
        int? duration = null;
        var images = Count(body, "image_urls", 14, errors);
        var videos = Count(body, "video_urls", 3, errors);
        Count(body, "audio_urls", 3, errors);
        if (model is not null)
        {
            var ratio = Text(body, "aspect_ratio") ?? model.AspectRatios[0];
            if (!model.AspectRatios.Contains(ratio))
            {
                errors.Add(("aspect_ratio", "The selected aspect ratio is invalid."));
            }

            parameters["aspect_ratio"] = ratio;
            resolution = Text(body, "resolution") ?? model.Resolutions[0];
            if (!model.Resolutions.Contains(resolution))
            {
                errors.Add(("resolution", "The selected resolution is invalid."));
            }

            parameters["resolution"] = resolution;
            if (model.IsVideo)
            {
                duration = ReadDuration(body, model, errors);
                parameters["duration"] = duration;
            }

            Choice(body, "mode", model.Modes, model.Takes("mode"), parameters, errors);
            Choice(body, "style", model.Styles, model.Takes("style"), parameters, errors);
            if (model.ImageCounts is { } counts && !counts.Contains(images))
            {
                errors.Add(("image_urls", $"The image urls field must contain {string.Join(", ", counts)} items."));
            }
        }

        if (errors.Count > 0)
        {
            var message = errors[0].Message + (errors.Count > 1 ? $" (and {errors.Count - 1} more error{(errors.Count > 2 ? "s" : string.Empty)})" : string.Empty);
            var fields = new JsonObject();
            foreach (var group in errors.GroupBy(e => e.Field))
            {
                fields[group.Key] = new JsonArray([.. group.Select(e => (JsonNode)e.Message)]);
            }

            return Json(422, new JsonObject { ["message"] = message, ["errors"] = fields });
        }

        var price = Price(model!, resolution, duration, videos > 0);
        var now = Context.TimeProvider.GetUtcNow();
        // VeoGen has no idempotency key, and the emulator does not scope generations by token.
        var submission = _store.Submit(account: string.Empty, idempotencyKey: null, price, prompt!,
            slot => new Generation(slot, model!, parameters, now),
            () => Guid.CreateVersion7(now).ToString("D"));
        if (submission.Outcome == SubmitOutcome.InsufficientFunds)
        {
            return Json(402, new JsonObject
            {
                ["error"] = "Insufficient balance.",
                ["message"] = $"This generation costs ${Usd(price)}. Your balance is ${Usd(submission.Balance)}.",
                ["required"] = price,
                ["balance"] = submission.Balance,
            });
        }

        return Json(201, new JsonObject { ["data"] = GenerationJson(submission.Job!, poll: false), ["price_usd"] = price });
    }

    private IResult Get(string id)
    {
        var generation = _store.Find(id);
        return generation is null
            ? Json(404, new JsonObject { ["error"] = "Generation not found." })
            : Json(200, new JsonObject { ["data"] = GenerationJson(generation, poll: true) });
    }

    private IResult List(HttpContext http)
    {
        var query = http.Request.Query;
        var type = query["type"].ToString();
        var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, 100) : 20;
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        if (type.Length > 0 && type is not ("video" or "image"))
        {
            return Json(422, new JsonObject
            {
                ["message"] = "The selected type is invalid.",
                ["errors"] = new JsonObject { ["type"] = new JsonArray("The selected type is invalid.") },
            });
        }

        List<Generation> all = [.. Enumerable.Reverse(_store.All)]; // most recent first

        if (type.Length == 0)
        {
            // Documented quirk: without a type the list is both kinds combined, with no meta, and page is ignored.
            return Json(200, new JsonObject { ["data"] = new JsonArray([.. all.Take(perPage).Select(g => GenerationJson(g, poll: false))]) });
        }

        var ofType = all.Where(g => g.Model.Type == type).ToList();
        var lastPage = Math.Max(1, (ofType.Count + perPage - 1) / perPage);
        return Json(200, new JsonObject
        {
            ["data"] = new JsonArray([.. ofType.Skip((page - 1) * perPage).Take(perPage).Select(g => GenerationJson(g, poll: false))]),
            ["meta"] = new JsonObject
            {
                ["current_page"] = page,
                ["last_page"] = lastPage,
                ["per_page"] = perPage,
                ["total"] = ofType.Count,
            },
        });
    }

    private static IResult GetModel(string slug) =>
        VeoGenEmulatorCatalog.Find(slug) is { } model
            ? Json(200, new JsonObject { ["data"] = ModelJson(model) })
            : Json(404, new JsonObject { ["error"] = "Model not found." });

    private IResult Account() => Json(200, new JsonObject
    {
        ["data"] = new JsonObject
        {
            ["name"] = AccountName,
            ["email"] = AccountEmail,
            ["usd_balance"] = Context.Ledger.GetBalance(Unit),
            ["usd_spent"] = Context.Ledger.TotalCharged(Unit),
        },
    });

    private IResult Balance() => Json(200, new JsonObject
    {
        ["remaining_balance"] = Context.Ledger.GetBalance(Unit),
        ["used_balance"] = Context.Ledger.TotalCharged(Unit),
    });

    private JsonObject GenerationJson(Generation generation, bool poll)
    {
        var snapshot = poll ? generation.Job.Poll() : generation.Job.Current;
        var status = snapshot.State switch
        {
            JobState.Queued => "pending",
            JobState.Running => "processing",
            JobState.Succeeded => "completed",
            _ => "failed",
        };

        JsonNode? output = null;
        JsonNode? error = null;
        if (snapshot.State == JobState.Succeeded)
        {
            var url = generation.PublishOnce(() => [Publish(generation)])[0];
            output = new JsonObject
            {
                ["url"] = url.AbsoluteUri,
                ["download_url"] = url.AbsoluteUri + "?download=1",
                ["content_type"] = generation.Model.IsVideo ? SandboxMedia.VideoContentType : SandboxImage.ContentType,
            };
        }
        else if (snapshot.State == JobState.Failed)
        {
            // "failed — check error field. You were not charged."
            _store.RefundOnce(generation);

            error = snapshot.FailureMessage ?? "Generation failed.";
        }

        return new JsonObject
        {
            ["id"] = generation.Id,
            ["status"] = status,
            ["model"] = generation.Model.Slug,
            ["type"] = generation.Model.Type,
            ["prompt"] = generation.Prompt,
            ["parameters"] = generation.Parameters.DeepClone(),
            ["output"] = output,
            ["error"] = error,
            ["created_at"] = Timestamp(generation.CreatedAt),
            ["completed_at"] = snapshot.IsTerminal && generation.Job.FinishedAt is { } done ? Timestamp(done) : null,
        };
    }

    private static JsonObject ModelJson(VeoGenEmulatorModel model)
    {
        var durations = model.DurationRange is { } range ? Enumerable.Range(range.Min, range.Max - range.Min + 1).ToArray() : [.. model.Durations];
        var json = new JsonObject
        {
            ["slug"] = model.Slug,
            ["label"] = model.Label,
            ["type"] = model.Type,
            ["price_usd"] = model.PriceUsd,
            ["multiply_by_duration"] = model.MultiplyByDuration,
            ["resolution_multipliers"] = new JsonObject([.. model.ResolutionMultipliers.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))]),
            ["supported_params"] = Strings(model.SupportedParams),
            ["aspect_ratios"] = Strings(model.AspectRatios),
            ["resolutions"] = Strings(model.Resolutions),
            ["durations"] = new JsonArray([.. durations.Select(d => (JsonNode)d)]),
            ["modes"] = Strings(model.Modes),
        };
        if (model.Styles.Count > 0)
        {
            json["styles"] = Strings(model.Styles);
        }

        json["docs_url"] = $"https://veogen.studio/api-reference/models/{model.Slug}";
        return json;
    }

    private static decimal Price(VeoGenEmulatorModel model, string? resolution, int? duration, bool referenceVideo)
    {
        var seconds = duration ?? 1;
        if (model.PerSecondByResolution is { } rates && resolution is not null)
        {
            var table = referenceVideo && model.ReferenceVideoPerSecondByResolution is { } discounted ? discounted : rates;
            return table[resolution] * seconds;
        }

        var multiplier = resolution is not null && model.ResolutionMultipliers.TryGetValue(resolution, out var m) ? m : 1m;
        return model.PriceUsd * multiplier * (model.MultiplyByDuration ? seconds : 1);
    }

    private static int? ReadDuration(JsonObject body, VeoGenEmulatorModel model, List<(string, string)> errors)
    {
        var fallback = model.DurationRange?.Min ?? (model.Durations.Count > 0 ? model.Durations[0] : 0);
        if (body["duration"] is null)
        {
            return fallback;
        }

        if (body["duration"] is not JsonValue value || !value.TryGetValue<int>(out var seconds))
        {
            errors.Add(("duration", "The duration field must be an integer."));
            return fallback;
        }

        if (model.DurationRange is { } range && (seconds < range.Min || seconds > range.Max))
        {
            errors.Add(("duration", $"The duration field must be between {range.Min} and {range.Max}."));
        }
        else if (model.DurationRange is null && !model.Durations.Contains(seconds))
        {
            errors.Add(("duration", "The selected duration is invalid."));
        }

        return seconds;
    }

    private static void Choice(JsonObject body, string field, IReadOnlyList<string> allowed, bool takes, JsonObject parameters, List<(string, string)> errors)
    {
        if (Text(body, field) is not { } value || !takes)
        {
            return; // like Laravel, fields a model does not use are ignored
        }

        if (!allowed.Contains(value))
        {
            errors.Add((field, $"The selected {field} is invalid."));
        }

        parameters[field] = value;
    }

    private static int Count(JsonObject body, string field, int max, List<(string, string)> errors)
    {
        if (body[field] is not JsonArray array)
        {
            return 0;
        }

        if (array.Count > max)
        {
            errors.Add((field, $"The {field.Replace('_', ' ')} field must not have more than {max} items."));
        }

        return array.Count;
    }

    // Like Laravel's TrimStrings middleware: input strings are trimmed, and empty ones count as missing.
    private static string? Text(JsonObject body, string field) =>
        body[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Trim().Length > 0 ? text.Trim() : null;

    private static JsonArray Strings(IEnumerable<string> values) => EmulatorJson.Strings(values);

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static string Usd(decimal amount) => amount.ToString("0.00##", CultureInfo.InvariantCulture);

    private static IResult Json(int status, JsonObject body) => EmulatorJson.Result(status, body);

    // Media a person can open: the card shows the vendor, model and prompt, in the ratio (and for a video the length) asked for.
    private Uri Publish(Generation generation)
    {
        var ratio = EmulatorJson.String(generation.Parameters["aspect_ratio"]);
        return generation.Model.IsVideo
            ? Context.PublishMedia(generation.Id + ".mp4", SandboxMedia.CreateVideo("VeoGen Studio", generation.Model.Slug, generation.Prompt, ratio, TimeSpan.FromSeconds((double)(EmulatorJson.Decimal(generation.Parameters["duration"]) ?? 5))), SandboxMedia.VideoContentType)
            : Context.PublishMedia(generation.Id + ".png", SandboxImage.CreatePng("VeoGen Studio", generation.Model.Slug, generation.Prompt, ratio), SandboxImage.ContentType);
    }

    private sealed class Generation(JobSlot slot, VeoGenEmulatorModel model, JsonObject parameters, DateTimeOffset createdAt) : EmulatedJob(slot)
    {
        public VeoGenEmulatorModel Model => model;

        public JsonObject Parameters => parameters;

        public DateTimeOffset CreatedAt => createdAt;
    }
}
