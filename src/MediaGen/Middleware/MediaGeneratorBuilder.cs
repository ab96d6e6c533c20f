namespace MediaGen;

/// <summary>
/// Builds a pipeline of middleware around a generator, in the style of Microsoft.Extensions.AI's
/// <c>ImageGeneratorBuilder</c>: <c>generator.AsBuilder().UseTelemetry().UseLogging().Use(inner => …).Build()</c>. The first
/// <see cref="Use(Func{IMediaGenerator, IMediaGenerator})"/> is the outermost layer.
/// </summary>
public sealed class MediaGeneratorBuilder
{
    private readonly Func<IServiceProvider, IMediaGenerator> _innerFactory;
    private readonly List<Func<IMediaGenerator, IServiceProvider, IMediaGenerator>> _layers = [];

    /// <summary>Creates a builder around a generator.</summary>
    /// <param name="innerGenerator">The generator at the centre of the pipeline.</param>
    public MediaGeneratorBuilder(IMediaGenerator innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(innerGenerator);
        _innerFactory = _ => innerGenerator;
    }

    /// <summary>Creates a builder around a generator made from services when the pipeline is built.</summary>
    /// <param name="innerGeneratorFactory">Creates the generator at the centre of the pipeline.</param>
    public MediaGeneratorBuilder(Func<IServiceProvider, IMediaGenerator> innerGeneratorFactory)
    {
        ArgumentNullException.ThrowIfNull(innerGeneratorFactory);
        _innerFactory = innerGeneratorFactory;
    }

    /// <summary>Adds a layer.</summary>
    /// <param name="generatorFactory">Wraps the generator built so far.</param>
    /// <returns>This builder.</returns>
    public MediaGeneratorBuilder Use(Func<IMediaGenerator, IMediaGenerator> generatorFactory)
    {
        ArgumentNullException.ThrowIfNull(generatorFactory);
        return Use((inner, _) => generatorFactory(inner));
    }

    /// <summary>Adds a layer that can read services.</summary>
    /// <param name="generatorFactory">Wraps the generator built so far, given the services.</param>
    /// <returns>This builder.</returns>
    public MediaGeneratorBuilder Use(Func<IMediaGenerator, IServiceProvider, IMediaGenerator> generatorFactory)
    {
        ArgumentNullException.ThrowIfNull(generatorFactory);
        _layers.Add(generatorFactory);
        return this;
    }

    /// <summary>Builds the pipeline.</summary>
    /// <param name="services">The services layers may read (none when null).</param>
    /// <returns>The outermost generator.</returns>
    /// <exception cref="InvalidOperationException">A layer returned null.</exception>
    public IMediaGenerator Build(IServiceProvider? services = null)
    {
        services ??= EmptyServiceProvider.Instance;
        var generator = _innerFactory(services);
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            generator = _layers[i](generator, services)
                ?? throw new InvalidOperationException($"The layer at position {i} of the {nameof(MediaGeneratorBuilder)} returned null; each layer must return a generator.");
        }

        return generator;
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}

/// <summary>Starts a <see cref="MediaGeneratorBuilder"/> from a generator.</summary>
public static class MediaGeneratorBuilderExtensions
{
    /// <summary>Starts a middleware pipeline around the generator.</summary>
    /// <param name="innerGenerator">The generator at the centre.</param>
    /// <returns>The builder.</returns>
    public static MediaGeneratorBuilder AsBuilder(this IMediaGenerator innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(innerGenerator);
        return new MediaGeneratorBuilder(innerGenerator);
    }
}
