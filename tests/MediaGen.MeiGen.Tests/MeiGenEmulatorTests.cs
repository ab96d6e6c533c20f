using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MediaGen.MeiGen.Tests.TestSupport;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.MeiGen;

namespace MediaGen.MeiGen.Tests;

/// <summary>The docs' curl examples sent to the emulator get the documented answers; its limits, credits and recovery route.</summary>
public sealed class MeiGenEmulatorTests
{
    private const string Unit = MeiGenEmulatorOptions.CreditsUnit;

    private static MeiGenEmulatorOptions DocsExact() => new()
    {
        FirstGenerationId = MeiGenDocs.JobId,
        UseDocsExampleUrls = true,
        ExtendedStatusFields = false,
    };

    private static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> CurlAsync(VendorRig<MeiGenEmulator> meigen, string body, string? token = Clients.ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/generate/v2") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        var response = await meigen.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    private static async Task<JsonNode> GetAsync(VendorRig<MeiGenEmulator> meigen, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Clients.ApiKey);
        using var response = await meigen.Http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static void AssertJsonEqual(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\nactual   {actual?.ToJsonString()}");

    [Fact]
    public async Task Generate_DocsBasicCurl_AnswersTheDocumentedResponse()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync(DocsExact());
        meigen.Host.Ledger.SetBalance(Unit, 55);

        var (status, body, _) = await CurlAsync(meigen, MeiGenDocs.BasicGenerationCurl);

        Assert.Equal(HttpStatusCode.OK, status);
        AssertJsonEqual(MeiGenDocs.SubmitResponse, body);
        Assert.Equal(50, meigen.Host.Ledger.GetBalance(Unit));
        Assert.Equal(5, meigen.Host.Ledger.TotalCharged(Unit));
    }

    [Fact]
    public async Task Status_DocsAutoRatioCurl_IsProcessingThenTheDocumentedImageCompleted()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync(DocsExact());
        await CurlAsync(meigen, MeiGenDocs.AutoRatioCurl);

        var first = await GetAsync(meigen, "api/generate/v2/status/" + MeiGenDocs.JobId);
        var second = await GetAsync(meigen, "api/generate/v2/status/" + MeiGenDocs.JobId);

        AssertJsonEqual(MeiGenDocs.StatusProcessing, first);
        AssertJsonEqual(MeiGenDocs.StatusImageCompleted, second);
    }

    [Fact]
    public async Task Status_DocsSeedanceCurl_EndsInTheDocumentedVideoCompleted()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync(DocsExact());
        var (_, accepted, _) = await CurlAsync(meigen, MeiGenDocs.SeedanceCurl);
        meigen.Host.Jobs.Get(MeiGenDocs.JobId).Complete();

        var done = await GetAsync(meigen, "api/generate/v2/status/" + MeiGenDocs.JobId);

        Assert.Equal(130, accepted!["creditsUsed"]!.GetValue<decimal>()); // "720p × 5 sec = 26 × 5 = 130 credits"
        AssertJsonEqual(MeiGenDocs.StatusVideoCompleted, done);
    }

    [Fact]
    public async Task Status_ContentPolicyFailure_IsTheDocumentedFailedAnswerAndRefunds()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync(DocsExact());
        meigen.Host.Jobs.EnqueueNext(JobScript.Fail(JobFailureKind.ContentPolicy, "Content policy violation"));
        meigen.Host.Ledger.SetBalance(Unit, 55);
        await CurlAsync(meigen, MeiGenDocs.BasicGenerationCurl);

        var failed = await GetAsync(meigen, "api/generate/v2/status/" + MeiGenDocs.JobId);
        await GetAsync(meigen, "api/generate/v2/status/" + MeiGenDocs.JobId);

        AssertJsonEqual(MeiGenDocs.StatusFailed, failed);
        Assert.Equal(55, meigen.Host.Ledger.GetBalance(Unit)); // "When a generation fails, credits are automatically refunded."
        Assert.Equal(0, meigen.Host.Ledger.ChargedJobCount);
    }

    [Theory]
    [InlineData(MeiGenDocs.SeedanceCurl, 130)]
    [InlineData(MeiGenDocs.ContinuationCurl, 72)]
    [InlineData(MeiGenDocs.BasicGenerationCurl, 5)]
    [InlineData(MeiGenDocs.ReferenceImageCurl, 5)]
    [InlineData(MeiGenDocs.Niji7Curl, 15)]
    [InlineData(MeiGenDocs.AutoRatioCurl, 5)]
    [InlineData(MeiGenDocs.OverviewCurl, 10)]
    public async Task Generate_DocsCurlExamples_AreAcceptedAtTheDocumentedPrice(string curl, int credits)
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();

        var (status, body, _) = await CurlAsync(meigen, curl);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["success"]!.GetValue<bool>());
        Assert.Equal("processing", body["status"]!.GetValue<string>());
        Assert.Equal(credits, body["creditsUsed"]!.GetValue<decimal>());
        Assert.Equal(credits, meigen.Host.Ledger.TotalCharged(Unit));
    }

    [Fact]
    public async Task Generate_ModelOmitted_UsesTheDefaultGptImage2()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();

        var (_, body, _) = await CurlAsync(meigen, """{"prompt": "A minimalist logo of a mountain"}""");

        Assert.Equal("gpt-image-2", body!["modelId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generate_RetiredRhart_Is400NamingGptImage2()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();

        var (status, body, _) = await CurlAsync(meigen, """{"prompt": "x", "modelId": "rhart-1.5"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("gpt-image-2", body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, meigen.Host.Ledger.TotalCharged(Unit));
    }

    [Fact]
    public async Task Generate_WithoutToken_Is401()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();

        var (status, body, _) = await CurlAsync(meigen, MeiGenDocs.BasicGenerationCurl, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.NotNull(body!["error"]);
    }

    [Fact]
    public async Task Generate_ThirteenthRequestInAMinute_Is429WithTheDocumentedHeaders()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await CurlAsync(meigen, MeiGenDocs.BasicGenerationCurl)).Status);
        }

        var (status, body, response) = await CurlAsync(meigen, MeiGenDocs.BasicGenerationCurl);
        meigen.Time.Advance(TimeSpan.FromSeconds(60));
        var afterAMinute = await CurlAsync(meigen, MeiGenDocs.BasicGenerationCurl);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("60", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("12", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.NotNull(body!["error"]);
        Assert.Equal(HttpStatusCode.OK, afterAMinute.Status);
    }

    [Fact]
    public async Task Generate_TooFewPurchasedCredits_Is402AndChargesNothing()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        meigen.Host.Ledger.SetBalance(Unit, 4);

        var (status, body, _) = await CurlAsync(meigen, MeiGenDocs.BasicGenerationCurl);

        Assert.Equal(HttpStatusCode.PaymentRequired, status);
        Assert.NotNull(body!["error"]);
        Assert.Equal(4, meigen.Host.Ledger.GetBalance(Unit));
        Assert.Equal(0, meigen.Emulator.AcceptedCount);
    }

    [Fact]
    public async Task Generate_SameKeySameBody_ReturnsTheSameJobAndChargesOnce()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var body = MeiGenDocs.SeedanceCurl.Replace("\"duration\": 5", "\"duration\": 5, \"idempotencyKey\": \"6f1c1f4e-9a4e-4c36-8d1f-7b1f0a7c2d11\"", StringComparison.Ordinal);

        var first = await CurlAsync(meigen, body);
        var second = await CurlAsync(meigen, body);

        Assert.Equal(first.Body!["generationId"]!.GetValue<string>(), second.Body!["generationId"]!.GetValue<string>());
        Assert.True(second.Body["deduped"]!.GetValue<bool>());
        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
        Assert.Equal(130, meigen.Host.Ledger.TotalCharged(Unit));
    }

    [Fact]
    public async Task Generate_SameKeyDifferentBody_Is409IdempotencyConflict()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        const string key = "\"idempotencyKey\": \"6f1c1f4e-9a4e-4c36-8d1f-7b1f0a7c2d11\"";
        await CurlAsync(meigen, MeiGenDocs.SeedanceCurl.Replace("\"duration\": 5", "\"duration\": 5, " + key, StringComparison.Ordinal));

        var (status, body, _) = await CurlAsync(meigen, MeiGenDocs.SeedanceCurl.Replace("\"duration\": 5", "\"duration\": 6, " + key, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("idempotency_conflict", body!["code"]!.GetValue<string>());
        Assert.Equal(1, meigen.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Requests_ByKey_FindsTheJobOrAnswersRequestNotFound()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();
        var (_, accepted, _) = await CurlAsync(meigen, MeiGenDocs.BasicGenerationCurl.Replace("\"aspectRatio\": \"1:1\"", "\"aspectRatio\": \"1:1\", \"idempotencyKey\": \"0d2b5f9e-1c77-4bde-b1a3-59d3c0f2a6e0\"", StringComparison.Ordinal));

        var found = await GetAsync(meigen, "api/generate/v2/requests/0d2b5f9e-1c77-4bde-b1a3-59d3c0f2a6e0");
        var missing = await GetAsync(meigen, "api/generate/v2/requests/5e4f0b0e-0000-4000-8000-000000000000", HttpStatusCode.NotFound);

        Assert.Equal(accepted!["generationId"]!.GetValue<string>(), found["generationId"]!.GetValue<string>());
        Assert.Equal("processing", found["status"]!.GetValue<string>());
        AssertJsonEqual(MeiGenDocs.RequestNotFound, missing);
    }

    [Fact]
    public async Task Models_ListsCapabilitiesAndPrices()
    {
        await using var meigen = await EmulatedMeiGen.StartAsync();

        var body = await GetAsync(meigen, "api/models");

        var models = body["models"]!.AsArray();
        var seedance = models.Single(m => m!["id"]!.GetValue<string>() == "seedance-2-0")!;
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal(26, seedance["extra_config"]!["pricingPerSec"]!["fast"]!["720p"]!.GetValue<decimal>());
        Assert.Equal(8, seedance["extra_config"]!["pricingPerSecWithVideo"]!["fast"]!["480p"]!.GetValue<decimal>());
        Assert.Equal(9, seedance["extra_config"]!["minBillableTable"]!["5"]!.GetValue<int>());
        Assert.Equal("range", seedance["capabilities"]!["video"]!["outputDuration"]!["kind"]!.GetValue<string>());
        Assert.Equal(5, models.Single(m => m!["id"]!.GetValue<string>() == "nanobanana-2")!["credits_per_generation"]!.GetValue<decimal>());
        Assert.DoesNotContain(models, m => m!["id"]!.GetValue<string>() is "rhart-1.5" or "midjourney-v7");
    }
}
