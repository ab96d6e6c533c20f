using System.Globalization;
using MediaGen.Testing;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Tests.ImageGeneration;

/// <summary>
/// The scenarios of Microsoft's <c>ImageGeneratorIntegrationTests</c> (dotnet/extensions,
/// test/Libraries/Microsoft.Extensions.AI.Integration.Tests), written for this adapter over each vendor's emulator and
/// the router: one image, several images as data, and editing an image given as bytes. Microsoft's class reads a live
/// service's generator with the model as its default; here each generator gets that default model through
/// <see cref="MediaGenImageGeneratorOptions.DefaultModel"/>, and the call passes only what Microsoft's does.
/// </summary>
public sealed class ImageGeneratorScenarioTests : IAsyncLifetime
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];
    private readonly List<MediaUpload> _uploads = [];
    private EmulatedVendors _vendors = null!;

    public async Task InitializeAsync() => _vendors = await EmulatedVendors.StartAsync();

    public async Task DisposeAsync() => await _vendors.DisposeAsync();

    /// <summary>Microsoft's <c>GenerateImagesAsync_SingleImageGeneration</c>: Count = 1, one image back (a URI or image data).</summary>
    [Theory]
    [InlineData("meigen", "nanobanana-2")]
    [InlineData("veogen", "nano-banana-2")]
    [InlineData("apiframe", "nano-banana-2")]
    [InlineData("router", "nano-banana-2")]
    public async Task GenerateImagesAsync_SingleImage_ReturnsOneImageTheCallerCanFetch(string generator, string model)
    {
        using var images = Generator(generator).AsIImageGenerator(_vendors.AdapterOptions(model));

        var response = await _vendors.Time.DriveAsync(images.GenerateImagesAsync("A simple drawing of a house", new ImageGenerationOptions { Count = 1 }));

        var content = Assert.IsType<UriContent>(Assert.Single(response.Contents));
        Assert.StartsWith("http", content.Uri.Scheme, StringComparison.Ordinal);
        Assert.Equal("image/png", content.MediaType);
        Assert.Equal(PngSignature, (await _vendors.Http.GetByteArrayAsync(content.Uri))[..4]);
        Assert.Single(_vendors.Submits);
    }

    /// <summary>
    /// Microsoft's <c>GenerateImagesAsync_MultipleImages</c>: Count = 2 and two <see cref="DataContent"/> images back
    /// without asking for data. This adapter answers with URIs by default, so the host asks for data once with MEAI's
    /// own <c>ConfigureOptions</c>. Only gpt-image-1.5 (at Apiframe) makes several images per job on these emulators.
    /// </summary>
    [Theory]
    [InlineData("apiframe")]
    [InlineData("router")]
    public async Task GenerateImagesAsync_MultipleImages_ReturnsTwoImagesAsData(string generator)
    {
        using var images = Generator(generator).AsIImageGenerator(_vendors.AdapterOptions("gpt-image-1.5"))
            .AsBuilder()
            .ConfigureOptions(o => o.ResponseFormat ??= ImageGenerationResponseFormat.Data)
            .Build();

        var response = await _vendors.Time.DriveAsync(images.GenerateImagesAsync("A cat sitting on a table", new ImageGenerationOptions { Count = 2 }));

        Assert.Equal(2, response.Contents.Count);
        Assert.All(response.Contents, content =>
        {
            var data = Assert.IsType<DataContent>(content);
            Assert.False(data.Data.IsEmpty);
            Assert.StartsWith("image/", data.MediaType, StringComparison.Ordinal);
            Assert.Equal(PngSignature, data.Data[..4].ToArray());
        });
        Assert.NotEqual(((DataContent)response.Contents[0]).Data.ToArray(), ((DataContent)response.Contents[1]).Data.ToArray());
        Assert.Equal("apiframe", response.GetGenerationJob()!.Handle.Provider);
    }

    /// <summary>
    /// Microsoft's <c>EditImagesAsync_SingleImage</c>: the image to edit as bytes (<c>dotnet.png</c>), Count = 1, one
    /// image back as data. The uploader puts the bytes at an HTTPS URL, and that URL is what the vendor receives.
    /// </summary>
    [Theory]
    [InlineData("meigen", "nanobanana-2")]
    [InlineData("veogen", "nano-banana-2")]
    [InlineData("apiframe", "nano-banana-2")]
    [InlineData("router", "nano-banana-2")]
    public async Task EditImagesAsync_SingleImageAsBytes_SendsTheUploadedUrlAndReturnsTheEdit(string generator, string model)
    {
        var original = SandboxImage.CreatePng("dotnet", 32, 32);
        using var images = Generator(generator).AsIImageGenerator(_vendors.AdapterOptions(model, RecordingUploader()));
        AIContent[] originalImages = [new DataContent(original, "image/png") { Name = "dotnet.png" }];

        var response = await _vendors.Time.DriveAsync(images.EditImagesAsync(
            originalImages,
            "Add a red border and make the background tie-dye",
            new ImageGenerationOptions { Count = 1, ResponseFormat = ImageGenerationResponseFormat.Data }));

        var upload = Assert.Single(_uploads);
        Assert.Equal(original, upload.Data.ToArray());
        Assert.Equal("image/png", upload.MediaType);
        Assert.Equal("dotnet.png", upload.Name);

        // The vendor that took the job received the uploaded URL as its reference image.
        Assert.Contains("\"https://uploads.example/0/dotnet.png\"", Assert.Single(_vendors.Submits).Body, StringComparison.Ordinal);

        var data = Assert.IsType<DataContent>(Assert.Single(response.Contents));
        Assert.False(data.Data.IsEmpty);
        Assert.StartsWith("image/", data.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditImagesAsync_SingleImageAsBytesWithoutUploader_RefusedBeforeAnyVendorIsCalled()
    {
        using var images = _vendors.Router.AsIImageGenerator(_vendors.AdapterOptions("nano-banana-2"));

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => images.EditImagesAsync(
            [new DataContent(SandboxImage.CreatePng("dotnet", 32, 32), "image/png") { Name = "dotnet.png" }],
            "Add a red border and make the background tie-dye"));

        Assert.Contains("MediaGenImageGeneratorOptions.Uploader", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_vendors.Host.Requests);
    }

    private IMediaGenerator Generator(string name) => name switch
    {
        "meigen" => _vendors.MeiGen,
        "veogen" => _vendors.VeoGen,
        "apiframe" => _vendors.Apiframe,
        "router" => _vendors.Router,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private DelegateMediaUploader RecordingUploader() => new((upload, _) =>
    {
        int n;
        lock (_uploads)
        {
            n = _uploads.Count;
            _uploads.Add(upload);
        }

        return ValueTask.FromResult(new Uri(string.Create(CultureInfo.InvariantCulture, $"https://uploads.example/{n}/{upload.Name}")));
    });
}
