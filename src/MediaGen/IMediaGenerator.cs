namespace MediaGen;

/// <summary>
/// The provider boundary: one vendor (or the router) that can describe its models, quote a request, submit
/// it and report on a job. Waiting, generate-and-wait and downloading are extension methods written once
/// (<see cref="MediaGeneratorExtensions"/>). Implementations are thread-safe.
/// </summary>
public interface IMediaGenerator
{
    /// <summary>Gets what this provider is and how it bills.</summary>
    ProviderMetadata Metadata { get; }

    /// <summary>Lists the models this provider serves, with their capabilities.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The models.</returns>
    ValueTask<IReadOnlyList<ModelCapabilities>> GetModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates the request against the model's capabilities, translates it for this vendor and prices it,
    /// without submitting. Invalid requests come back as <see cref="InvalidRequestError"/> naming every bad field.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The quote, or why the request cannot go to this provider.</returns>
    ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits the request once (validated first, before any network call). The submit carries the request's
    /// idempotency key, minted when absent and kept across retries; an ambiguous failure that cannot be settled
    /// returns <see cref="OutcomeUnknownError"/>, never a second submission.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted job, or the error.</returns>
    Task<Result<GenerationJob>> SubmitAsync(GenerationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Polls a job once.</summary>
    /// <param name="handle">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's current state, or the error.</returns>
    Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default);

    /// <summary>Gets a service this provider offers (its options, its vendor client, itself), or null.</summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or null.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
