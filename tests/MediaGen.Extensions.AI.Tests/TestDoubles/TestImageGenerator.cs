using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Tests.TestDoubles;

/// <summary>A callback-driven MEAI image generator that records every call.</summary>
internal sealed class TestImageGenerator : IImageGenerator
{
    private readonly List<(ImageGenerationRequest Request, ImageGenerationOptions? Options)> _calls = [];

    public Func<ImageGenerationRequest, ImageGenerationOptions?, CancellationToken, Task<ImageGenerationResponse>> GenerateCallback { get; set; } =
        (_, _, _) => Task.FromResult(new ImageGenerationResponse([new UriContent(new Uri("https://images.invalid/out/0.png"), "image/png")]));

    public ImageGeneratorMetadata Metadata { get; set; } = new("testvendor", new Uri("https://api.testvendor.invalid/"), "test-model");

    public IReadOnlyList<(ImageGenerationRequest Request, ImageGenerationOptions? Options)> Calls => _calls;

    public bool Disposed { get; private set; }

    public Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        _calls.Add((request, options));
        return GenerateCallback(request, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ImageGeneratorMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => Disposed = true;
}
