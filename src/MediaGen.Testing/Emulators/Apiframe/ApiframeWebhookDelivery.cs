namespace MediaGen.Testing.Emulators.Apiframe;

/// <summary>One webhook POST the emulator made.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Event">The event (<c>progress</c>, <c>completed</c>, <c>failed</c>).</param>
/// <param name="Url">Where it was sent.</param>
/// <param name="Body">The exact body sent.</param>
/// <param name="Signature">The <c>X-Webhook-Signature</c> sent.</param>
/// <param name="Forged">Whether the signature was deliberately wrong.</param>
/// <param name="StatusCode">The receiver's answer, or null when the POST failed.</param>
/// <param name="SentAt">When it was sent, on the host clock.</param>
public sealed record ApiframeWebhookDelivery(string JobId, string Event, Uri Url, string Body, string Signature, bool Forged, int? StatusCode, DateTimeOffset SentAt);

/// <summary>One-shot faults applied to the next webhook deliveries, in the order they are queued.</summary>
public sealed class ApiframeWebhookFaults
{
    private readonly Lock _lock = new();
    private readonly Queue<Fault> _next = new();

    /// <summary>Sends the next delivery <paramref name="copies"/> times (a duplicate delivery).</summary>
    /// <param name="copies">How many identical POSTs; at least 2.</param>
    public void DuplicateNext(int copies = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 2);
        Enqueue(new Fault(Copies: copies));
    }

    /// <summary>Sends the next delivery after <paramref name="delay"/> on the host clock.</summary>
    /// <param name="delay">The delay.</param>
    public void DelayNext(TimeSpan delay) => Enqueue(new Fault(Delay: delay));

    /// <summary>Signs the next delivery with the wrong key (a forged delivery).</summary>
    public void ForgeNext() => Enqueue(new Fault(Forge: true));

    /// <summary>Loses the next delivery (never sent).</summary>
    public void DropNext() => Enqueue(new Fault(Drop: true));

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

    internal sealed record Fault(int Copies = 1, TimeSpan? Delay = null, bool Forge = false, bool Drop = false)
    {
        public static Fault None { get; } = new();
    }
}
