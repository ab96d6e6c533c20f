namespace MediaGen;

/// <summary>Where a vendor that pushes webhooks should deliver job events.</summary>
public sealed class WebhookOptions
{
    /// <summary>Gets or sets the URL that receives deliveries.</summary>
    public required Uri Url { get; set; }

    /// <summary>Gets or sets the events to subscribe to (<c>progress</c>, <c>completed</c>, <c>failed</c>). Empty means the vendor default.</summary>
    public IList<string> Events { get; set; } = [];

    /// <summary>Creates a copy.</summary>
    /// <returns>A copy with its own event list.</returns>
    public WebhookOptions Clone() => new() { Url = Url, Events = [.. Events] };
}
