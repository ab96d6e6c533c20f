using System.Globalization;
using MediaGen.Testing;
using Microsoft.Extensions.AI;

namespace MediaGen.Extensions.AI.Tests.ImageGeneration;

/// <summary>Original images given as bytes (<see cref="DataContent"/>) and the <see cref="IMediaUploader"/> that turns them into URLs.</summary>
public sealed class MediaGenImageGeneratorUploadTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeMediaGenerator _fake;
    private readonly List<(MediaUpload Upload, CancellationToken Token)> _uploads = [];

    public MediaGenImageGeneratorUploadTests()
    {
        _fake = new FakeMediaGenerator("fake", timeProvider: _clock);
        _fake.AddModel(new ModelCapabilities { Id = "edit-1", Kind = MediaKind.Image, MaxReferenceImages = 4 }, price: 5m);
    }

    private static ImageGenerationOptions Model => new() { ModelId = "edit-1" };

    public void Dispose() => _fake.Dispose();

    [Fact]
    public async Task GenerateAsync_BytesAndUrlsMixed_UploadsTheBytesAndSendsEveryUrlInTheGivenOrder()
    {
        var generator = Create(RecordingUploader());
        using var cts = new CancellationTokenSource();
        var request = new ImageGenerationRequest("blend them", [
            new UriContent(new Uri("https://cdn.example/a.png"), "image/png"),
            new DataContent(new byte[] { 1, 2, 3 }, "image/png") { Name = "b.png" },
            new UriContent(new Uri("https://cdn.example/c.png"), "image/png"),
            new DataContent(new byte[] { 4, 5 }, "image/jpeg"),
        ]);

        await _clock.DriveAsync(generator.GenerateAsync(request, Model, cts.Token));

        var sent = Assert.Single(_fake.AcceptedJobs).Request;
        Assert.Equal(
            [new Uri("https://cdn.example/a.png"), new Uri("https://uploads.example/0.png"), new Uri("https://cdn.example/c.png"), new Uri("https://uploads.example/1.jpeg")],
            sent.ReferenceImages);
        Assert.Collection(
            _uploads,
            u =>
            {
                Assert.Equal(new byte[] { 1, 2, 3 }, u.Upload.Data.ToArray());
                Assert.Equal("image/png", u.Upload.MediaType);
                Assert.Equal("b.png", u.Upload.Name);
                Assert.Equal(cts.Token, u.Token);
            },
            u =>
            {
                Assert.Equal(new byte[] { 4, 5 }, u.Upload.Data.ToArray());
                Assert.Equal("image/jpeg", u.Upload.MediaType);
                Assert.Null(u.Upload.Name);
            });
    }

    [Fact]
    public async Task EditImageAsync_WithUploader_ReportsTheUploadedUrlOnEachContent()
    {
        var generator = Create(RecordingUploader());

        var response = await _clock.DriveAsync(generator.EditImageAsync(new DataContent(new byte[] { 1 }, "image/png"), "make it blue", Model));

        var report = Assert.IsType<string>(response.Contents[0].AdditionalProperties![MediaGenAdditionalProperties.OptionsReport]);
        Assert.Contains("ImageGenerationRequest.OriginalImages[0] = https://uploads.example/0.png", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditImageAsync_NoUploader_ThrowsNamingTheOptionToSetWithoutSubmitting()
    {
        var generator = Create(uploader: null);

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => generator.EditImageAsync(new DataContent(new byte[] { 1, 2, 3 }, "image/png"), "make it blue", Model));

        Assert.Contains("ImageGenerationRequest.OriginalImages[0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MediaGenImageGeneratorOptions.Uploader", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DelegateMediaUploader", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Theory]
    [InlineData("http://uploads.example/0.png")]
    [InlineData("file:///tmp/0.png")]
    [InlineData("uploads.example/0.png")]
    public async Task EditImageAsync_UploaderReturnsNoHttpsUrl_ThrowsNamingTheItemWithoutSubmitting(string returned)
    {
        var generator = Create(new DelegateMediaUploader((_, _) => ValueTask.FromResult(new Uri(returned, UriKind.RelativeOrAbsolute))));
        var request = new ImageGenerationRequest("edit", [new UriContent(new Uri("https://cdn.example/a.png"), "image/png"), new DataContent(new byte[] { 1 }, "image/png")]);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(request, Model));

        Assert.Contains("ImageGenerationRequest.OriginalImages[1]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("https://", ex.Message, StringComparison.Ordinal);
        Assert.Contains(returned, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Fact]
    public async Task EditImageAsync_UploaderThrows_PropagatesUnchangedWithoutSubmitting()
    {
        var failure = new IOException("storage is down");
        var generator = Create(new DelegateMediaUploader((_, _) => ValueTask.FromException<Uri>(failure)));

        var ex = await Assert.ThrowsAsync<IOException>(() => generator.EditImageAsync(new DataContent(new byte[] { 1 }, "image/png"), "edit", Model));

        Assert.Same(failure, ex);
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Fact]
    public async Task EditImageAsync_BytesThatAreNotAnImage_ThrowsWithoutUploading()
    {
        var generator = Create(RecordingUploader());

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => generator.EditImageAsync(new DataContent(new byte[] { 1 }, "video/mp4"), "edit", Model));

        Assert.Contains("OriginalImages[0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("video/mp4", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_uploads);
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Fact]
    public async Task EditImageAsync_StrictRequestRefusedByTheAdapter_UploadsNothing()
    {
        var generator = Create(RecordingUploader());
        var options = new ImageGenerationOptions
        {
            ModelId = "edit-1",
            MediaType = "image/webp",
            AdditionalProperties = new() { [MediaGenAdditionalProperties.Strict] = true },
        };

        await Assert.ThrowsAsync<MediaGenException>(() => generator.EditImageAsync(new DataContent(new byte[] { 1 }, "image/png"), "edit", options));

        Assert.Empty(_uploads);
        Assert.Equal(0, _fake.SubmitCount);
    }

    [Fact]
    public async Task Uploader_ClearedAfterTheGeneratorWasCreated_TheConfiguredOneStillUploads()
    {
        var options = new MediaGenImageGeneratorOptions { Uploader = RecordingUploader(), Wait = new WaitOptions { TimeProvider = _clock } };
        var generator = _fake.AsIImageGenerator(options);

        options.Uploader = null;
        await _clock.DriveAsync(generator.EditImageAsync(new DataContent(new byte[] { 1 }, "image/png"), "edit", Model));

        Assert.Single(_uploads);
        Assert.Equal([new Uri("https://uploads.example/0.png")], Assert.Single(_fake.AcceptedJobs).Request.ReferenceImages);
    }

    [Fact]
    public void DelegateMediaUploader_NullDelegate_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new DelegateMediaUploader(null!));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void MediaUpload_BlankMediaType_Throws(string mediaType) =>
        Assert.Throws<ArgumentException>(() => new MediaUpload(new byte[] { 1 }, mediaType));

    private IImageGenerator Create(IMediaUploader? uploader) =>
        _fake.AsIImageGenerator(new MediaGenImageGeneratorOptions { Uploader = uploader, Wait = new WaitOptions { TimeProvider = _clock } });

    private DelegateMediaUploader RecordingUploader() => new((upload, token) =>
    {
        int n;
        lock (_uploads)
        {
            n = _uploads.Count;
            _uploads.Add((upload, token));
        }

        var extension = upload.MediaType["image/".Length..];
        return ValueTask.FromResult(new Uri(string.Create(CultureInfo.InvariantCulture, $"https://uploads.example/{n}.{extension}")));
    });
}
