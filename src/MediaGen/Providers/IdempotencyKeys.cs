namespace MediaGen.Providers;

/// <summary>Mints idempotency keys: one per logical request, kept across retries and failover.</summary>
public static class IdempotencyKeys
{
    /// <summary>Returns the request's key, or a new UUID when it has none.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The key to send.</returns>
    public static string For(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.IsNullOrWhiteSpace(request.IdempotencyKey) ? NewKey() : request.IdempotencyKey;
    }

    /// <summary>A new key (a random UUID in its canonical form).</summary>
    /// <returns>The key.</returns>
    public static string NewKey() => Guid.NewGuid().ToString("D");
}
