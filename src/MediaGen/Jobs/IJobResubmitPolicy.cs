namespace MediaGen;

/// <summary>
/// Offered through <see cref="IMediaGenerator.GetService"/> by a generator that can resubmit a request whose accepted
/// job failed (the router, when <see cref="Routing.RouterOptions.ResubmitOnJobFailure"/> or
/// <see cref="Routing.RoutingPreferences.ResubmitOnJobFailure"/> allows it).
/// <see cref="MediaGeneratorExtensions.GenerateAsync"/> asks for it when a job ends failed, so the behaviour is the same
/// whether the generator is used as itself, as <see cref="IMediaGenerator"/> or behind middleware.
/// </summary>
public interface IJobResubmitPolicy
{
    /// <summary>Decides whether a failed job's request goes elsewhere, and returns the quote to submit next.</summary>
    /// <param name="submitted">The quote that was submitted (as the generator returned it).</param>
    /// <param name="failed">The failed job, with its attempt trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The quote to submit through the same generator, or null to keep the failed job as the answer.</returns>
    ValueTask<GenerationQuote?> GetResubmitQuoteAsync(GenerationQuote submitted, GenerationJob failed, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells, before the wait, whether a failed job of <paramref name="submitted"/> could be resubmitted at all; when it
    /// cannot, <see cref="MediaGeneratorExtensions.GenerateAsync"/> does not keep the quote (its request and route) alive
    /// while the job waits, and does not ask <see cref="GetResubmitQuoteAsync"/> afterwards.
    /// </summary>
    /// <param name="submitted">The quote being submitted.</param>
    /// <returns>False only when <see cref="GetResubmitQuoteAsync"/> would surely return null; true by default.</returns>
    bool MayResubmit(GenerationQuote submitted) => true;
}
