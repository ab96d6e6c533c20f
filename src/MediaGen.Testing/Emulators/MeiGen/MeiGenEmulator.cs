using System.Globalization;
using System.Text;
using System.Text.Json;
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
public sealed class MeiGenEmulator : IVendorEmulator
{
    private const string KeyPrefix = "meigen_sk_";
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Generation> _generations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string User, string Key), Generation> _byKey = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _posts = new(StringComparer.Ordinal);
    private EmulatorContext? _context;
    private bool _firstIdUsed;

    /// <summary>Creates the emulator.</summary>
    /// <param name="options">Its behaviour; the docs' defaults when null.</param>
    public MeiGenEmulator(MeiGenEmulatorOptions? options = null) => Options = options ?? new MeiGenEmulatorOptions();

    /// <summary>Gets the options (read on every request, so tests may change them between calls).</summary>
    public MeiGenEmulatorOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "meigen";

    /// <summary>Gets the number of generations accepted (deduplicated retries not counted).</summary>
    public int AcceptedCount
    {
        get
        {
            lock (_lock)
            {
                return _generations.Count;
            }
        }
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes, EmulatorContext context)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        routes.MapPost("/api/generate/v2", GenerateAsync);
        routes.MapGet("/api/generate/v2/status/{id}", StatusAsync);
        routes.MapGet("/api/generate/v2/requests/{key}", RecoverAsync);
        routes.MapGet("/api/models", ModelsAsync);
    }

    private EmulatorContext Context => _context ?? throw new InvalidOperationException("The emulator is not mapped on a host.");

    private async Task GenerateAsync(HttpContext http)
    {
        if (User(http) is not { } user)
        {
            await WriteAsync(http, 401, new JsonObject { ["error"] = "Invalid or missing API token" }).ConfigureAwait(false);
            return;
        }

        if (!TryTakeRateSlot(user))
        {
            http.Response.Headers["Retry-After"] = "60";
            http.Response.Headers["X-RateLimit-Limit"] = Options.GenerateRequestsPerMinute.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Remaining"] = "0";
            await WriteAsync(http, 429, new JsonObject { ["error"] = $"Rate limit exceeded: {Options.GenerateRequestsPerMinute} requests per minute" }).ConfigureAwait(false);
            return;
        }

        JsonObject? body;
        try
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            body = JsonNode.Parse(await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false)) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            await WriteAsync(http, 400, new JsonObject { ["error"] = "Request body must be a JSON object" }).ConfigureAwait(false);
            return;
        }

        var check = MeiGenEmulatorValidation.Check(body);
        if (check.Error is { } error)
        {
            await WriteAsync(http, 400, new JsonObject { ["error"] = error }).ConfigureAwait(false);
            return;
        }

        var model = check.Model!;
        var key = body["idempotencyKey"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
        var fingerprint = Fingerprint(body);
        var (status, answer) = Accept(user, key, fingerprint, model, body, check.Cost, check.Prompt!);
        await WriteAsync(http, status, answer).ConfigureAwait(false);
    }

    private (int Status, JsonObject Body) Accept(string user, string? key, string fingerprint, MeiGenEmulatedModel model, JsonObject body, decimal cost, string prompt)
    {
        var ledger = Context.Ledger;
        lock (_lock)
        {
            if (key is not null && _byKey.TryGetValue((user, key), out var prior))
            {
                if (prior.Fingerprint != fingerprint)
                {
                    return (409, new JsonObject
                    {
                        ["success"] = false,
                        ["code"] = "idempotency_conflict",
                        ["error"] = "This idempotencyKey was already used for a different request. Use a new key for a new request.",
                    });
                }

                var again = prior.Accepted.DeepClone().AsObject();
                again["deduped"] = true;
                return (200, again);
            }

            if (!ledger.TryDebit(MeiGenEmulatorOptions.CreditsUnit, cost, out var balance))
            {
                return (402, new JsonObject
                {
                    ["error"] = $"Insufficient credits: this generation costs {cost.ToString(CultureInfo.InvariantCulture)} credits. API tokens can only use purchased credits.",
                    ["credits"] = Credits(balance),
                });
            }

            var id = NextId();
            ledger.Accept(id, key, cost, MeiGenEmulatorOptions.CreditsUnit, prompt);
            var job = Context.Jobs.Create(id, prompt, model.Id);
            var accepted = new JsonObject
            {
                ["success"] = true,
                ["generationId"] = id,
                ["status"] = "processing",
                ["creditsUsed"] = cost,
                ["modelId"] = model.Id,
                ["credits"] = Credits(balance),
            };
            var ratio = body["aspectRatio"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : "auto";
            var generation = new Generation(id, user, key, fingerprint, model, prompt, ratio is "auto" or "adaptive" ? "16:9" : ratio, cost, job, accepted);
            _generations[id] = generation;
            if (key is not null)
            {
                _byKey[(user, key)] = generation;
            }

            return (200, accepted.DeepClone().AsObject());
        }
    }

    private async Task StatusAsync(HttpContext http)
    {
        var user = User(http);
        if (user is null && http.Request.Headers.Authorization.Count > 0)
        {
            await WriteAsync(http, 401, new JsonObject { ["error"] = "Invalid API token" }).ConfigureAwait(false);
            return;
        }

        var id = http.Request.RouteValues["id"] as string ?? string.Empty;
        Generation? generation;
        lock (_lock)
        {
            _generations.TryGetValue(id, out generation);
        }

        if (generation is null || (user is not null && generation.User != user))
        {
            await WriteAsync(http, 404, new JsonObject { ["error"] = "Generation not found" }).ConfigureAwait(false);
            return;
        }

        await WriteAsync(http, 200, StatusJson(generation, generation.Job.Poll(), recovery: false)).ConfigureAwait(false);
    }

    private async Task RecoverAsync(HttpContext http)
    {
        if (User(http) is not { } user)
        {
            await WriteAsync(http, 401, new JsonObject { ["error"] = "Invalid or missing API token" }).ConfigureAwait(false);
            return;
        }

        var key = http.Request.RouteValues["key"] as string ?? string.Empty;
        Generation? generation;
        lock (_lock)
        {
            _byKey.TryGetValue((user, key), out generation);
        }

        if (generation is null)
        {
            await WriteAsync(http, 404, new JsonObject { ["success"] = false, ["code"] = "request_not_found" }).ConfigureAwait(false);
            return;
        }

        await WriteAsync(http, 200, StatusJson(generation, generation.Job.Current, recovery: true)).ConfigureAwait(false);
    }

    private async Task ModelsAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, s-maxage=300";
        var models = new JsonArray([.. MeiGenEmulatedModel.All.Where(m => m.Listed).Select(m => (JsonNode)m.ToModelsJson())]);
        await WriteAsync(http, 200, new JsonObject { ["success"] = true, ["models"] = models }).ConfigureAwait(false);
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
            json["requestId"] = generation.Key;
        }

        json["status"] = status;
        string[]? urls = null;
        string? r2Key = null;
        if (snapshot.State == JobState.Succeeded)
        {
            (urls, r2Key) = Publish(generation);
        }
        else if (snapshot.State == JobState.Failed)
        {
            Refund(generation);
        }

        json["imageUrl"] = !video && urls is not null ? urls[0] : null;
        json["imageUrls"] = !video && urls is not null ? new JsonArray([.. urls.Select(u => (JsonNode)u)]) : null;
        json["videoUrl"] = video && urls is not null ? urls[0] : null;
        json["mediaType"] = video ? "video" : "image";
        json["r2Key"] = r2Key;
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
            json["creditsUsed"] = snapshot.State == JobState.Failed ? 0 : generation.Cost;
        }

        if (Options.ExtendedStatusFields && !snapshot.IsTerminal)
        {
            var elapsed = Context.TimeProvider.GetUtcNow() - generation.Job.CreatedAt;
            json["pollHintSeconds"] = Math.Max(0, (int)Math.Ceiling((Options.ObservationWindow - elapsed).TotalSeconds));
            json["expectedWaitSeconds"] = generation.Model.ExpectedWaitSeconds;
        }

        return json;
    }

    private (string[] Urls, string R2Key) Publish(Generation generation)
    {
        lock (_lock)
        {
            if (generation.Urls is { } done)
            {
                return (done, generation.R2Key!);
            }

            var video = generation.Model.IsVideo;
            var count = generation.Model.IsMidjourney ? 4 : 1;
            var extension = video ? "mp4" : "png";
            var urls = new string[count];
            for (var i = 0; i < count; i++)
            {
                var suffix = count == 1 ? string.Empty : $"-{(i + 1).ToString(CultureInfo.InvariantCulture)}";
                if (Options.UseDocsExampleUrls)
                {
                    urls[i] = $"https://images.meigen.art/generations/xxx{suffix}.{extension}";
                }
                else
                {
                    var name = $"meigen-{generation.Id}{suffix}.{extension}";
                    var (w, h) = Size(generation.AspectRatio);
                    var bytes = video ? SandboxMedia.CreateVideoPlaceholder(generation.Prompt) : SandboxImage.CreatePng($"{generation.Prompt} #{i + 1}", w, h);
                    urls[i] = Context.PublishMedia(name, bytes, video ? "video/mp4" : "image/png").AbsoluteUri;
                }
            }

            generation.Urls = urls;
            generation.R2Key = Options.UseDocsExampleUrls ? $"generations/xxx.{extension}" : $"generations/{generation.Id}.{extension}";
            return (urls, generation.R2Key);
        }
    }

    private void Refund(Generation generation)
    {
        lock (_lock)
        {
            if (generation.Refunded)
            {
                return;
            }

            generation.Refunded = true;
            Context.Ledger.Refund(generation.Id);
            Context.Ledger.Credit(MeiGenEmulatorOptions.CreditsUnit, generation.Cost);
        }
    }

    private static (int Width, int Height) Size(string ratio)
    {
        var parts = ratio.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var w) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var h) && w > 0 && h > 0)
        {
            return w >= h ? (256, Math.Max(1, 256 * h / w)) : (Math.Max(1, 256 * w / h), 256);
        }

        return (256, 256);
    }

    private string? User(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        var valid = Options.ApiKeys.Count > 0 ? Options.ApiKeys.Contains(token) : token.StartsWith(KeyPrefix, StringComparison.Ordinal) && token.Length > KeyPrefix.Length;
        return valid ? token : null;
    }

    private bool TryTakeRateSlot(string user)
    {
        var now = Context.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!_posts.TryGetValue(user, out var log))
            {
                _posts[user] = log = new Queue<DateTimeOffset>();
            }

            while (log.Count > 0 && now - log.Peek() >= RateWindow)
            {
                log.Dequeue();
            }

            if (log.Count >= Options.GenerateRequestsPerMinute)
            {
                return false;
            }

            log.Enqueue(now);
            return true;
        }
    }

    private string NextId()
    {
        if (!_firstIdUsed && Options.FirstGenerationId is { Length: > 0 } first)
        {
            _firstIdUsed = true;
            return first;
        }

        return Guid.NewGuid().ToString("D");
    }

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

    private static async Task WriteAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }

    private sealed class Generation(string id, string user, string? key, string fingerprint, MeiGenEmulatedModel model, string prompt, string aspectRatio, decimal cost, ScriptedJob job, JsonObject accepted)
    {
        public string Id { get; } = id;

        public string User { get; } = user;

        public string? Key { get; } = key;

        public string Fingerprint { get; } = fingerprint;

        public MeiGenEmulatedModel Model { get; } = model;

        public string Prompt { get; } = prompt;

        public string AspectRatio { get; } = aspectRatio;

        public decimal Cost { get; } = cost;

        public ScriptedJob Job { get; } = job;

        public JsonObject Accepted { get; } = accepted;

        public string[]? Urls { get; set; }

        public string? R2Key { get; set; }

        public bool Refunded { get; set; }
    }
}
