namespace MediaGen;

/// <summary>
/// The provider boundary: one vendor (or the router) that can quote a request, submit exactly what it quoted and
/// report on a job. Everything else is written once as extension methods (<see cref="MediaGeneratorExtensions"/>):
/// submit-a-request, generate-and-wait, waiting, metadata and the model list (both reached through
/// <see cref="GetService"/>). Implementations are thread-safe; a disposed one throws <see cref="ObjectDisposedException"/>.
/// </summary>
public interface IMediaGenerator : IDisposable
{
    /// <summary>
    /// Validates the request against the model's capabilities, translates it for this vendor and prices it, without
    /// submitting. Invalid requests come back as <see cref="InvalidRequestError"/> naming every bad field.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The quote (it carries the prepared vendor payload), or why the request cannot go to this provider.</returns>
    ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits a quote made by this generator once, sending exactly the payload that was validated and priced. The
    /// submit carries the quote's idempotency key (minted when absent) and keeps it across retries; an ambiguous
    /// failure that cannot be settled returns <see cref="OutcomeUnknownError"/>, never a second submission.
    /// </summary>
    /// <param name="quote">The quote, from <see cref="QuoteAsync"/> of this generator.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted job (its <see cref="GenerationJob.Quote"/> is the quote's price), or the error.</returns>
    Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default);

    /// <summary>Polls a job once.</summary>
    /// <param name="handle">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's current state, or the error.</returns>
    Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets a service this provider offers, or null: <see cref="ProviderMetadata"/>, <see cref="IModelList"/>, its
    /// options (a copy), its vendor client, itself, and for the router <see cref="IJobResubmitPolicy"/>.
    /// </summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">An optional key (a provider name, to reach one vendor behind the router).</param>
    /// <returns>The service, or null.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
