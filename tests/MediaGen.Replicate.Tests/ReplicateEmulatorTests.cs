using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Replicate.Tests.TestSupport;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Replicate;

namespace MediaGen.Replicate.Tests;

/// <summary>
/// The provider against the Replicate emulator over loopback (written independently from the same reference page):
/// quote → submit → wait → download per model family, paying once after a dropped create, aborted and canceled
/// billing, Prefer: wait, and signed webhooks applied once. Lifecycles are scripted by polls, not durations: the
/// emulator's duration timers are deadline-marked, and <see cref="FakeClock.DriveAsync(Task, TimeSpan?)"/> then waits for
/// the wait loop to arm a new sleep while it already sleeps on its next poll (the drive stalls).
/// </summary>
public sealed class ReplicateEmulatorTests
{
    private static readonly HttpMethod Post = HttpMethod.Post;

    private static WaitOptions Wait(VendorRig rig, TimeSpan? deadline = null) => new() { TimeProvider = rig.Time, Deadline = deadline };

    [Theory]
    [InlineData("google/nano-banana-pro", "image/")]
    [InlineData("google/nano-banana-2", "image/")]
    [InlineData("bytedance/seedream-4.5", "image/")]
    [InlineData("black-forest-labs/flux-1.1-pro", "image/")]
    [InlineData("google/veo-3.1", "video/")]
    [InlineData("bytedance/seedance-2.0", "video/")]
    [InlineData("openai/sora-2", "video/")]
    public async Task GenerateAsync_EachModelFamily_QuotesSubmitsWaitsAndDownloads(string model, string contentType)
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.CompleteAfterPolls(3);

        var quote = (await env.Generator.QuoteAsync(new GenerationRequest(model, "a lighthouse at dusk"))).GetValueOrThrow();
        var submitted = (await env.Time.DriveAsync(env.Generator.SubmitAsync(quote))).GetValueOrThrow();
        var job = (await env.Time.DriveAsync(env.Generator.WaitForCompletionAsync(submitted.Handle, Wait(env)))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.NotEmpty(job.Outputs);
        var output = job.Outputs[0];
        var bytes = await env.Http.GetByteArrayAsync(output.Url);
        Assert.NotEmpty(bytes);
        Assert.StartsWith(contentType, output.ContentType ?? (output.Kind == MediaKind.Video ? "video/" : "image/"), StringComparison.Ordinal);
        Assert.Single(env.Submits);
        Assert.Equal(1, env.Emulator.PredictionCount);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task SubmitAsync_CreateResponseDropped_EndsWithOnePredictionAndOneChargeFoundThroughTheList()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.CompleteAfterPolls(3);
        env.Host.Faults.On(Post, "/v1/models/google/veo-3.1/predictions").Once().DropConnectionAfterHandler();
        var request = new GenerationRequest("google/veo-3.1", "waves at night") { DurationSeconds = 6, IdempotencyKey = "logical-1" };

        var submitted = (await env.Time.DriveAsync(env.Generator.SubmitAsync(request))).GetValueOrThrow();
        var job = (await env.Time.DriveAsync(env.Generator.WaitForCompletionAsync(submitted.Handle, Wait(env)))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Equal("logical-1", job.Handle.IdempotencyKey);
        Assert.Single(env.Submits);
        Assert.Equal(1, env.Emulator.PredictionCount);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
        Assert.Equal(submitted.Handle.VendorJobId, Assert.Single(env.Host.Ledger.Entries).JobId);
        Assert.Contains(env.Host.Requests, r => r.Method == "GET" && r.PathAndQuery.StartsWith("/v1/predictions?created_after=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitAsync_TwoIdenticalCreatesThenADroppedThird_NeverAdoptsAnotherSubmitsPrediction()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.NeverComplete();
        var request = new GenerationRequest("google/nano-banana-pro", "same prompt");
        (await env.Time.DriveAsync(env.Generator.SubmitAsync(request))).GetValueOrThrow();
        env.Host.Faults.On(Post, "/v1/models/google/nano-banana-pro/predictions").Once().DropConnectionAfterHandler();

        var second = await env.Time.DriveAsync(env.Generator.SubmitAsync(request));

        // The list shows two matching predictions; the first belongs to the first submit, so the second is adopted.
        Assert.True(second.IsSuccess, second.Error?.Message);
        Assert.Equal(2, env.Emulator.PredictionCount);
        Assert.Equal(2, env.Submits.Count);
    }

    [Fact]
    public async Task GenerateAsync_DeadlinePassesBeforeItStarts_EndsAbortedFailedAndNotCharged()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.NeverComplete().WithQueuedDuration(TimeSpan.FromHours(1));
        var request = new GenerationRequest("bytedance/seedance-2.0", "a slow queue");
        request.ProviderOptions["replicate"] = new JsonObject { ["cancel_after"] = "5s" };

        var job = (await env.Time.DriveAsync(env.Generator.GenerateAsync(request, Wait(env)))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Failed, job.Status);
        Assert.True(job.Failure!.Refunded);
        Assert.Equal(Money.Usd(0m), job.Charge);
        Assert.Equal(0, env.Host.Ledger.ChargedJobCount);
        Assert.Equal(0m, env.Host.Ledger.TotalCharged(ReplicateEmulator.Unit));
    }

    [Fact]
    public async Task GenerateAsync_DeadlinePassesWhileItRuns_EndsCanceledAndCharged()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.NeverComplete();
        var request = new GenerationRequest("google/veo-3.1", "never ends");
        request.ProviderOptions["replicate"] = new JsonObject { ["cancel_after"] = "30s" };

        var job = (await env.Time.DriveAsync(env.Generator.GenerateAsync(request, Wait(env)))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Canceled, job.Status);
        Assert.False(job.Failure!.Refunded);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
        Assert.True(env.Host.Ledger.TotalCharged(ReplicateEmulator.Unit) > 0m);
    }

    [Fact]
    public async Task SubmitAsync_ShortImageModelWithPreferWait_AnswersWithTheOutputInOneRequest()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(4));

        var job = (await env.Time.DriveAsync(env.Generator.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "quick")))).GetValueOrThrow();

        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.NotEmpty(job.Outputs);
        Assert.Single(env.Host.Requests, r => r.Path.StartsWith("/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubmitAsync_PreferWaitLongerThanTheModel_ReturnsInProgressAndPollsWithoutASecondCreate()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.CompleteAfterPolls(20);

        var submitted = (await env.Time.DriveAsync(env.Generator.SubmitAsync(new GenerationRequest("google/nano-banana-pro", "slow")))).GetValueOrThrow();
        var job = (await env.Time.DriveAsync(env.Generator.WaitForCompletionAsync(submitted.Handle, Wait(env)))).GetValueOrThrow();

        Assert.False(submitted.IsTerminal);
        Assert.Equal(GenerationStatus.Succeeded, job.Status);
        Assert.Single(env.Submits);
        Assert.Equal(1, env.Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Webhooks_EmulatorDeliveriesIncludingRetries_AreVerifiedAndAppliedOnce()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        env.Host.Jobs.Default = JobScript.CompleteAfterPolls(3);
        var hub = new JobUpdateHub();
        var receiver = ReplicateProvider.CreateWebhookReceiver(env.Generator, hub);

        // The hook URL is on the emulator host, which answers 404 there: Replicate retries the final webhook on 4xx (D6).
        var request = new GenerationRequest("google/veo-3.1", "hooked")
        {
            Webhook = new WebhookOptions { Url = new Uri(env.Host.BaseAddress, "hooks/replicate"), Events = ["completed"] },
        };
        var submitted = (await env.Time.DriveAsync(env.Generator.SubmitAsync(request))).GetValueOrThrow();
        await env.Time.DriveAsync(env.Generator.WaitForCompletionAsync(submitted.Handle, Wait(env)));
        for (var i = 0; i < 10; i++)
        {
            env.Time.Advance(TimeSpan.FromSeconds(15));
            await env.Emulator.PumpWebhooksAsync();
        }

        var deliveries = env.Emulator.Deliveries.Where(d => d.PredictionId == submitted.Handle.VendorJobId).ToList();
        Assert.True(deliveries.Count > deliveries.Select(d => d.WebhookId).Distinct().Count(), "the final webhook was retried with the same webhook-id");
        using var subscription = hub.Subscribe(submitted.Handle);
        var outcomes = deliveries.Select(d => receiver.Receive(Encoding.UTF8.GetBytes(d.Body), d.WebhookId, d.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Signature).Outcome).ToList();

        Assert.DoesNotContain(ReplicateWebhookOutcome.InvalidSignature, outcomes);
        Assert.Equal(deliveries.Select(d => d.WebhookId).Distinct().Count(), outcomes.Count(o => o == ReplicateWebhookOutcome.Accepted));
        Assert.True(subscription.TryRead(out var update));
        Assert.Equal(GenerationStatus.Succeeded, update.Status);
        Assert.False(subscription.TryRead(out _));
    }

    [Fact]
    public async Task Webhooks_ForgedDeliveryFromTheEmulator_IsRefused()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();
        var receiver = ReplicateProvider.CreateWebhookReceiver(env.Generator, new JobUpdateHub());
        var body = Encoding.UTF8.GetBytes(ReplicateDocs.Prediction("succeeded", output: "\"https://replicate.delivery/x.png\""));
        var now = env.Time.GetUtcNow().ToUnixTimeSeconds();
        var wrong = ReplicateEmulator.Sign("whsec_" + Convert.ToBase64String(Encoding.ASCII.GetBytes("another-account-key")), "msg_x", now, Encoding.UTF8.GetString(body));

        var result = receiver.Receive(body, "msg_x", now.ToString(System.Globalization.CultureInfo.InvariantCulture), wrong);

        Assert.Equal(ReplicateWebhookOutcome.InvalidSignature, result.Outcome);
    }

    [Fact]
    public async Task GetWebhookSecretAsync_ReadsTheAccountSecret()
    {
        await using var env = await ReplicateTestEnvironment.StartAsync();

        var secret = (await env.Generator.GetService<ReplicateClient>()!.GetWebhookSecretAsync()).GetValueOrThrow();

        Assert.Equal(env.Emulator.Options.WebhookSecret, secret);
    }
}
