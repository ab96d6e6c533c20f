using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.VeoGen.Tests.TestSupport;

namespace MediaGen.VeoGen.Tests;

/// <summary>The docs' requests sent to the emulator get the documented answers.</summary>
public sealed class VeoGenEmulatorTests : IAsyncLifetime, IDisposable
{
    private readonly FakeClock _time = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
    private EmulatorHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync(new VeoGenEmulator(), new EmulatorHostOptions { TimeProvider = _time });
        _http = new HttpClient { BaseAddress = VeoGenEmulator.ProviderBaseAddress(_host) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VeoGenEmulator.DefaultApiKey);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _http?.Dispose();

    [Fact]
    public async Task PostGenerations_DocsCurlExample_Returns201WithDataAndPrice()
    {
        var (status, body) = await PostAsync(VeoGenDocs.ExampleRequest);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(0.02m, body["price_usd"]!.GetValue<decimal>());
        var data = body["data"]!;
        Assert.Equal("pending", data["status"]!.GetValue<string>());
        Assert.Equal("gpt-4o-image", data["model"]!.GetValue<string>());
        Assert.Equal("image", data["type"]!.GetValue<string>());
        Assert.Equal("A serene mountain landscape at sunset, photorealistic", data["prompt"]!.GetValue<string>());
        Assert.Equal("16:9", data["parameters"]!["aspect_ratio"]!.GetValue<string>());
        Assert.Null(data["output"]);
        Assert.Null(data["error"]);
        Assert.Null(data["completed_at"]);
        Assert.Equal("2026-11-21T09:00:00+00:00", data["created_at"]!.GetValue<string>());
        Assert.True(Guid.TryParse(data["id"]!.GetValue<string>(), out _));
        Assert.Equal(0.02m, Assert.Single(_host.Ledger.Entries).Amount);
    }

    [Fact]
    public async Task PostGenerations_MissingModel_Returns422WithTheDocumentedBody()
    {
        var (status, body) = await PostAsync("""{"prompt":"A cat"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(VeoGenDocs.ValidationError), body), body.ToJsonString());
    }

    [Fact]
    public async Task PostGenerations_BalanceTooLow_Returns402WithTheDocumentedBodyAndChargesNothing()
    {
        _host.Ledger.SetBalance(VeoGenEmulator.Unit, 0.05m);

        var (status, body) = await PostAsync("""{"model":"veo-3.1-fast","prompt":"A cat"}""");

        Assert.Equal(HttpStatusCode.PaymentRequired, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(VeoGenDocs.InsufficientBalance), body), body.ToJsonString());
        Assert.Empty(_host.Ledger.Entries);
        Assert.Equal(0.05m, _host.Ledger.GetBalance(VeoGenEmulator.Unit));
    }

    [Theory]
    [InlineData("""{"model":"seedance-2.0","prompt":"A cat","resolution":"720p","duration":5}""", "1.42")]
    [InlineData("""{"model":"seedance-2.0","prompt":"A cat","resolution":"480p","duration":5,"video_urls":["https://example.com/r.mp4"]}""", "0.40")]
    [InlineData("""{"model":"seedance-2.0-fast","prompt":"A cat","resolution":"720p","duration":10}""", "2.288")]
    [InlineData("""{"model":"veo-3.1-fast","prompt":"A cat","resolution":"4k"}""", "0.90")]
    [InlineData("""{"model":"grok-video-1","prompt":"A cat","duration":10}""", "0.30")]
    public async Task PostGenerations_DocumentedPrices_AreChargedExactly(string request, string expected)
    {
        var (status, body) = await PostAsync(request);

        Assert.Equal(HttpStatusCode.Created, status);
        var price = decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(price, body["price_usd"]!.GetValue<decimal>());
        Assert.Equal(BillingLedger.DefaultBalance - price, _host.Ledger.GetBalance(VeoGenEmulator.Unit));
    }

    [Fact]
    public async Task PostGenerations_PerModelRules_AreEnforcedWithLaravelStyleMessages()
    {
        var (status, body) = await PostAsync("""{"model":"veo-3.1-fast","prompt":"A cat","duration":6,"aspect_ratio":"1:1","mode":"fun"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("The selected aspect ratio is invalid. (and 2 more errors)", body["message"]!.GetValue<string>());
        Assert.Equal(["aspect_ratio", "duration", "mode"], body["errors"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Requests_WithoutBearerToken_Return401()
    {
        using var anonymous = new HttpClient { BaseAddress = VeoGenEmulator.ProviderBaseAddress(_host) };

        var response = await anonymous.GetAsync(new Uri("account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Requests_Beyond120PerMinute_Return429WithRetryAfterUntilTheMinuteEnds()
    {
        for (var i = 0; i < 120; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri("balance", UriKind.Relative))).StatusCode);
        }

        var limited = await _http.GetAsync(new Uri("balance", UriKind.Relative));
        _time.Advance(TimeSpan.FromMinutes(1));
        var after = await _http.GetAsync(new Uri("balance", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), limited.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task GetModel_Veo31Fast_ReturnsTheDocumentedBody()
    {
        var body = JsonNode.Parse(await _http.GetStringAsync(new Uri("models/veo-3.1-fast", UriKind.Relative)));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(VeoGenDocs.VeoModel), body), body!.ToJsonString());
    }

    [Fact]
    public async Task GetModel_Unknown_Returns404ModelNotFound()
    {
        var response = await _http.GetAsync(new Uri("models/dall-e-9", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(VeoGenDocs.ModelNotFound), JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task GetGeneration_ScriptedLifecycle_GoesPendingProcessingCompletedWithServedMedia()
    {
        _host.Jobs.Default = JobScript.CompleteAfterPolls(2);
        var id = (await PostAsync("""{"model":"nano-banana-2","prompt":"A cat"}""")).Body["data"]!["id"]!.GetValue<string>();

        var first = await GetDataAsync(id);
        var second = await GetDataAsync(id);

        Assert.Equal("processing", first["status"]!.GetValue<string>());
        Assert.Equal("completed", second["status"]!.GetValue<string>());
        var url = new Uri(second["output"]!["url"]!.GetValue<string>());
        Assert.Equal(url.AbsoluteUri + "?download=1", second["output"]!["download_url"]!.GetValue<string>());
        Assert.Equal("image/png", second["output"]!["content_type"]!.GetValue<string>());
        var png = await _http.GetByteArrayAsync(url);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.NotNull(second["completed_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetGeneration_FailedJob_ReportsTheErrorAndRefundsTheBalance()
    {
        _host.Jobs.EnqueueNext(JobScript.Fail(JobFailureKind.ProviderError, "Upstream model error."));
        var id = (await PostAsync("""{"model":"veo-3.1-fast","prompt":"A cat"}""")).Body["data"]!["id"]!.GetValue<string>();

        var failed = await GetDataAsync(id);
        await GetDataAsync(id); // polling again refunds only once

        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("Upstream model error.", failed["error"]!.GetValue<string>());
        Assert.Equal(0, _host.Ledger.ChargedJobCount);
        Assert.Equal(BillingLedger.DefaultBalance, _host.Ledger.GetBalance(VeoGenEmulator.Unit));
    }

    [Fact]
    public async Task ListGenerations_WithoutType_IsCombinedWithoutMetaAndIgnoresPage()
    {
        await PostAsync("""{"model":"gpt-4o-image","prompt":"one"}""");
        _time.Advance(TimeSpan.FromSeconds(1));
        await PostAsync("""{"model":"veo-3.1-fast","prompt":"two"}""");

        var page1 = JsonNode.Parse(await _http.GetStringAsync(new Uri("generations?per_page=5", UriKind.Relative)))!;
        var page2 = JsonNode.Parse(await _http.GetStringAsync(new Uri("generations?per_page=5&page=2", UriKind.Relative)))!;

        Assert.Null(page1["meta"]);
        Assert.Equal(["two", "one"], page1["data"]!.AsArray().Select(g => g!["prompt"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(page1, page2));
    }

    [Fact]
    public async Task ListGenerations_WithType_IsFilteredAndPagedWithMeta()
    {
        for (var i = 0; i < 3; i++)
        {
            await PostAsync($$"""{"model":"gpt-4o-image","prompt":"image {{i}}"}""");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await PostAsync("""{"model":"veo-3.1-fast","prompt":"video"}""");

        var page2 = JsonNode.Parse(await _http.GetStringAsync(new Uri("generations?type=image&per_page=2&page=2", UriKind.Relative)))!;

        Assert.Equal(["image 0"], page2["data"]!.AsArray().Select(g => g!["prompt"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"current_page":2,"last_page":2,"per_page":2,"total":3}"""), page2["meta"]));
    }

    [Fact]
    public async Task AccountAndBalance_ReportTheLedger()
    {
        _host.Ledger.SetBalance(VeoGenEmulator.Unit, 10m);
        await PostAsync("""{"model":"veo-3.1-fast","prompt":"A cat"}""");

        var account = JsonNode.Parse(await _http.GetStringAsync(new Uri("account", UriKind.Relative)))!["data"]!;
        var balance = JsonNode.Parse(await _http.GetStringAsync(new Uri("balance", UriKind.Relative)))!;

        Assert.Equal(9.70m, account["usd_balance"]!.GetValue<decimal>());
        Assert.Equal(0.30m, account["usd_spent"]!.GetValue<decimal>());
        Assert.Equal(9.70m, balance["remaining_balance"]!.GetValue<decimal>());
        Assert.Equal(0.30m, balance["used_balance"]!.GetValue<decimal>());
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await _http.PostAsync(new Uri("generations", UriKind.Relative), content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<JsonNode> GetDataAsync(string id) =>
        JsonNode.Parse(await _http.GetStringAsync(new Uri($"generations/{id}", UriKind.Relative)))!["data"]!;
}
