using System.Net;
using MediaGen.Testing;

namespace MediaGen.Tests.Downloads;

public class GenerationOutputExtensionsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mediagen-dl-" + Guid.NewGuid().ToString("N"));

    public GenerationOutputExtensionsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HttpClient Serving(byte[] body, bool declareLength = true, HttpStatusCode status = HttpStatusCode.OK) =>
        new(new StubHttpHandler(_ =>
        {
            var content = new StreamContent(new MemoryStream(body));
            if (!declareLength)
            {
                content = new StreamContent(new NonSeekableStream(body));
            }

            return new HttpResponseMessage(status) { Content = content };
        }));

    private static GenerationOutput Output => new(new Uri("https://cdn.example/out.png"), MediaKind.Image, "image/png");

    [Fact]
    public async Task DownloadToFileAsync_WithinCap_WritesAllBytes()
    {
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var path = Path.Combine(_dir, "a.png");
        var written = await Output.DownloadToFileAsync(Serving(bytes), path);
        Assert.Equal(bytes.Length, written);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task DownloadToFileAsync_DeclaredLengthOverCap_ThrowsAndLeavesNoFile()
    {
        var path = Path.Combine(_dir, "big.png");
        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output.DownloadToFileAsync(Serving(new byte[5000]), path, maxBytes: 1000));
        Assert.Equal(DownloadFailure.TooLarge, ex.Failure);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task DownloadToFileAsync_UndeclaredLengthOverCap_StopsAtCapAndLeavesNoFile()
    {
        var path = Path.Combine(_dir, "big.png");
        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output.DownloadToFileAsync(Serving(new byte[300_000], declareLength: false), path, maxBytes: 100_000));
        Assert.Equal(DownloadFailure.TooLarge, ex.Failure);
        Assert.Contains("100,000", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task DownloadToAsync_ServerError_ThrowsHttpError()
    {
        var ex = await Assert.ThrowsAsync<MediaDownloadException>(() => Output.DownloadToAsync(Serving([], status: HttpStatusCode.NotFound), Stream.Null));
        Assert.Equal(DownloadFailure.HttpError, ex.Failure);
        Assert.Contains("404", ex.Message, StringComparison.Ordinal);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
