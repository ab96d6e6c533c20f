using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaGen.Replicate.Internal;

namespace MediaGen.Replicate;

/// <summary>
/// Verifies Replicate webhook deliveries and publishes each new prediction update into a <see cref="JobUpdateHub"/>, so
/// <see cref="MediaGeneratorExtensions.WaitForCompletionAsync"/> with <see cref="WaitOptions.Updates"/> finishes without
/// polling. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Signing (D7, D11; §1.7): <c>webhook-signature</c> is a space-separated list of <c>v1,&lt;base64&gt;</c> entries, each
/// the base64 HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{raw body}</c> keyed with the base64-decoded part of the
/// <c>whsec_…</c> secret after <c>whsec_</c>. A match on any entry is enough; comparison is constant-time.
/// </para>
/// <para>
/// <c>webhook-timestamp</c> (Unix seconds) must be within <see cref="Tolerance"/> of the clock, so a captured delivery
/// cannot be replayed later (Replicate's recommended window was not found; ±5 min is the Standard Webhooks practice).
/// <c>webhook-id</c> is the same on retries: a verified id seen before is <see cref="ReplicateWebhookOutcome.Duplicate"/>
/// and not published again (bounded memory, <see cref="DedupeCapacity"/>).
/// </para>
/// </remarks>
public sealed class ReplicateWebhookReceiver
{
    /// <summary>The message id header (unique per message, the same on retries).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The timestamp header (Unix seconds).</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The signature header (space-separated <c>v1,&lt;base64&gt;</c> entries).</summary>
    public const string SignatureHeader = "webhook-signature";

    private readonly byte[] _key;
    private readonly JobUpdateHub? _updates;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly Queue<string> _endedOrder = new();

    /// <summary>Creates a receiver.</summary>
    /// <param name="signingSecret">The <c>whsec_…</c> secret of <c>GET /v1/webhooks/default/secret</c>.</param>
    /// <param name="updates">Where verified updates are published, or null to only verify and parse.</param>
    /// <param name="timeProvider">The clock timestamps are checked against (the system clock when null).</param>
    /// <exception cref="ArgumentException">The secret is missing or not <c>whsec_</c> followed by base64.</exception>
    public ReplicateWebhookReceiver(string signingSecret, JobUpdateHub? updates = null, TimeProvider? timeProvider = null)
    {
        _key = DecodeSecret(signingSecret)
            ?? throw new ArgumentException($"A Replicate webhook signing secret (whsec_…, from GET /v1/webhooks/default/secret or {ReplicateOptions.SectionName}:WebhookSigningSecret) is required to verify deliveries.", nameof(signingSecret));
        _updates = updates;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets how far a delivery's timestamp may be from the clock, either way.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets how many webhook ids (and ended predictions) are remembered.</summary>
    /// <value>The default is 10000.</value>
    public int DedupeCapacity { get; init; } = 10_000;

    /// <summary>The HMAC key of a <c>whsec_…</c> secret: the base64 after the prefix, decoded; null when it is not one.</summary>
    /// <param name="secret">The secret.</param>
    /// <returns>The key bytes, or null.</returns>
    public static byte[]? DecodeSecret(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return null;
        }

        var text = secret.Trim();
        var underscore = text.LastIndexOf('_');
        var b64 = text.StartsWith("whsec_", StringComparison.Ordinal) ? text[6..] : underscore >= 0 ? text[(underscore + 1)..] : text;
        try
        {
            var key = Convert.FromBase64String(b64);
            return key.Length > 0 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Computes the signature Replicate sends: <c>v1,</c> + base64(HMAC-SHA256(key, id.timestamp.body)).</summary>
    /// <param name="signingSecret">The <c>whsec_…</c> secret.</param>
    /// <param name="webhookId">The <c>webhook-id</c>.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> (Unix seconds, as sent).</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The <c>webhook-signature</c> entry.</returns>
    /// <exception cref="ArgumentException">The secret is not a <c>whsec_</c> secret.</exception>
    public static string ComputeSignature(string signingSecret, string webhookId, string timestamp, ReadOnlySpan<byte> body)
    {
        var key = DecodeSecret(signingSecret) ?? throw new ArgumentException("Not a whsec_ secret.", nameof(signingSecret));
        return "v1," + Convert.ToBase64String(Sign(key, webhookId, timestamp, body));
    }

    /// <summary>Checks the signature of a delivery (not its timestamp) in constant time per entry.</summary>
    /// <param name="webhookId">The <c>webhook-id</c>.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c>.</param>
    /// <param name="body">The raw body, exactly as received.</param>
    /// <param name="signature">The <c>webhook-signature</c> value.</param>
    /// <returns>Whether any entry matches.</returns>
    public bool VerifySignature(string? webhookId, string? timestamp, ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrWhiteSpace(webhookId) || string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            return false;
        }

        var expected = Sign(_key, webhookId.Trim(), timestamp.Trim(), body);
        Span<byte> given = stackalloc byte[64];
        var ok = false;
        foreach (var entry in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            var version = comma < 0 ? "v1" : entry[..comma];
            var value = comma < 0 ? entry : entry[(comma + 1)..];
            if (version == "v1" && Convert.TryFromBase64String(value, given, out var n) && n == expected.Length)
            {
                ok |= CryptographicOperations.FixedTimeEquals(given[..n], expected);
            }
        }

        return ok;
    }

    /// <summary>Receives one delivery: verifies signature and timestamp, parses, drops duplicates and stale updates, publishes.</summary>
    /// <param name="body">The raw body bytes, exactly as received (before any JSON parsing).</param>
    /// <param name="getHeader">Reads a request header by name (e.g. <c>name =&gt; request.Headers[name]</c>).</param>
    /// <returns>What was done; answer the delivery with <see cref="ReplicateWebhookResult.StatusCode"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="getHeader"/> is null.</exception>
    public ReplicateWebhookResult Receive(ReadOnlySpan<byte> body, Func<string, string?> getHeader)
    {
        ArgumentNullException.ThrowIfNull(getHeader);
        return Receive(body, getHeader(IdHeader), getHeader(TimestampHeader), getHeader(SignatureHeader));
    }

    /// <summary>Receives one delivery (see <see cref="Receive(ReadOnlySpan{byte}, Func{string, string?})"/>).</summary>
    /// <param name="body">The raw body bytes.</param>
    /// <param name="webhookId">The <c>webhook-id</c>.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c>.</param>
    /// <param name="signature">The <c>webhook-signature</c>.</param>
    /// <returns>What was done.</returns>
    public ReplicateWebhookResult Receive(ReadOnlySpan<byte> body, string? webhookId, string? timestamp, string? signature)
    {
        var id = webhookId?.Trim();
        if (!VerifySignature(id, timestamp, body, signature))
        {
            return new(ReplicateWebhookOutcome.InvalidSignature, id, Reason: string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(timestamp)
                ? $"the {IdHeader}, {TimestampHeader} or {SignatureHeader} header is missing"
                : $"no {SignatureHeader} entry matches id.timestamp.body for this secret (forged, altered, or signed with another secret)");
        }

        if (!long.TryParse(timestamp!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unix)
            || unix is < -62_135_596_800 or > 253_402_300_799)
        {
            return new(ReplicateWebhookOutcome.InvalidTimestamp, id, Reason: $"the {TimestampHeader} '{timestamp}' is not Unix seconds");
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(unix);
        var now = _time.GetUtcNow();
        if ((now - sent).Duration() > Tolerance)
        {
            return new(ReplicateWebhookOutcome.InvalidTimestamp, id, Reason: $"the delivery was signed at {sent:O}, {(now - sent).Duration()} from the clock ({now:O}), beyond the {Tolerance} tolerance (a replay or a stale retry)");
        }

        var wire = ReplicateApi.Deserialize(Encoding.UTF8.GetString(body), ReplicateJsonContext.Default.PredictionWire, out var problem);
        var job = wire is null ? null : ReplicateJobMapper.Map(wire, null, ReplicateCatalog.KindOf(wire.Model), out problem);
        if (job is null)
        {
            return new(ReplicateWebhookOutcome.Malformed, id, Reason: problem);
        }

        lock (_lock)
        {
            if (_seen.Contains(id!))
            {
                return new(ReplicateWebhookOutcome.Duplicate, id, job, "this webhook-id was already received");
            }

            Remember(_seen, _seenOrder, id!);
            var prediction = job.Handle.VendorJobId;
            if (_ended.Contains(prediction))
            {
                return new(ReplicateWebhookOutcome.Stale, id, job, "the prediction was already seen ended");
            }

            if (job.IsTerminal)
            {
                Remember(_ended, _endedOrder, prediction);
            }
        }

        _updates?.Publish(job);
        return new(ReplicateWebhookOutcome.Accepted, id, job);
    }

    private static byte[] Sign(byte[] key, string webhookId, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }

    private void Remember(HashSet<string> set, Queue<string> order, string key)
    {
        if (set.Add(key))
        {
            order.Enqueue(key);
            while (order.Count > Math.Max(1, DedupeCapacity))
            {
                set.Remove(order.Dequeue());
            }
        }
    }
}
