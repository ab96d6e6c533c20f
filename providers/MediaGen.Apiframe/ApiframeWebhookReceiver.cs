using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaGen.Apiframe.Internal;

namespace MediaGen.Apiframe;

/// <summary>
/// Verifies and reads Apiframe webhook deliveries and publishes each new job update into a <see cref="JobUpdateHub"/>,
/// so <see cref="MediaGeneratorExtensions.WaitForCompletionAsync"/> with <see cref="WaitOptions.Updates"/> finishes
/// without polling. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// The docs (A5): <c>X-Webhook-Signature</c> is HMAC-SHA256 of the raw JSON body keyed with the SHA-256 of the API key;
/// <c>X-Webhook-Event</c> names the event. They do not say how the digest is encoded nor whether the key is the 32
/// digest bytes or their hex text, so every combination is accepted: the key as the lowercase hex string of
/// SHA-256(apiKey) (what a Node.js <c>digest('hex')</c> produces; <see cref="ComputeSignature"/> uses this form) or as the
/// raw 32 bytes, and the signature as hex (either case) or base64, optionally prefixed <c>sha256=</c>. Comparison is
/// constant-time.
/// </para>
/// <para>
/// Duplicates (same job, event, status and progress) and stale deliveries (anything after the job was seen ended)
/// are recognised in a bounded memory (<see cref="ApiframeOptions.WebhookDedupeCapacity"/>) and not published again.
/// Deliveries are not signed with a timestamp, so a replay is recognisable only as such a duplicate.
/// </para>
/// </remarks>
public sealed class ApiframeWebhookReceiver
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-Webhook-Signature";

    /// <summary>The event header.</summary>
    public const string EventHeader = "X-Webhook-Event";

    private readonly byte[] _hexKey;
    private readonly byte[] _rawKey;
    private readonly JobUpdateHub? _updates;
    private readonly Action<GenerationJob>? _observe;
    private readonly BoundedSet _seen;
    private readonly BoundedSet _ended;

    /// <summary>Creates a receiver on its own (e.g. in a web process that does not submit jobs).</summary>
    /// <param name="options">The options (the API key is required; it is the signing secret's source).</param>
    /// <param name="updates">Where verified updates are published, or null to only verify and parse.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options have no API key.</exception>
    public ApiframeWebhookReceiver(ApiframeOptions options, JobUpdateHub? updates = null)
        : this(options, updates, null)
    {
    }

    internal ApiframeWebhookReceiver(ApiframeGenerator generator, JobUpdateHub updates)
        : this(generator.Options, updates, generator.Observe)
    {
    }

    private ApiframeWebhookReceiver(ApiframeOptions options, JobUpdateHub? updates, Action<GenerationJob>? observe)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new ArgumentException($"{ApiframeOptions.SectionName}:ApiKey is required to verify webhook signatures.", nameof(options));
        }

        _rawKey = SHA256.HashData(Encoding.UTF8.GetBytes(options.ApiKey));
        _hexKey = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(_rawKey));
        _updates = updates;
        _observe = observe;
        _seen = new BoundedSet(Math.Max(1, options.WebhookDedupeCapacity));
        _ended = new BoundedSet(Math.Max(1, options.WebhookDedupeCapacity));
    }

    /// <summary>Computes the signature Apiframe is expected to send: hex HMAC-SHA256 of the body keyed with hex(SHA-256(apiKey)).</summary>
    /// <param name="apiKey">The API key.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The lowercase hex signature.</returns>
    /// <exception cref="ArgumentException"><paramref name="apiKey"/> is null or empty.</exception>
    public static string ComputeSignature(string apiKey, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var key = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, body));
    }

    /// <summary>Checks a signature header against the raw body in constant time.</summary>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="signature">The <c>X-Webhook-Signature</c> value.</param>
    /// <returns>Whether the body was signed with this key.</returns>
    public bool VerifySignature(ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrWhiteSpace(signature))
        {
            return false;
        }

        Span<byte> byHex = stackalloc byte[32];
        Span<byte> byRaw = stackalloc byte[32];
        HMACSHA256.HashData(_hexKey, body, byHex);
        HMACSHA256.HashData(_rawKey, body, byRaw);
        Span<byte> given = stackalloc byte[32];
        var ok = false;
        foreach (var part in signature.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Decode(part, given))
            {
                // Both comparisons always run, so timing does not tell which key form matched.
                ok |= CryptographicOperations.FixedTimeEquals(given, byHex) | CryptographicOperations.FixedTimeEquals(given, byRaw);
            }
        }

        return ok;
    }

    /// <summary>Receives one delivery: verifies, parses, drops duplicates and stale events, and publishes the update.</summary>
    /// <param name="body">The raw body bytes, exactly as received (before any JSON parsing).</param>
    /// <param name="getHeader">Reads a request header by name (e.g. <c>name =&gt; request.Headers[name]</c>).</param>
    /// <returns>What was done; answer the delivery with <see cref="ApiframeWebhookResult.StatusCode"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getHeader"/> is null.</exception>
    public ApiframeWebhookResult Receive(ReadOnlySpan<byte> body, Func<string, string?> getHeader)
    {
        ArgumentNullException.ThrowIfNull(getHeader);
        return Receive(body, getHeader(SignatureHeader), getHeader(EventHeader));
    }

    /// <summary>Receives one delivery: verifies, parses, drops duplicates and stale events, and publishes the update.</summary>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="signature">The <c>X-Webhook-Signature</c> value.</param>
    /// <param name="eventType">The <c>X-Webhook-Event</c> value, when present.</param>
    /// <returns>What was done; answer the delivery with <see cref="ApiframeWebhookResult.StatusCode"/>.</returns>
    public ApiframeWebhookResult Receive(ReadOnlySpan<byte> body, string? signature, string? eventType = null)
    {
        if (!VerifySignature(body, signature))
        {
            return new(ApiframeWebhookOutcome.InvalidSignature, Reason: string.IsNullOrWhiteSpace(signature)
                ? $"the {SignatureHeader} header is missing"
                : $"the {SignatureHeader} does not match the body for this API key (forged, altered, or signed with another key)");
        }

        WebhookPayloadDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(body, ApiframeJsonContext.Default.WebhookPayloadDto);
        }
        catch (JsonException ex)
        {
            return new(ApiframeWebhookOutcome.Malformed, eventType, Reason: $"the body is not a JSON job event ({ex.Message})");
        }

        if (dto is null || string.IsNullOrWhiteSpace(dto.JobId))
        {
            return new(ApiframeWebhookOutcome.Malformed, eventType, Reason: "the body has no jobId");
        }

        var ev = (dto.Event ?? eventType)?.Trim().ToLowerInvariant();
        if (ev is null || (eventType is not null && !string.Equals(eventType.Trim(), ev, StringComparison.OrdinalIgnoreCase)))
        {
            return new(ApiframeWebhookOutcome.Malformed, ev, Reason: ev is null ? "the delivery names no event" : $"the {EventHeader} header '{eventType}' does not match the signed body's event '{ev}'");
        }

        // Payloads carry their status; infer it from the event when a delivery leaves it out.
        dto.Status ??= ev switch { "completed" => "COMPLETED", "failed" => "FAILED", "progress" => "PROCESSING", _ => null };
        var job = ApiframeJobMapper.TryMap(ApiframeJobMapper.From(dto), null, dto, out var problem);
        if (job is null)
        {
            return new(ApiframeWebhookOutcome.Malformed, ev, Reason: problem);
        }

        var id = dto.JobId.Trim();
        var dedupeKey = $"{id}\n{ev}\n{job.Status}\n{job.Progress}";
        if (_ended.Contains(id))
        {
            return new(_seen.Contains(dedupeKey) ? ApiframeWebhookOutcome.Duplicate : ApiframeWebhookOutcome.Stale, ev, job, "the job was already seen ended");
        }

        if (!_seen.Add(dedupeKey))
        {
            return new(ApiframeWebhookOutcome.Duplicate, ev, job, "this delivery was already received");
        }

        if (job.IsTerminal)
        {
            _ended.Add(id);
            _observe?.Invoke(job);
        }

        _updates?.Publish(job);
        return new(ApiframeWebhookOutcome.Accepted, ev, job);
    }

    private static bool Decode(string text, Span<byte> into)
    {
        var s = text.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) ? text[7..] : text;
        if (s.Length == 64 && Convert.FromHexString(s, into, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32)
        {
            return true;
        }

        var b64 = s.Replace('-', '+').Replace('_', '/');
        if (b64.Length % 4 != 0)
        {
            b64 = b64.PadRight(b64.Length + (4 - (b64.Length % 4)), '=');
        }

        Span<byte> buffer = stackalloc byte[48];
        if (Convert.TryFromBase64String(b64, buffer, out var n) && n == 32)
        {
            buffer[..32].CopyTo(into);
            return true;
        }

        return false;
    }

    /// <summary>A set that forgets its oldest entries beyond a capacity.</summary>
    private sealed class BoundedSet(int capacity)
    {
        private readonly HashSet<string> _set = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();
        private readonly Lock _lock = new();

        public bool Contains(string key)
        {
            lock (_lock)
            {
                return _set.Contains(key);
            }
        }

        public bool Add(string key)
        {
            lock (_lock)
            {
                if (!_set.Add(key))
                {
                    return false;
                }

                _order.Enqueue(key);
                while (_order.Count > capacity)
                {
                    _set.Remove(_order.Dequeue());
                }

                return true;
            }
        }
    }
}
