using MediaGen.Providers;

namespace MediaGen.Tests.Providers;

public sealed class VendorErrorMapTests
{
    private static readonly VendorErrorMap Map = new(
        "acme",
        "Acme",
        new VendorErrorBodyFormat
        {
            Unit = MoneyUnit.Credits("acme"),
            BalanceNames = ["credits.left", "balance"],
            RequestField = wire => wire == "prompt_text" ? nameof(GenerationRequest.Prompt) : "ProviderOptions." + wire,
        },
        [
            new(400, ErrorKind.InvalidRequest, true, "Fix the request.", "acme docs: 400"),
            new(401, ErrorKind.Unauthorized, true, "Check MediaGen:Acme:ApiKey.", "acme docs: 401"),
            new(402, ErrorKind.InsufficientFunds, true, "Top up.", "acme docs: 402"),
            new(404, ErrorKind.NotFound, true, string.Empty, "acme docs: 404"),
            new(404, ErrorKind.InvalidRequest, true, "Check the model id.", "acme docs: 404 unknown_model") { Code = "unknown_model" },
            new(429, ErrorKind.RateLimited, true, string.Empty, "acme docs: 429"),
            new(500, ErrorKind.ProviderUnavailable, false, "Retry later.", "acme docs: 500"),
            new(503, ErrorKind.ProviderUnavailable, true, "Retry later.", "acme docs: 503 queue down"),
        ]);

    [Theory]
    [InlineData(418)]
    [InlineData(302)]
    [InlineData(408)]
    [InlineData(502)]
    public void ToError_UndocumentedStatusOnARead_IsUnavailableAndNotBilledSoAWaitKeepsPolling(int status)
    {
        var error = Map.ToError(Map.Read(status, """{"error":"odd"}""", null), VendorCall.Read, "the status of job 7");

        var unavailable = Assert.IsType<ProviderUnavailableError>(error);
        Assert.True(unavailable.RejectedBeforeBilling);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("odd", error.VendorMessage);
        Assert.Contains("does not document", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(418)]
    [InlineData(500)]
    public void ToError_UndocumentedOr5xxStatusOnASubmit_NeverClaimsNothingWasBilled(int status)
    {
        var error = Map.ToError(Map.Read(status, "{}", null), VendorCall.Submit, "the submit");

        Assert.IsType<ProviderUnavailableError>(error);
        Assert.False(error.RejectedBeforeBilling);
        Assert.False(Map.IsRefusal(status));
    }

    [Fact]
    public void ToError_DocumentedRefusalOn5xx_IsUnavailableRejectedBeforeBilling()
    {
        var error = Map.ToError(Map.Read(503, """{"error":"Service unavailable","message":"Job queue is temporarily down"}""", null), VendorCall.Submit, "the submit");

        Assert.IsType<ProviderUnavailableError>(error);
        Assert.True(error.RejectedBeforeBilling);
        Assert.True(Map.IsRefusal(503));
        Assert.Equal("Service unavailable: Job queue is temporarily down", error.VendorMessage);
    }

    [Fact]
    public void ToError_VendorCodeWithItsOwnRow_UsesThatRowOverTheStatus()
    {
        var coded = Map.ToError(Map.Read(404, """{"error":"No such model","code":"unknown_model"}""", null), VendorCall.Submit, "the submit");
        var plain = Map.ToError(Map.Read(404, """{"error":"No such job"}""", null), VendorCall.Read, "the status of job 7");

        Assert.IsType<InvalidRequestError>(coded);
        Assert.Contains("Check the model id.", coded.Message, StringComparison.Ordinal);
        Assert.IsType<NotFoundError>(plain);
    }

    [Fact]
    public void ToError_RateLimited_CarriesRetryAfterAndSaysWhenToRetry()
    {
        var error = Assert.IsType<RateLimitedError>(Map.ToError(Map.Read(429, """{"error":"slow down"}""", TimeSpan.FromSeconds(60)), VendorCall.Submit, "the submit"));

        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.Contains("Retry after 60 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was charged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToError_InsufficientFunds_ReadsTheBalanceAtANestedPathAndFallsBackToTheQuote()
    {
        var error = Assert.IsType<InsufficientFundsError>(Map.ToError(
            Map.Read(402, """{"error":"Insufficient credits","credits":{"left":3}}""", null),
            VendorCall.Submit,
            "the submit",
            MediaGen.Money.Credits(5, "acme")));

        Assert.Equal(MediaGen.Money.Credits(5, "acme"), error.Required);
        Assert.Equal(MediaGen.Money.Credits(3, "acme"), error.Balance);
    }

    [Theory]
    [InlineData("""{"error":"Validation error","details":[{"field":"prompt_text","message":"too long"}]}""")]
    [InlineData("""{"message":"Validation error","errors":{"prompt_text":["too long"]}}""")]
    [InlineData("""{"error":"Validation error","details":[{"path":["prompt_text"],"message":"too long"}]}""")]
    public void ToError_FieldErrorsInAnyDocumentedShape_NameTheRequestField(string body)
    {
        var error = Assert.IsType<InvalidRequestError>(Map.ToError(Map.Read(400, body, null), VendorCall.Submit, "the submit"));

        Assert.Equal(new FieldError(nameof(GenerationRequest.Prompt), "too long"), Assert.Single(error.Errors));
        Assert.Equal("Validation error", error.VendorMessage);
        Assert.Contains("Prompt: too long", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "<html><body>502 Bad Gateway</body></html>")]
    [InlineData("{\"error\": <<not json>>", "{\"error\": <<not json>>")]
    [InlineData("", null)]
    [InlineData("""{"error":{"message":"nested"}}""", "nested")]
    [InlineData("""{"error":{"reason":42}}""", """{"reason":42}""")]
    [InlineData("""{"success":false,"code":"request_not_found"}""", "request_not_found")]
    public void Read_AnyBody_NeverThrowsAndKeepsTheVendorTextOrAnExcerpt(string body, string? expected)
    {
        var read = Map.Read(401, body, null);

        Assert.Equal(expected, read.VendorMessage);
        Assert.Equal(ErrorKind.Unauthorized, Map.ToError(read, VendorCall.Read, "the status of job 7").Kind);
    }

    [Fact]
    public void Constructor_RefusalThatLeavesBillingOpen_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new VendorErrorMap(
            "acme",
            "Acme",
            new VendorErrorBodyFormat { Unit = MoneyUnit.Usd },
            [new(402, ErrorKind.InsufficientFunds, false, "Top up.", "acme docs")]));

        Assert.Contains("402", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_StatusListedTwice_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new VendorErrorMap(
            "acme",
            "Acme",
            new VendorErrorBodyFormat { Unit = MoneyUnit.Usd },
            [new(401, ErrorKind.Unauthorized, true, "a", "docs"), new(401, ErrorKind.Unauthorized, true, "b", "docs")]));
    }
}
