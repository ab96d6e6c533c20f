using System.Text;
using MediaGen.Http;
using MediaGen.Providers;

namespace MediaGen.Tests.Providers;

public class HttpResponseReaderTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(100_000, true)]
    [InlineData(100_000, false)]
    public async Task ReadBodyAsync_BodyWithinLimit_ReturnsItWhole(int length, bool sendLength)
    {
        var text = Body(length);
        using var response = Response(text, sendLength);

        var (read, truncated) = await HttpResponseReader.ReadBodyAsync(response);

        Assert.Equal(text, read);
        Assert.False(truncated);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBodyAsync_BodyOverLimit_ReturnsTheFirstBytesAndSaysTruncated(bool sendLength)
    {
        var text = Body(50_000);
        using var response = Response(text, sendLength);

        var (read, truncated) = await HttpResponseReader.ReadBodyAsync(response, maxBytes: 20_000);

        Assert.True(truncated);
        Assert.Equal(text[..20_000], read);
    }

    private static string Body(int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append((char)('a' + (i % 26)));
        }

        return sb.ToString();
    }

    private static HttpResponseMessage Response(string text, bool sendLength)
    {
        // A stream without a known length stands for a chunked response (no Content-Length header).
        HttpContent content = sendLength
            ? new ByteArrayContent(Encoding.UTF8.GetBytes(text))
            : new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(text)));
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content };
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 7_000));
    }

    [Fact]
    public async Task ReadBodyAsync_VendorEchoesTheKey_KeyIsRedactedFromTheText()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://vendor.example/generate");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "meigen_sk_secret0123456789");
        request.AddSecretHeader("X-API-Key", "afk_secret0123456789");
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError)
        {
            RequestMessage = request,
            Content = new StringContent("<pre>Authorization: Bearer meigen_sk_secret0123456789\nX-API-Key: afk_secret0123456789</pre>"),
        };

        var (text, _) = await HttpResponseReader.ReadBodyAsync(response);

        Assert.DoesNotContain("secret0123456789", text, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer ***", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBodyAsync_HeaderTheProviderDeclaredSecret_ItsValueIsRedacted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://vendor.example/jobs/1");
        request.AddSecretHeader("X-Acme-Session", "acme-session-5f1e9c2b7d");
        request.Headers.Add("X-Acme-Trace", "trace-0123456789abcdef");
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.BadGateway)
        {
            RequestMessage = request,
            Content = new StringContent("upstream said: X-Acme-Session=acme-session-5f1e9c2b7d; X-Acme-Trace=trace-0123456789abcdef"),
        };

        var (text, _) = await HttpResponseReader.ReadBodyAsync(response);

        Assert.Equal("upstream said: X-Acme-Session=***; X-Acme-Trace=trace-0123456789abcdef", text);
        Assert.Equal("acme-session-5f1e9c2b7d", request.Headers.GetValues("X-Acme-Session").Single()); // still sent
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(100_000, true)]
    [InlineData(100_000, false)]
    public async Task ReadBodyUtf8Async_BodyWithinLimit_BytesAndTextAreTheBody(int length, bool sendLength)
    {
        var text = Body(length);
        using var response = Response(text, sendLength);

        using var body = await HttpResponseReader.ReadBodyUtf8Async(response);

        Assert.Equal(Encoding.UTF8.GetBytes(text), body.Utf8.ToArray());
        Assert.Equal(text, body.Text);
        Assert.False(body.Truncated);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadBodyUtf8Async_BodyOverLimit_KeepsTheFirstBytesAndSaysTruncated(bool sendLength)
    {
        var text = Body(50_000);
        using var response = Response(text, sendLength);

        using var body = await HttpResponseReader.ReadBodyUtf8Async(response, maxBytes: 20_000);

        Assert.True(body.Truncated);
        Assert.Equal(20_000, body.Length);
        Assert.Equal(text[..20_000], body.Text);
    }

    [Fact]
    public async Task ReadBodyUtf8Async_VendorEchoesTheKeys_BytesAndTextAreRedacted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://vendor.example/generate");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "meigen_sk_secret0123456789");
        request.AddSecretHeader("X-API-Key", "afk_secret0123456789");
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StringContent("""{"debug":"Authorization: Bearer meigen_sk_secret0123456789","key":"afk_secret0123456789","note":"café"}"""),
        };

        using var body = await HttpResponseReader.ReadBodyUtf8Async(response);

        const string expected = """{"debug":"Authorization: Bearer ***","key":"***","note":"café"}""";
        Assert.Equal(expected, body.Text);
        Assert.Equal(expected, Encoding.UTF8.GetString(body.Utf8)); // what a JSON reader parses holds no key either
    }

    [Fact]
    public async Task ReadBodyUtf8Async_InvalidUtf8FromTheVendor_BytesAreValidWithReplacementCharacters()
    {
        byte[] sent = [.. "{\"id\":\"job-"u8, 0xC3, 0x28, 0xFF, .. "\",\"status\":\"done\"}"u8];
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(sent) };

        using var body = await HttpResponseReader.ReadBodyUtf8Async(response);

        Assert.True(System.Text.Unicode.Utf8.IsValid(body.Utf8)); // a JSON reader's GetString() never throws on it
        using var json = System.Text.Json.JsonDocument.Parse(body.Utf8.ToArray());
        Assert.Equal("job-\uFFFD(\uFFFD", json.RootElement.GetProperty("id").GetString());
        Assert.Equal(Encoding.UTF8.GetString(sent), body.Text);
    }

    [Fact]
    public async Task ReadBodyUtf8Async_Disposed_BytesCanNoLongerBeRead()
    {
        using var response = Response("{}", sendLength: true);
        var body = await HttpResponseReader.ReadBodyUtf8Async(response);

        body.Dispose();

        Assert.Throws<ObjectDisposedException>(() => body.Utf8.Length);
    }
}
