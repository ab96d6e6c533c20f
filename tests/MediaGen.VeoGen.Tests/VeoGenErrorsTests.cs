using System.Net.Sockets;
using MediaGen.Testing;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests;

/// <summary>Every documented error body and status, mapped onto the closed error set with the vendor's text verbatim.</summary>
public sealed class VeoGenErrorsTests
{
    private static readonly GenerationRequest Request = new("veo-3.1-fast", "A cat");

    [Fact]
    public async Task SubmitAsync_402_IsInsufficientFundsWithBothAmountsInUsd()
    {
        var error = await SubmitErrorAsync<InsufficientFundsError>(402, VeoGenDocs.InsufficientBalance);

        Assert.Equal(Money.Usd(0.30m), error.Required);
        Assert.Equal(Money.Usd(0.05m), error.Balance);
        Assert.Equal("Insufficient balance. This generation costs $0.30. Your balance is $0.05.", error.VendorMessage);
        Assert.Equal(402, error.StatusCode);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Contains("veogen.studio/billing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_422_IsInvalidRequestNamingTheFields()
    {
        var error = await SubmitErrorAsync<InvalidRequestError>(422, VeoGenDocs.ValidationError);

        var field = Assert.Single(error.Errors);
        Assert.Equal(("Model", "The model field is required."), (field.Field, field.Message));
        Assert.Equal("The model field is required.", error.VendorMessage);
        Assert.Equal(422, error.StatusCode);
    }

    [Fact]
    public async Task SubmitAsync_422WithSeveralFields_MapsWireNamesToRequestFields()
    {
        var error = await SubmitErrorAsync<InvalidRequestError>(422, """
            {"message":"The selected duration is invalid. (and 2 more errors)","errors":{"duration":["The selected duration is invalid."],"image_urls.3":["The image_urls.3 field must be a valid URL."],"foo":["Unknown."]}}
            """);

        Assert.Equal(["DurationSeconds", "ReferenceImages[3]", "ProviderOptions.foo"], error.Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task SubmitAsync_401_IsUnauthorizedNamingTheConfigurationKey()
    {
        var error = await SubmitErrorAsync<UnauthorizedError>(401, "{\"message\":\"Unauthenticated.\"}");

        Assert.Equal("Unauthenticated.", error.VendorMessage);
        Assert.Contains("MediaGen:VeoGen:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-token", error.Message, StringComparison.Ordinal);
        Assert.True(error.RejectedBeforeBilling);
    }

    [Fact]
    public async Task SubmitAsync_404_IsNotFoundWithTheVendorText()
    {
        var error = await SubmitErrorAsync<NotFoundError>(404, VeoGenDocs.ModelNotFound);

        Assert.Equal("Model not found.", error.VendorMessage);
    }

    [Fact]
    public async Task SubmitAsync_429_IsRateLimitedWithRetryAfter()
    {
        var handler = new StubHttpHandler().Enqueue(429, "{\"message\":\"Too Many Attempts.\"}", configure: r => r.Headers.RetryAfter = new(TimeSpan.FromSeconds(17)));

        var error = Assert.IsType<RateLimitedError>((await Stubbed.Create(handler).SubmitAsync(Request)).Error);

        Assert.Equal(TimeSpan.FromSeconds(17), error.RetryAfter);
        Assert.Equal(429, error.StatusCode);
        Assert.True(error.RejectedBeforeBilling);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData(401, typeof(UnauthorizedError))]
    [InlineData(404, typeof(NotFoundError))]
    [InlineData(429, typeof(RateLimitedError))]
    [InlineData(500, typeof(ProviderUnavailableError))]
    [InlineData(503, typeof(ProviderUnavailableError))]
    public async Task GetJobAsync_ErrorStatus_MapsToTheClosedSet(int status, Type expected)
    {
        var handler = new StubHttpHandler().Enqueue(status, "{\"error\":\"Something.\"}");

        var error = (await Stubbed.Create(handler).GetJobAsync(new JobHandle("veogen", "abc"))).Error!;

        Assert.IsType(expected, error);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("Something.", error.VendorMessage);
    }

    [Fact]
    public async Task GetJobAsync_ConnectionFailure_IsProviderUnavailable()
    {
        var handler = new StubHttpHandler().Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        var error = Assert.IsType<ProviderUnavailableError>((await Stubbed.Create(handler).GetJobAsync(new JobHandle("veogen", "abc"))).Error);

        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_5xxHtmlPage_IsNeverTreatedAsRejected()
    {
        var handler = new StubHttpHandler()
            .Enqueue(502, "<html><h1>502 Bad Gateway</h1></html>", "text/html")
            .Enqueue(200, """{"data":[],"meta":{"current_page":1,"last_page":1,"per_page":100,"total":0}}""");

        var error = Assert.IsType<OutcomeUnknownError>((await Stubbed.Create(handler).SubmitAsync(Request)).Error);

        Assert.Equal(502, error.StatusCode);
        Assert.Contains("502 Bad Gateway", error.VendorMessage, StringComparison.Ordinal);
        Assert.False(error.RejectedBeforeBilling);
    }

    [Fact]
    public void RequestField_WireNames_MapToGenerationRequestNames()
    {
        Assert.Equal("AspectRatio", MediaGen.VeoGen.Internal.VeoGenErrors.RequestField("aspect_ratio"));
        Assert.Equal("ReferenceVideos[0]", MediaGen.VeoGen.Internal.VeoGenErrors.RequestField("video_urls.0"));
        Assert.Equal("ReferenceAudio", MediaGen.VeoGen.Internal.VeoGenErrors.RequestField("audio_urls"));
        Assert.Equal("ProviderOptions.watermark", MediaGen.VeoGen.Internal.VeoGenErrors.RequestField("watermark"));
    }

    private static async Task<T> SubmitErrorAsync<T>(int status, string body)
        where T : MediaGenError
    {
        var handler = new StubHttpHandler().Enqueue(status, body);
        var result = await Stubbed.Create(handler).SubmitAsync(Request);
        Assert.Single(handler.Requests); // never resubmitted
        return Assert.IsType<T>(result.Error);
    }
}
