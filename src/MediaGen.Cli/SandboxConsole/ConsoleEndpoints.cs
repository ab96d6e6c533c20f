using System.Globalization;
using System.Text.Json;
using MediaGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MediaGen.Cli;

/// <summary>
/// The sandbox console: a page at <c>/</c> (static HTML/CSS/JS embedded in the CLI) and its JSON API under
/// <c>/_console/api/</c>, served on the sandbox's own port. It lists what the host's emulators received and charged,
/// for every emulator the host serves, and drives the <see cref="FaultSwitches"/>. Nothing it returns carries an API key.
/// </summary>
internal sealed class ConsoleEndpoints
{
    /// <summary>The prefix of the console's own paths.</summary>
    public const string Prefix = "/_console";

    private const int MaxRequestsListed = 500;
    private static readonly TimeSpan EventCheckInterval = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan EventHeartbeat = TimeSpan.FromSeconds(15);

    private volatile EmulatorHost? _host;
    private volatile FaultSwitches? _faults;

    /// <summary>Connects the endpoints to the started host (requests before that are answered 503).</summary>
    public void Attach(EmulatorHost host, FaultSwitches faults)
    {
        _faults = faults;
        _host = host;
    }

    /// <summary>Maps the page, its assets, the JSON API and the event stream (for <see cref="EmulatorHostOptions.MapEndpoints"/>).</summary>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", http => AssetAsync(http, "index.html"));
        routes.MapGet(Prefix + "/", http => AssetAsync(http, "index.html"));
        routes.MapGet(Prefix + "/console.css", http => AssetAsync(http, "console.css"));
        routes.MapGet(Prefix + "/console.js", http => AssetAsync(http, "console.js"));
        routes.MapGet("/favicon.ico", http =>
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        routes.MapGet(Prefix + "/api/state", http => WithHost(http, (host, faults) => Json(http, 200, w => WriteState(w, host, faults))));
        routes.MapGet(Prefix + "/api/requests", http => WithHost(http, (host, faults) => Json(http, 200, w => WriteRequests(w, host, faults))));
        routes.MapGet(Prefix + "/api/requests/{id}", http => WithHost(http, (host, faults) => RequestDetailAsync(http, host, faults)));
        routes.MapGet(Prefix + "/api/billing", http => WithHost(http, (host, faults) => Json(http, 200, w => WriteVendors(w, host, faults))));
        routes.MapGet(Prefix + "/api/faults", http => WithHost(http, (_, faults) => Json(http, 200, w => WriteFaults(w, faults))));
        routes.MapPost(Prefix + "/api/faults", http => WithHost(http, (_, faults) => TurnOnAsync(http, faults)));
        routes.MapDelete(Prefix + "/api/faults", http => WithHost(http, (_, faults) => TurnOff(http, faults, null, null)));
        routes.MapDelete(Prefix + "/api/faults/{vendor}", http => WithHost(http, (_, faults) => TurnOff(http, faults, Route(http, "vendor"), null)));
        routes.MapDelete(Prefix + "/api/faults/{vendor}/{kind}", http => WithHost(http, (_, faults) => TurnOff(http, faults, Route(http, "vendor"), Route(http, "kind"))));
        routes.MapGet(Prefix + "/events", http => WithHost(http, (host, faults) => EventsAsync(http, host, faults)));
    }

    private Task WithHost(HttpContext http, Func<EmulatorHost, FaultSwitches, Task> handle)
    {
        if (_host is not { } host || _faults is not { } faults)
        {
            return Json(http, 503, w => w.WriteString("error", "the sandbox is still starting"), wrap: true);
        }

        http.Response.Headers.CacheControl = "no-store";
        return handle(host, faults);
    }

    private static string? Route(HttpContext http, string name) => http.Request.RouteValues[name] as string;

    private static async Task AssetAsync(HttpContext http, string name)
    {
        Stream? stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream("console/" + name);
        if (stream is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await using (stream.ConfigureAwait(false))
        {
            http.Response.ContentType = Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "text/javascript; charset=utf-8",
            };
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";
            http.Response.Headers["X-Content-Type-Options"] = "nosniff";
            http.Response.ContentLength = stream.Length;
            await stream.CopyToAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static Task Json(HttpContext http, int status, Action<Utf8JsonWriter> body, bool wrap = false)
    {
        string text = CliJson.Write(w =>
        {
            if (wrap)
            {
                w.WriteStartObject();
                body(w);
                w.WriteEndObject();
            }
            else
            {
                body(w);
            }
        });
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(text, http.RequestAborted);
    }

    private static Task Error(HttpContext http, int status, string message) =>
        Json(http, status, w => w.WriteString("error", message), wrap: true);

    private static async Task TurnOnAsync(HttpContext http, FaultSwitches faults)
    {
        string? vendor;
        string? kind;
        int? count = null;
        try
        {
            using JsonDocument doc = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                await Error(http, 400, "the body must be a JSON object: {\"vendor\": \"meigen\", \"kind\": \"outage\", \"count\": 3} (count optional: until switched off).").ConfigureAwait(false);
                return;
            }

            vendor = root.TryGetProperty("vendor", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            kind = root.TryGetProperty("kind", out JsonElement k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (root.TryGetProperty("count", out JsonElement c) && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out int n))
                {
                    await Error(http, 400, "count must be a whole number of at least 1, or null for 'until switched off'.").ConfigureAwait(false);
                    return;
                }

                count = n;
            }
        }
        catch (JsonException ex)
        {
            await Error(http, 400, "the body is not JSON: " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrWhiteSpace(vendor) || string.IsNullOrWhiteSpace(kind))
        {
            await Error(http, 400, "vendor and kind are required, such as {\"vendor\": \"meigen\", \"kind\": \"outage\"}.").ConfigureAwait(false);
            return;
        }

        string? error = faults.TurnOn(vendor, kind, count);
        if (error is not null)
        {
            await Error(http, 400, error).ConfigureAwait(false);
            return;
        }

        await Json(http, 200, w => WriteFaults(w, faults)).ConfigureAwait(false);
    }

    private static Task TurnOff(HttpContext http, FaultSwitches faults, string? vendor, string? kind)
    {
        if (vendor is not null && faults.FindVendor(vendor) is null)
        {
            return Error(http, 404, $"unknown vendor '{vendor}'; the sandbox serves {string.Join(", ", faults.Vendors)}.");
        }

        if (kind is not null && FaultSwitchKinds.Find(kind) is null)
        {
            return Error(http, 404, $"unknown fault '{kind}'; the kinds are {string.Join(", ", FaultSwitchKinds.All.Select(k => k.Name))}.");
        }

        faults.TurnOff(vendor, kind);
        return Json(http, 200, w => WriteFaults(w, faults));
    }

    private static Task RequestDetailAsync(HttpContext http, EmulatorHost host, FaultSwitches faults)
    {
        IReadOnlyList<RecordedRequest> requests = host.Requests;
        if (!int.TryParse(Route(http, "id"), NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id < 1 || id > requests.Count)
        {
            return Error(http, 404, "no such request.");
        }

        RecordedRequest r = requests[id - 1];
        IReadOnlyList<string> secrets = SecretMask.SecretsOf(r.Headers, r.Query);
        return Json(http, 200, w =>
        {
            w.WriteStartObject();
            WriteRequestFields(w, id, r, secrets, faults);
            w.WriteStartObject("headers");
            foreach ((string name, string value) in r.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                w.WriteString(name, SecretMask.Header(name, value, secrets));
            }

            w.WriteEndObject();
            w.WriteString("body", SecretMask.Body(r.Body, secrets));
            w.WriteEndObject();
        });
    }

    private static async Task EventsAsync(HttpContext http, EmulatorHost host, FaultSwitches faults)
    {
        IHostApplicationLifetime lifetime = http.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        string? last = null;
        long lastWrite = 0;
        try
        {
            await http.Response.WriteAsync("retry: 1000\n\n", stop.Token).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            while (!stop.IsCancellationRequested)
            {
                string now = Signature(host, faults);
                if (now != last)
                {
                    last = now;
                    lastWrite = System.Diagnostics.Stopwatch.GetTimestamp();
                    await http.Response.WriteAsync($"event: changed\ndata: {now}\n\n", stop.Token).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                }
                else if (System.Diagnostics.Stopwatch.GetElapsedTime(lastWrite) > EventHeartbeat)
                {
                    lastWrite = System.Diagnostics.Stopwatch.GetTimestamp();
                    await http.Response.WriteAsync(": keep-alive\n\n", stop.Token).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                }

                // A server-side check of the host's counters, not a test waiting for a job: the page is told within this interval.
                await Task.Delay(EventCheckInterval, TimeProvider.System, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the page went away or the sandbox is stopping
        }
    }

    /// <summary>A short text that changes whenever anything the console shows changes.</summary>
    private static string Signature(EmulatorHost host, FaultSwitches faults)
    {
        IReadOnlyList<RecordedRequest> requests = host.Requests;
        int completed = requests.Count(r => r.Duration is not null);
        int jobs = host.Jobs.Jobs.Sum(j => 1 + (int)j.Current.State);
        return string.Create(CultureInfo.InvariantCulture, $"{requests.Count}.{completed}.{host.Ledger.Entries.Count}.{jobs}.{faults.Version}");
    }

    private static void WriteState(Utf8JsonWriter w, EmulatorHost host, FaultSwitches faults)
    {
        w.WriteStartObject();
        w.WriteString("version", Signature(host, faults));
        w.WritePropertyName("vendors");
        WriteVendors(w, host, faults);
        w.WritePropertyName("faults");
        WriteFaults(w, faults);
        w.WritePropertyName("requests");
        WriteRequests(w, host, faults);
        w.WriteEndObject();
    }

    private static void WriteRequests(Utf8JsonWriter w, EmulatorHost host, FaultSwitches faults)
    {
        IReadOnlyList<RecordedRequest> requests = host.Requests;
        w.WriteStartArray();
        for (int i = requests.Count - 1; i >= Math.Max(0, requests.Count - MaxRequestsListed); i--)
        {
            RecordedRequest r = requests[i];
            w.WriteStartObject();
            WriteRequestFields(w, i + 1, r, SecretMask.SecretsOf(r.Headers, r.Query), faults);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteRequestFields(Utf8JsonWriter w, int id, RecordedRequest r, IReadOnlyList<string> secrets, FaultSwitches faults)
    {
        w.WriteNumber("id", id);
        w.WriteString("at", r.ReceivedAt.ToString("O", CultureInfo.InvariantCulture));
        if (r.Emulator is null)
        {
            w.WriteNull("vendor");
        }
        else
        {
            w.WriteString("vendor", r.Emulator);
        }

        w.WriteString("method", r.Method);
        w.WriteString("path", SecretMask.Text(r.Path, secrets) + SecretMask.Query(r.Query, secrets));
        if (r.StatusCode is int status)
        {
            w.WriteNumber("status", status);
        }
        else
        {
            w.WriteNull("status");
        }

        w.WriteString("outcome", r.Duration is null ? "in flight" : r.StatusCode is null ? "dropped" : "answered");
        if (r.Duration is TimeSpan duration)
        {
            w.WriteNumber("durationMs", Math.Round(duration.TotalMilliseconds, 1));
        }
        else
        {
            w.WriteNull("durationMs");
        }

        if (faults.FaultOf(r) is { } fault)
        {
            w.WriteString("fault", fault);
        }
        else
        {
            w.WriteNull("fault");
        }
    }

    private static void WriteVendors(Utf8JsonWriter w, EmulatorHost host, FaultSwitches faults)
    {
        IReadOnlyList<LedgerEntry> ledger = host.Ledger.Entries;
        IReadOnlyList<ScriptedJob> jobs = host.Jobs.Jobs;
        IReadOnlyList<RecordedRequest> requests = host.Requests;
        IReadOnlyList<ActiveFault> active = faults.Active;
        w.WriteStartArray();
        foreach (string vendor in faults.Vendors)
        {
            var entries = ledger.Where(e => e.Emulator == vendor).ToList();
            w.WriteStartObject();
            w.WriteString("name", vendor);
            w.WriteNumber("requests", requests.Count(r => r.Emulator == vendor));
            w.WriteStartArray("faults");
            foreach (ActiveFault a in active.Where(a => a.Vendor == vendor))
            {
                WriteActive(w, a);
            }

            w.WriteEndArray();
            w.WriteStartArray("totals");
            foreach (var unit in entries.GroupBy(e => e.Unit, StringComparer.Ordinal))
            {
                decimal charged = unit.Where(e => e.Kind == LedgerEntryKind.Charge).Sum(e => e.Amount);
                decimal refunded = unit.Where(e => e.Kind == LedgerEntryKind.Refund).Sum(e => e.Amount);
                w.WriteStartObject();
                w.WriteString("unit", unit.Key);
                w.WriteNumber("charges", unit.Count(e => e.Kind == LedgerEntryKind.Charge));
                w.WriteNumber("refunds", unit.Count(e => e.Kind == LedgerEntryKind.Refund));
                w.WriteNumber("charged", charged);
                w.WriteNumber("refunded", refunded);
                w.WriteNumber("net", charged - refunded);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("ledger");
            foreach (LedgerEntry e in entries)
            {
                w.WriteStartObject();
                w.WriteString("kind", e.Kind == LedgerEntryKind.Charge ? "charge" : "refund");
                w.WriteString("jobId", e.JobId);
                w.WriteNumber("amount", e.Amount);
                w.WriteString("unit", e.Unit);
                w.WriteString("at", e.At.ToString("O", CultureInfo.InvariantCulture));
                if (e.IdempotencyKey is null)
                {
                    w.WriteNull("idempotencyKey");
                }
                else
                {
                    w.WriteString("idempotencyKey", SecretMask.Text(e.IdempotencyKey, []));
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("jobs");
            foreach (ScriptedJob job in jobs.Where(j => j.Emulator == vendor))
            {
                JobSnapshot current = job.Current;
                w.WriteStartObject();
                w.WriteString("id", job.Id);
                w.WriteString("state", current.State.ToString().ToLowerInvariant());
                w.WriteString("prompt", SecretMask.Text(job.Prompt ?? string.Empty, []));
                w.WriteString("createdAt", job.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFaults(Utf8JsonWriter w, FaultSwitches faults)
    {
        w.WriteStartObject();
        w.WriteStartArray("vendors");
        foreach (string vendor in faults.Vendors)
        {
            w.WriteStringValue(vendor);
        }

        w.WriteEndArray();
        w.WriteStartArray("kinds");
        foreach (FaultSwitchKind kind in FaultSwitchKinds.All)
        {
            w.WriteStartObject();
            w.WriteString("name", kind.Name);
            w.WriteString("label", kind.Label);
            w.WriteString("description", kind.Description);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("active");
        foreach (ActiveFault a in faults.Active)
        {
            WriteActive(w, a);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteActive(Utf8JsonWriter w, ActiveFault a)
    {
        w.WriteStartObject();
        w.WriteString("vendor", a.Vendor);
        w.WriteString("kind", a.Kind);
        if (a.Remaining is int remaining)
        {
            w.WriteNumber("remaining", remaining);
        }
        else
        {
            w.WriteNull("remaining");
        }

        w.WriteNumber("fired", a.Fired);
        w.WriteEndObject();
    }
}
