using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using MediaGen.Testing.Internal;

namespace MediaGen.Testing.Emulators.Replicate;

/// <summary>One webhook POST the Replicate emulator made (one try of one message).</summary>
/// <param name="PredictionId">The prediction.</param>
/// <param name="Event">The event that caused it: <c>start</c>, <c>output</c>, <c>logs</c> or <c>completed</c>.</param>
/// <param name="Url">Where it was sent.</param>
/// <param name="WebhookId">The <c>webhook-id</c> header: one per message, the same on every try and copy of it (D7).</param>
/// <param name="Timestamp">The <c>webhook-timestamp</c> header (Unix seconds).</param>
/// <param name="Signature">The <c>webhook-signature</c> header (<c>v1,</c> + base64 HMAC-SHA256).</param>
/// <param name="Body">The exact body sent: the prediction object.</param>
/// <param name="Attempt">The try number, from 1; only a final (<c>completed</c>) message is tried again (D6).</param>
/// <param name="Forged">Whether the signature was deliberately made with the wrong key.</param>
/// <param name="StatusCode">The receiver's answer, or <see langword="null"/> when the POST failed.</param>
/// <param name="SentAt">When it was sent, on the host clock.</param>
public sealed record ReplicateWebhookDelivery(
    string PredictionId,
    string Event,
    Uri Url,
    string WebhookId,
    long Timestamp,
    string Signature,
    string Body,
    int Attempt,
    bool Forged,
    int? StatusCode,
    DateTimeOffset SentAt);

/// <summary>One-shot faults applied to the next webhook messages, in the order they are queued.</summary>
public sealed class ReplicateWebhookFaults
{
    private readonly Lock _lock = new();
    private readonly Queue<Fault> _next = new();

    /// <summary>Sends the next message <paramref name="copies"/> times, identical (same <c>webhook-id</c>, timestamp and signature): a replay.</summary>
    /// <param name="copies">How many identical POSTs; at least 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="copies"/> is less than 2.</exception>
    public void DuplicateNext(int copies = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 2);
        Enqueue(new Fault(Copies: copies));
    }

    /// <summary>Signs the next message with a wrong key (a forged delivery).</summary>
    public void ForgeNext() => Enqueue(new Fault(Forge: true));

    /// <summary>Loses the next message: never sent, never retried.</summary>
    public void DropNext() => Enqueue(new Fault(Drop: true));

    /// <summary>Stamps (and correctly signs) the next message with a timestamp <paramref name="age"/> in the past: a stale delivery.</summary>
    /// <param name="age">How old the timestamp is.</param>
    public void StaleNext(TimeSpan age) => Enqueue(new Fault(Age: age));

    internal Fault Take()
    {
        lock (_lock)
        {
            return _next.Count > 0 ? _next.Dequeue() : Fault.None;
        }
    }

    private void Enqueue(Fault fault)
    {
        lock (_lock)
        {
            _next.Enqueue(fault);
        }
    }

    internal sealed record Fault(int Copies = 1, bool Forge = false, bool Drop = false, TimeSpan Age = default)
    {
        public static Fault None { get; } = new();
    }
}

/// <summary>
/// Sends the Replicate emulator's webhooks: signed as D7 describes (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c> = <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> keyed with the
/// base64-decoded part of the <c>whsec_</c> secret), without following redirects (R0), the final message retried on
/// failure with backoff (D6), intermediate ones never.
/// </summary>
internal sealed class ReplicateWebhookSender(Func<EmulatorContext> context, ReplicateEmulatorOptions options) : IDisposable
{
    private const string SecretPrefix = "whsec_";

    private readonly Lock _lock = new();
    private readonly List<ReplicateWebhookDelivery> _deliveries = [];
    private readonly BackgroundWork _work = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public ReplicateWebhookFaults Faults { get; } = new();

    public IReadOnlyList<ReplicateWebhookDelivery> Deliveries
    {
        get
        {
            lock (_lock)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>The <c>webhook-signature</c> entry for a message: <c>v1,</c> + base64(HMAC-SHA256(key, <c>{id}.{timestamp}.{body}</c>)).</summary>
    public static string Sign(string secret, string webhookId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(webhookId);
        ArgumentNullException.ThrowIfNull(body);
        string encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        byte[] key = Convert.FromBase64String(encoded);
        byte[] mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(webhookId + "." + timestamp.ToString(CultureInfo.InvariantCulture) + "." + body));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>Sends messages about one prediction, in order (each one's first try now; a final one is tried again on failure).</summary>
    public void Send(string predictionId, IReadOnlyList<(string Event, bool Final)> events, Uri url, string body)
    {
        var messages = new List<Message>();
        foreach (var (ev, final) in events)
        {
            var fault = Faults.Take();
            if (!fault.Drop)
            {
                messages.Add(new Message(predictionId, ev, url, "msg_" + NewId(), body, final, fault));
            }
        }

        if (messages.Count > 0)
        {
            _work.Track(DeliverInOrderAsync(messages));
        }
    }

    /// <summary>Waits until every try started so far has finished (tries scheduled for later are not waited for).</summary>
    public Task WhenIdleAsync() => _work.WhenIdleAsync();

    public void Dispose()
    {
        _work.Dispose();
        _client.Dispose();
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private async Task DeliverInOrderAsync(List<Message> messages)
    {
        foreach (var message in messages)
        {
            await DeliverAsync(message, attempt: 1).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(Message message, int attempt)
    {
        await Task.Yield();
        var clock = context().TimeProvider;
        var now = clock.GetUtcNow();
        long timestamp = (now - message.Fault.Age).ToUnixTimeSeconds();
        string signature = message.Fault.Forge
            ? Sign(SecretPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes("forged-" + message.WebhookId)), message.WebhookId, timestamp, message.Body)
            : Sign(options.WebhookSecret, message.WebhookId, timestamp, message.Body);
        bool delivered = false;
        for (int copy = 0; copy < message.Fault.Copies; copy++)
        {
            int? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, message.Url) { Content = new StringContent(message.Body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation("webhook-id", message.WebhookId);
                request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation("webhook-signature", signature);
                using var response = await _client.SendAsync(request).ConfigureAwait(false);
                status = (int)response.StatusCode;
                delivered |= response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _deliveries.Add(new ReplicateWebhookDelivery(message.PredictionId, message.Event, message.Url, message.WebhookId, timestamp, signature, message.Body, attempt,
                    message.Fault.Forge, status, now));
            }
        }

        // D6: only the final webhook is retried (the request could not be made, or got a 4xx/5xx); never intermediate ones.
        var delays = options.WebhookRetryDelays;
        if (delivered || !message.Final || attempt > delays.Count)
        {
            return;
        }

        // A retry is genuine: signed, fresh, sent once.
        var retry = message with { Fault = ReplicateWebhookFaults.Fault.None };
        _work.After(clock, delays[attempt - 1], () => _work.Track(DeliverAsync(retry, attempt + 1)));
    }

    private sealed record Message(string PredictionId, string Event, Uri Url, string WebhookId, string Body, bool Final, ReplicateWebhookFaults.Fault Fault);
}
