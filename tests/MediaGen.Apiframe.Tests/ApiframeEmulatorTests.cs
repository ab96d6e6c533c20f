using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Apiframe.Tests.TestSupport;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;

namespace MediaGen.Apiframe.Tests;

/// <summary>The docs' requests sent raw (as their curl examples do) get the documented answers.</summary>
public sealed class ApiframeEmulatorTests
{
    private static HttpRequestMessage Post(string path, string json, string? key = Af.Key, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static HttpRequestMessage Get(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", Af.Key);
        return request;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> Send(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task ImagesGenerate_DocsExample_202QueuedWithJobIdThenJobCompletesWithFourImagesAndGrid()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        using var http = host.CreateClient();

        var (status, accepted) = await Send(http, Post("/v2/images/generate", """{"prompt":"A serene mountain landscape at sunset","model":"midjourney"}""", idempotencyKey: "idem-1"));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("QUEUED", (string?)accepted["status"]);
        var id = (string)accepted["jobId"]!;
        Assert.True(Guid.TryParse(id, out _));
        var (_, queued) = await Send(http, Get($"/v2/jobs/{id}"));
        Assert.Equal("PROCESSING", (string?)queued["status"]);
        var (_, done) = await Send(http, Get($"/v2/jobs/{id}"));
        Assert.Equal("COMPLETED", (string?)done["status"]);
        Assert.Equal(100, (int)done["progress"]!);
        Assert.Equal(16, (int)done["creditCost"]!);
        Assert.Equal(4, done["result"]!["images"]!.AsArray().Count);
        Assert.NotNull(done["result"]!["gridUrl"]);
        using var image = await http.GetAsync((string)done["result"]!["images"]![0]!);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ImagesGenerate_SameIdempotencyKeyTwice_SameJobChargedOnce()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        using var http = host.CreateClient();
        const string Body = """{"prompt":"A serene mountain landscape at sunset","model":"midjourney"}""";

        var (_, a) = await Send(http, Post("/v2/images/generate", Body, idempotencyKey: "same"));
        var (_, b) = await Send(http, Post("/v2/images/generate", Body, idempotencyKey: "same"));
        var (_, c) = await Send(http, Post("/v2/images/generate", Body, idempotencyKey: "other"));

        Assert.Equal((string?)a["jobId"], (string?)b["jobId"]);
        Assert.NotEqual((string?)a["jobId"], (string?)c["jobId"]);
        Assert.Equal(2, host.Ledger.ChargedJobCount);
        Assert.Single(host.Ledger.ChargesFor("same"));
    }

    [Fact]
    public async Task FailedJob_RefundsAndReportsCreditCostZeroWithTheDocsError()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        host.Jobs.Default = JobScript.Fail(JobFailureKind.ContentPolicy, "nsfw");
        using var http = host.CreateClient();
        host.Ledger.SetBalance(ApiframeEmulator.Unit, 100);

        var (_, accepted) = await Send(http, Post("/v2/images/generate", """{"prompt":"x","model":"midjourney"}"""));
        Assert.Equal(84m, host.Ledger.GetBalance(ApiframeEmulator.Unit));
        var (_, failed) = await Send(http, Get($"/v2/jobs/{accepted["jobId"]}"));

        Assert.Equal("FAILED", (string?)failed["status"]);
        Assert.Equal(0, (int)failed["creditCost"]!);
        Assert.Equal("Provider returned an error: content policy violation", (string?)failed["error"]);
        Assert.Equal(0, host.Ledger.ChargedJobCount);
        Assert.Equal(100m, host.Ledger.GetBalance(ApiframeEmulator.Unit));
    }

    [Theory]
    [InlineData(null, 401, "API key is required")]
    [InlineData("afk_nope", 401, "Invalid API key")]
    public async Task ImagesGenerate_BadKey_DocumentedAuthErrors(string? key, int status, string error)
    {
        var (host, emulator, _) = await Af.StartAsync();
        await using var _h = host;
        emulator.ApiKeys.Accepted.Add(Af.Key); // given a key set, other afk_ keys are unknown
        using var http = host.CreateClient();

        var (code, body) = await Send(http, Post("/v2/images/generate", """{"prompt":"x","model":"midjourney"}""", key));

        Assert.Equal(status, (int)code);
        Assert.Equal(error, (string?)body["error"]);
    }

    [Theory]
    [InlineData("/v2/images/generate", """{"model":"midjourney"}""", "prompt")]
    [InlineData("/v2/images/generate", """{"prompt":"x","model":"kling-2.6"}""", "model")]
    [InlineData("/v2/videos/generate", """{"prompt":"x","model":"kling-2.6","klingParams":{"duration":7}}""", "klingParams.duration")]
    [InlineData("/v2/images/generate", """{"prompt":"x","model":"gpt-image-1.5","gptImageParams":{"number_of_images":11}}""", "gptImageParams.number_of_images")]
    [InlineData("/v2/images/generate", """{"prompt":"x","model":"midjourney","webhookEvents":["done"]}""", "webhookEvents")]
    [InlineData("/v2/images/generate", """{"prompt":"x","model":"midjourney","webhookUrl":"https://example.com/hook"}""", "webhookUrl")]
    public async Task Generate_InvalidParameters_400ValidationErrorWithDetails(string path, string json, string field)
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        using var http = host.CreateClient();

        var (code, body) = await Send(http, Post(path, json));

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("Validation error", (string?)body["error"]);
        Assert.Contains(body["details"]!.AsArray(), d => (string?)d!["field"] == field);
        Assert.Equal(0, host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task ResultShapeUrlString_DocsV2Form_JobResultIsOneUrl()
    {
        var (host, _, _) = await Af.StartAsync(new ApiframeEmulatorOptions { ResultShape = ApiframeResultShape.UrlString });
        await using var _h = host;
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var generator = Af.Create(host);
        var job = (await generator.SubmitAsync(Af.Request())).GetValueOrThrow();

        var done = (await generator.GetJobAsync(job.Handle)).GetValueOrThrow();

        Assert.Equal(MediaKind.Image, Assert.Single(done.Outputs).Kind);
        var raw = JsonNode.Parse(await Raw(host, job))!;
        Assert.Equal(System.Text.Json.JsonValueKind.String, raw["result"]!.GetValueKind());
    }

    private static async Task<string> Raw(EmulatorHost host, GenerationJob job)
    {
        using var http = host.CreateClient();
        using var request = Get($"/v2/jobs/{job.Handle.VendorJobId}");
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task VideoGenerate_KlingAndMidjourneyVideo_VideoUrlAndVideosShapesReadByTheProvider()
    {
        var (host, _, _) = await Af.StartAsync();
        await using var _h = host;
        host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        var generator = Af.Create(host);
        var kling = Af.Request("kling-2.5-turbo-pro", "waves");
        kling.DurationSeconds = 5;

        var klingJob = (await generator.GetJobAsync((await generator.SubmitAsync(kling)).GetValueOrThrow().Handle)).GetValueOrThrow();
        var mjJob = (await generator.GetJobAsync((await generator.SubmitAsync(Af.Request("midjourney-video", "waves"))).GetValueOrThrow().Handle)).GetValueOrThrow();

        var clip = Assert.Single(klingJob.Outputs);
        Assert.Equal(MediaKind.Video, clip.Kind);
        Assert.Equal(Money.Credits(4, "apiframe"), klingJob.Charge);
        Assert.Equal(4, mjJob.Outputs.Count);
        Assert.All(mjJob.Outputs, o => Assert.Equal(MediaKind.Video, o.Kind));
    }

    [Fact]
    public async Task GetJob_JobStartsRunningWithProgressSubscribed_SendsSignedProgressDelivery()
    {
        var (host, emulator, _) = await Af.StartAsync();
        await using var _h = host;
        host.Jobs.Default = JobScript.CompleteAfterPolls(4);
        var hub = new JobUpdateHub();
        var generator = Af.Create(host);
        await using var endpoint = await WebhookEndpoint.StartAsync(ApiframeProvider.CreateWebhookReceiver(generator, hub));
        var request = Af.Request();
        request.Webhook = new WebhookOptions { Url = endpoint.Url, Events = ["progress", "completed"] };
        var job = (await generator.SubmitAsync(request)).GetValueOrThrow();
        using var updates = hub.Subscribe(job.Handle);

        Assert.Equal(GenerationStatus.Running, (await generator.GetJobAsync(job.Handle)).GetValueOrThrow().Status);
        await emulator.WhenDeliveriesIdleAsync();

        var delivery = Assert.Single(emulator.Deliveries);
        Assert.Equal("progress", delivery.Event);
        Assert.Equal(200, delivery.StatusCode);
        Assert.Equal(ApiframeEmulator.Sign(Af.Key, Encoding.UTF8.GetBytes(delivery.Body)), delivery.Signature);
        Assert.True(updates.TryRead(out var update));
        Assert.Equal(GenerationStatus.Running, update.Status);
        Assert.Equal(25, update.Progress);
    }
}
