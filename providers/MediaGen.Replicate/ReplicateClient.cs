using MediaGen.Providers;
using MediaGen.Replicate.Internal;

namespace MediaGen.Replicate;

/// <summary>
/// The Replicate endpoints beyond the generation contract: the webhook signing secret and cancel. Get it with
/// <c>generator.GetService&lt;ReplicateClient&gt;()</c>. Every call shares the provider's rate limiter.
/// </summary>
public sealed class ReplicateClient
{
    private readonly ReplicateGenerator _generator;
    private string? _secret;

    internal ReplicateClient(ReplicateGenerator generator) => _generator = generator;

    /// <summary>Reads <c>GET /v1/webhooks/default/secret</c> (<c>{"key": "whsec_…"}</c>, one per account), once; later calls return the cached value.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signing secret, or the error.</returns>
    public async Task<Result<string>> GetWebhookSecretAsync(CancellationToken cancellationToken = default)
    {
        if (_secret is { } cached)
        {
            return cached;
        }

        var got = await _generator.Api.SendAsync(HttpMethod.Get, "webhooks/default/secret", "the webhook signing secret", cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var response))
        {
            return got.Error;
        }

        var key = ReplicateApi.Deserialize(response, ReplicateJsonContext.Default.WebhookSecretWire, out var problem)?.Key;
        if (string.IsNullOrWhiteSpace(key) || ReplicateWebhookReceiver.DecodeSecret(key) is null)
        {
            return new ProviderUnavailableError($"Replicate answered the webhook signing secret with an unreadable body: {problem ?? "no whsec_ 'key'"}.", ReplicateProvider.Name)
            {
                StatusCode = response.Status,
                VendorMessage = HttpResponseReader.Excerpt(response.Body),
            };
        }

        _secret = key.Trim();
        return _secret;
    }

    /// <summary>
    /// Cancels a prediction (<c>POST /v1/predictions/{id}/cancel</c>) so it stops billing; a canceled prediction is still
    /// charged for the time it ran (D8). What Replicate answers for a finished prediction is not documented.
    /// </summary>
    /// <param name="handle">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The prediction after the cancel, or the error.</returns>
    public async Task<Result<GenerationJob>> CancelAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!string.Equals(handle.Provider, ReplicateProvider.Name, StringComparison.OrdinalIgnoreCase))
        {
            return new InvalidRequestError("Handle", $"'{handle}' is not a Replicate prediction.", ReplicateProvider.Name);
        }

        var operation = $"the cancel of {handle}";
        var got = await _generator.Api.SendAsync(HttpMethod.Post, $"predictions/{Uri.EscapeDataString(handle.VendorJobId)}/cancel", operation, cancellationToken).ConfigureAwait(false);
        if (!got.TryGetValue(out var response))
        {
            return got.Error;
        }

        var wire = ReplicateApi.Deserialize(response, ReplicateJsonContext.Default.PredictionWire, out var problem);
        var job = wire is null ? null : ReplicateJobMapper.Map(wire, handle, handle.Kind ?? _generator.KindOf(handle.Model), out problem);
        return job is null
            ? new ProviderUnavailableError($"Replicate answered {operation} with an unreadable body: {problem}.", ReplicateProvider.Name) { StatusCode = response.Status }
            : job;
    }
}
