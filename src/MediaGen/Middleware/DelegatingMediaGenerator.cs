namespace MediaGen;

/// <summary>
/// A generator that passes every call to an inner one: derive from it to add behaviour around a provider or the router
/// (telemetry, logging, policies), as Microsoft.Extensions.AI's <c>DelegatingImageGenerator</c> does. Disposing it
/// disposes the inner generator.
/// </summary>
public class DelegatingMediaGenerator : IMediaGenerator
{
    /// <summary>Creates the wrapper.</summary>
    /// <param name="innerGenerator">The generator every call goes to.</param>
    protected DelegatingMediaGenerator(IMediaGenerator innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(innerGenerator);
        InnerGenerator = innerGenerator;
    }

    /// <summary>Gets the generator every call goes to.</summary>
    protected IMediaGenerator InnerGenerator { get; }

    /// <inheritdoc/>
    public virtual ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
        InnerGenerator.QuoteAsync(request, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default) =>
        InnerGenerator.SubmitAsync(quote, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default) =>
        InnerGenerator.GetJobAsync(handle, cancellationToken);

    /// <summary>Answers itself for an unkeyed request of a type it is; otherwise asks the inner generator.</summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or null.</returns>
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerGenerator.GetService(serviceType, serviceKey);
    }

    /// <summary>Disposes the inner generator.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner generator when <paramref name="disposing"/>.</summary>
    /// <param name="disposing">Whether this is <see cref="Dispose()"/> (not a finalizer).</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerGenerator.Dispose();
        }
    }
}
