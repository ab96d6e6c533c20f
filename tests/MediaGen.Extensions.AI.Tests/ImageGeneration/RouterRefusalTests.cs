using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Tests.ImageGeneration;

/// <summary>
/// When every vendor that serves the model refuses the same request field, the caller must hear about that field
/// (an <see cref="InvalidRequestError"/> naming it and the vendors), not that there was no route: there is nothing to
/// retry elsewhere, the request itself has to change. nano-banana-2 is served by all three vendors, one image per job.
/// </summary>
public sealed class RouterRefusalTests : IAsyncLifetime
{
    private EmulatedVendors _vendors = null!;

    public async Task InitializeAsync() => _vendors = await EmulatedVendors.StartAsync();

    public async Task DisposeAsync() => await _vendors.DisposeAsync();

    [Fact]
    public async Task GenerateAsync_EveryVendorRefusesTheSameField_ThrowsInvalidRequestNamingTheFieldAndTheVendors()
    {
        using var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions("nano-banana-2"));

        var ex = await Assert.ThrowsAsync<MediaGenException>(() => _vendors.Time.DriveAsync(images.GenerateImagesAsync("a lighthouse at dusk", new ImageGenerationOptions { Count = 2 })));

        var invalid = Assert.IsType<InvalidRequestError>(ex.Error);
        Assert.Contains(invalid.Errors, e => e.Field == nameof(GenerationRequest.Count));
        Assert.All(["meigen", "veogen", "apiframe"], vendor => Assert.Contains(vendor, ex.Message, StringComparison.Ordinal));
        Assert.Empty(_vendors.Submits);
    }

    [Fact]
    public async Task GenerateAsync_RouterAsMediaGeneratorEveryVendorRefusesTheSameField_ReturnsInvalidRequestNamingTheField()
    {
        IMediaGenerator router = _vendors.Router;

        var result = await _vendors.Time.DriveAsync(router.GenerateAsync(new GenerationRequest("nano-banana-2", "a lighthouse at dusk") { Count = 2 }, new WaitOptions { TimeProvider = _vendors.Time }));

        var invalid = Assert.IsType<InvalidRequestError>(result.Error);
        Assert.Contains(invalid.Errors, e => e.Field == nameof(GenerationRequest.Count));
        Assert.Empty(_vendors.Submits);
    }
}
