using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Testing.Emulators.Replicate;
using MediaGen.Testing.Tests.TestSupport;

namespace MediaGen.Testing.Tests.Emulators.Replicate;

/// <summary>
/// The Replicate emulator's webhooks, checked the way a receiver following §1.7 would: the signature recomputed here
/// with HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{raw body}</c>, keyed with the base64-decoded part of the
/// <c>whsec_</c> secret after the underscore (replicate-python's reading).
/// </summary>
public sealed class ReplicateWebhookSenderTests : ReplicateEmulatorHarness, IAsyncLifetime
{
    private WebhookCatcher _catcher = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _catcher = await WebhookCatcher.StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _catcher.DisposeAsync();
        await DisposeAsync();
    }

    [Fact]
    public async Task Webhook_DefaultFilter_SendsOutputAndCompletedSignedOverIdTimestampAndRawBody()
    {
        var secret = (await GetAsync("webhooks/default/secret")).Body["key"]!.GetValue<string>();
        var id = await CreateAsync(Hooked(filter: null));

        await PredictionAsync(id);
        await PredictionAsync(id); // succeeded
        await Emulator.WhenDeliveriesIdleAsync();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var caught = _catcher.Caught.ToArray();
        Assert.Equal(["output", "completed"], Emulator.Deliveries.Select(d => d.Event)); // R0/D6: "new outputs or finished"
        Assert.Equal(2, caught.Length);
        foreach (var hook in caught)
        {
            Assert.True(Verifies(secret, hook), hook.Header("webhook-signature"));
            Assert.Equal(Start.AddSeconds(0).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), hook.Header("webhook-timestamp"));
            Assert.StartsWith("application/json", hook.Header("content-type"), StringComparison.Ordinal);
        }

        Assert.NotEqual(caught[0].Header("webhook-id"), caught[1].Header("webhook-id"));
        var final = JsonNode.Parse(caught[1].Body)!;
        Assert.Equal((id, "succeeded"), (final["id"]!.GetValue<string>(), final["status"]!.GetValue<string>()));
        Assert.NotNull(final["output"]); // D6: the body is the prediction object
    }

    [Fact]
    public async Task Webhook_StartAndCompletedFilter_SendsExactlyThoseOnce()
    {
        var id = await CreateAsync(Hooked(filter: """["start","completed"]"""));

        await PredictionAsync(id); // processing → start
        await PredictionAsync(id); // succeeded → completed
        await PredictionAsync(id);
        await Emulator.WhenDeliveriesIdleAsync();

        Assert.Equal(["start", "completed"], Emulator.Deliveries.Select(d => d.Event));
        Assert.Equal("processing", JsonNode.Parse(Emulator.Deliveries[0].Body)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Webhook_FinalDeliveryRefused_IsRetriedWithTheSameWebhookIdAfterBackoff()
    {
        Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        _catcher.Answers.Enqueue(500);
        var id = await CreateAsync(Hooked(filter: """["completed"]"""));

        await PredictionAsync(id);
        await Emulator.WhenDeliveriesIdleAsync();
        var afterFirst = Emulator.Deliveries.Count;
        Time.Advance(TimeSpan.FromSeconds(5)); // D6: retried with backoff
        await Emulator.WhenDeliveriesIdleAsync();

        Assert.Equal(1, afterFirst);
        var tries = Emulator.Deliveries;
        Assert.Equal([(1, 500), (2, 204)], tries.Select(d => (d.Attempt, d.StatusCode ?? 0)));
        Assert.Equal(tries[0].WebhookId, tries[1].WebhookId); // D7: the same webhook-id on retries
        Assert.Equal(tries[0].Timestamp + 5, tries[1].Timestamp);
        Assert.All(_catcher.Caught, hook => Assert.True(Verifies(ReplicateEmulatorOptions.DefaultWebhookSecret, hook)));
    }

    [Fact]
    public async Task Webhook_FinalDeliveryAlwaysRefused_StopsAboutAMinuteAfterTheFirstTry()
    {
        Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        for (var i = 0; i < 10; i++)
        {
            _catcher.Answers.Enqueue(503);
        }

        var id = await CreateAsync(Hooked(filter: """["completed"]"""));
        await PredictionAsync(id);
        await Emulator.WhenDeliveriesIdleAsync();
        for (var i = 0; i < 20; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(5)); // steps that land on every retry's due time
            await Emulator.WhenDeliveriesIdleAsync();
        }

        var tries = Emulator.Deliveries;
        Assert.Equal(5, tries.Count);
        Assert.Equal(60, tries[^1].Timestamp - tries[0].Timestamp);
    }

    [Fact]
    public async Task Webhook_IntermediateDeliveryRefused_IsNotRetried()
    {
        Host.Jobs.Default = JobScript.NeverComplete();
        _catcher.Answers.Enqueue(500);
        var id = await CreateAsync(Hooked(filter: """["start"]"""));

        await PredictionAsync(id);
        await Emulator.WhenDeliveriesIdleAsync();
        Time.Advance(TimeSpan.FromMinutes(2));
        await Emulator.WhenDeliveriesIdleAsync();

        Assert.Single(Emulator.Deliveries); // D6: intermediate states are never retried
    }

    [Fact]
    public async Task Webhook_Faults_ForgedDoesNotVerifyStaleIsOldAndDuplicateRepeatsTheSameMessage()
    {
        Host.Jobs.Default = JobScript.CompleteAfterPolls(1);
        Emulator.Webhooks.ForgeNext();
        Emulator.Webhooks.StaleNext(TimeSpan.FromMinutes(10));
        Emulator.Webhooks.DuplicateNext();

        foreach (var _ in Enumerable.Range(0, 3))
        {
            var id = await CreateAsync(Hooked(filter: """["completed"]"""));
            await PredictionAsync(id);
            await Emulator.WhenDeliveriesIdleAsync();
        }

        var caught = _catcher.Caught.ToArray();
        var secret = ReplicateEmulatorOptions.DefaultWebhookSecret;
        Assert.Equal(4, caught.Length);
        Assert.False(Verifies(secret, caught[0]));
        Assert.True(Verifies(secret, caught[1]));
        Assert.Equal((Start - TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(), long.Parse(caught[1].Header("webhook-timestamp"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((caught[2].Header("webhook-id"), caught[2].Header("webhook-signature"), caught[2].Body), (caught[3].Header("webhook-id"), caught[3].Header("webhook-signature"), caught[3].Body));
        Assert.True(Verifies(secret, caught[3]));
    }

    [Fact]
    public async Task Webhook_TimeScriptedPredictionNobodyPolls_StillSendsCompletedWhenTheClockPassesIt()
    {
        Host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(12));
        await CreateAsync(Hooked(filter: """["completed"]"""));

        Time.Advance(TimeSpan.FromSeconds(12));
        await Emulator.WhenDeliveriesIdleAsync();

        var delivery = Assert.Single(Emulator.Deliveries);
        Assert.Equal("succeeded", JsonNode.Parse(delivery.Body)!["status"]!.GetValue<string>());
        Assert.Equal(1, Host.Ledger.ChargedJobCount);
    }

    [Fact]
    public async Task Webhook_StartFilter_TimeScriptedPredictionSendsStartWhenItsQueueTimeHasPassed()
    {
        Host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(20)).WithQueuedDuration(TimeSpan.FromSeconds(2));
        await CreateAsync(Hooked(filter: """["start"]"""));

        Time.Advance(TimeSpan.FromSeconds(2));
        await Emulator.WhenDeliveriesIdleAsync();

        var delivery = Assert.Single(Emulator.Deliveries);
        Assert.Equal(("start", "processing"), (delivery.Event, JsonNode.Parse(delivery.Body)!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Webhook_AbortedByDeadline_SendsACompletedMessageSayingAborted()
    {
        Host.Jobs.Default = JobScript.NeverComplete();
        await CreateAsync(Hooked(filter: """["completed"]"""), ("Cancel-After", "30s"));

        Time.Advance(TimeSpan.FromSeconds(30));
        await Emulator.WhenDeliveriesIdleAsync();

        var delivery = Assert.Single(Emulator.Deliveries);
        Assert.Equal("aborted", JsonNode.Parse(delivery.Body)!["status"]!.GetValue<string>());
        Assert.Empty(Host.Ledger.Entries);
    }

    [Fact]
    public async Task Webhook_InvalidFilterOrUrl_Returns422()
    {
        var filter = await PostAsync("models/google/nano-banana/predictions", $$"""{"input":{"prompt":"a"},"webhook":"{{_catcher.Url}}","webhook_events_filter":["finished"]}""");
        var url = await PostAsync("models/google/nano-banana/predictions", """{"input":{"prompt":"a"},"webhook":"not a url"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, filter.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, url.Status);
    }

    [Fact]
    public void Sign_PublicHelper_MatchesAnIndependentComputation()
    {
        var secret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef"));

        var signature = ReplicateEmulator.Sign(secret, "msg_1", 1700000000, """{"id":"x"}""");

        Assert.Equal(Expected(secret, "msg_1", "1700000000", """{"id":"x"}"""), signature);
    }

    private string Hooked(string? filter) => filter is null
        ? $$"""{"input":{"prompt":"a lighthouse"},"webhook":"{{_catcher.Url}}"}"""
        : $$"""{"input":{"prompt":"a lighthouse"},"webhook":"{{_catcher.Url}}","webhook_events_filter":{{filter}}}""";

    // §1.7: the signature list is space-separated entries "v1,<base64>"; a match on any entry is enough.
    private static bool Verifies(string secret, CaughtWebhook hook)
    {
        var expected = Expected(secret, hook.Header("webhook-id"), hook.Header("webhook-timestamp"), hook.Body);
        return hook.Header("webhook-signature").Split(' ').Any(entry => entry == expected);
    }

    private static string Expected(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.Split('_')[1]);
        using var hmac = new HMACSHA256(key);
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }
}
