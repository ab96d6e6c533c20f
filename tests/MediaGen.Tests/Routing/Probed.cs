using MediaGen.Routing;
using MediaGen.Testing;

namespace MediaGen.Tests.Routing;

/// <summary>A fake vendor that offers a scripted <see cref="ProviderProbe"/> (healthy unless told otherwise) and counts its calls.</summary>
internal sealed class Probed : IMediaGenerator
{
    private readonly FakeMediaGenerator _inner;
    private readonly ProviderProbe _probe;
    private int _probes;

    public Probed(FakeMediaGenerator inner, Func<MediaGenError?>? verdict = null)
        : this(inner, () => Task.FromResult(verdict?.Invoke()))
    {
    }

    public Probed(FakeMediaGenerator inner, Func<Task<MediaGenError?>> verdict)
    {
        _inner = inner;
        _probe = new ProviderProbe("GET /health", _ =>
        {
            Interlocked.Increment(ref _probes);
            return verdict();
        });
    }

    public int Probes => Volatile.Read(ref _probes);

    public ValueTask<Result<GenerationQuote>> QuoteAsync(GenerationRequest request, CancellationToken cancellationToken = default) => _inner.QuoteAsync(request, cancellationToken);

    public Task<Result<GenerationJob>> SubmitAsync(GenerationQuote quote, CancellationToken cancellationToken = default) => _inner.SubmitAsync(quote, cancellationToken);

    public Task<Result<GenerationJob>> GetJobAsync(JobHandle handle, CancellationToken cancellationToken = default) => _inner.GetJobAsync(handle, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ProviderProbe) && serviceKey is null ? _probe : _inner.GetService(serviceType, serviceKey);

    public void Dispose() => _inner.Dispose();
}
