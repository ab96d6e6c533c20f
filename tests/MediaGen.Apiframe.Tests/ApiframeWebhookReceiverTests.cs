using System.Text;
using MediaGen.Testing.Emulators.Apiframe;

namespace MediaGen.Apiframe.Tests;

public sealed class ApiframeWebhookReceiverTests
{
    private const string Key = TestSupport.Af.Key;
    private const string JobId = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";

    // The payloads of the docs (A5), field for field.
    private static readonly byte[] Completed = Encoding.UTF8.GetBytes(
        $$"""{"event":"completed","jobId":"{{JobId}}","status":"COMPLETED","progress":100,"result":"https://cdn.apiframe.ai/results/a1b2c3d4.png","model":"midjourney","creditCost":16,"completedAt":"2026-11-21T10:30:45.000Z"}""");

    private static readonly byte[] Failed = Encoding.UTF8.GetBytes(
        $$"""{"event":"failed","jobId":"{{JobId}}","status":"FAILED","error":"Provider returned an error: content policy violation","model":"midjourney"}""");

    private static readonly byte[] Progress = Encoding.UTF8.GetBytes(
        $$"""{"event":"progress","jobId":"{{JobId}}","status":"PROCESSING","progress":45,"model":"midjourney"}""");

    private static ApiframeWebhookReceiver Receiver(JobUpdateHub? hub = null, int capacity = 100) =>
        new(new ApiframeOptions { ApiKey = Key, WebhookDedupeCapacity = capacity }, hub);

    private static string Sign(byte[] body) => ApiframeEmulator.Sign(Key, body);

    [Theory]
    [InlineData(ApiframeWebhookKeyForm.HexString, ApiframeSignatureEncoding.Hex)]
    [InlineData(ApiframeWebhookKeyForm.HexString, ApiframeSignatureEncoding.Base64)]
    [InlineData(ApiframeWebhookKeyForm.RawBytes, ApiframeSignatureEncoding.Hex)]
    [InlineData(ApiframeWebhookKeyForm.RawBytes, ApiframeSignatureEncoding.Base64)]
    public void Receive_ValidSignatureInEveryKeyFormAndEncoding_AcceptsAndPublishes(ApiframeWebhookKeyForm form, ApiframeSignatureEncoding encoding)
    {
        var hub = new JobUpdateHub();
        using var subscription = hub.Subscribe(new JobHandle("apiframe", JobId));

        var result = Receiver(hub).Receive(Completed, ApiframeEmulator.Sign(Key, Completed, form, encoding), "completed");

        Assert.Equal(ApiframeWebhookOutcome.Accepted, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.True(subscription.TryRead(out var update));
        Assert.Equal(GenerationStatus.Succeeded, update.Status);
        Assert.Equal(new Uri("https://cdn.apiframe.ai/results/a1b2c3d4.png"), Assert.Single(update.Outputs).Url);
        Assert.Equal(Money.Credits(16, "apiframe"), update.Charge);
        Assert.Equal(new ModelId("midjourney"), update.Handle.Model);
    }

    [Fact]
    public void Receive_SignatureWithPrefixAndUpperCase_Accepted()
    {
        var result = Receiver().Receive(Completed, "sha256=" + Sign(Completed).ToUpperInvariant(), "completed");

        Assert.Equal(ApiframeWebhookOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public void ComputeSignature_MatchesTheEmulatorsIndependentSigning() =>
        Assert.Equal(Sign(Completed), ApiframeWebhookReceiver.ComputeSignature(Key, Completed));

    [Fact]
    public void Receive_SignedWithAnotherKey_InvalidSignatureAndNothingPublished()
    {
        var hub = new JobUpdateHub();
        using var subscription = hub.Subscribe(new JobHandle("apiframe", JobId));

        var result = Receiver(hub).Receive(Completed, ApiframeEmulator.Sign("afk_attacker", Completed), "completed");

        Assert.Equal(ApiframeWebhookOutcome.InvalidSignature, result.Outcome);
        Assert.Equal(401, result.StatusCode);
        Assert.Null(result.Job);
        Assert.False(subscription.TryRead(out _));
    }

    [Fact]
    public void Receive_BodyAlteredAfterSigning_InvalidSignature()
    {
        var signature = Sign(Completed);
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Completed).Replace("\"creditCost\":16", "\"creditCost\":0", StringComparison.Ordinal));

        Assert.Equal(ApiframeWebhookOutcome.InvalidSignature, Receiver().Receive(altered, signature, "completed").Outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-signature")]
    [InlineData("00")]
    public void Receive_MissingOrGarbledSignature_InvalidSignature(string? signature) =>
        Assert.Equal(ApiframeWebhookOutcome.InvalidSignature, Receiver().Receive(Completed, signature, "completed").Outcome);

    [Fact]
    public void Receive_SameDeliveryTwice_SecondIsDuplicateAndPublishedOnce()
    {
        var hub = new JobUpdateHub();
        using var subscription = hub.Subscribe(new JobHandle("apiframe", JobId));
        var receiver = Receiver(hub);

        var first = receiver.Receive(Progress, Sign(Progress), "progress");
        var second = receiver.Receive(Progress, Sign(Progress), "progress");

        Assert.Equal(ApiframeWebhookOutcome.Accepted, first.Outcome);
        Assert.Equal(ApiframeWebhookOutcome.Duplicate, second.Outcome);
        Assert.Equal(200, second.StatusCode);
        Assert.True(subscription.TryRead(out _));
        Assert.False(subscription.TryRead(out _));
    }

    [Fact]
    public void Receive_ReplayedProgressAfterCompletion_StaleAndNotPublished()
    {
        var hub = new JobUpdateHub();
        var receiver = Receiver(hub);
        Assert.Equal(ApiframeWebhookOutcome.Accepted, receiver.Receive(Completed, Sign(Completed), "completed").Outcome);
        using var subscription = hub.Subscribe(new JobHandle("apiframe", JobId));
        Assert.True(subscription.TryRead(out _)); // the completion kept for the first subscriber

        var replay = receiver.Receive(Progress, Sign(Progress), "progress");
        var again = receiver.Receive(Completed, Sign(Completed), "completed");

        Assert.Equal(ApiframeWebhookOutcome.Stale, replay.Outcome);
        Assert.Equal(ApiframeWebhookOutcome.Duplicate, again.Outcome);
        Assert.False(subscription.TryRead(out _));
    }

    [Fact]
    public void Receive_DedupeMemoryIsBounded_OldestDeliveriesAreForgotten()
    {
        var receiver = Receiver(capacity: 2);
        byte[] P(int progress) => Encoding.UTF8.GetBytes($$"""{"event":"progress","jobId":"j-{{progress}}","status":"PROCESSING","progress":{{progress}},"model":"midjourney"}""");

        Assert.Equal(ApiframeWebhookOutcome.Accepted, receiver.Receive(P(1), Sign(P(1)), "progress").Outcome);
        Assert.Equal(ApiframeWebhookOutcome.Duplicate, receiver.Receive(P(1), Sign(P(1)), "progress").Outcome);
        receiver.Receive(P(2), Sign(P(2)), "progress");
        receiver.Receive(P(3), Sign(P(3)), "progress");

        Assert.Equal(ApiframeWebhookOutcome.Accepted, receiver.Receive(P(1), Sign(P(1)), "progress").Outcome);
    }

    [Fact]
    public void Receive_FailedEvent_FailedJobWithReasonAndRefund()
    {
        var result = Receiver().Receive(Failed, Sign(Failed), "failed");

        Assert.Equal(ApiframeWebhookOutcome.Accepted, result.Outcome);
        Assert.Equal(GenerationStatus.Failed, result.Job!.Status);
        Assert.Equal(FailureReason.ContentPolicy, result.Job.Failure!.Reason);
        Assert.True(result.Job.Failure.Refunded);
    }

    [Fact]
    public void Receive_EventHeaderDisagreesWithSignedBody_Malformed()
    {
        var result = Receiver().Receive(Progress, Sign(Progress), "completed");

        Assert.Equal(ApiframeWebhookOutcome.Malformed, result.Outcome);
        Assert.Equal(400, result.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"event":"completed"}""")]
    [InlineData("""{"event":"completed","jobId":"x","status":"COMPLETED","result":42}""")]
    public void Receive_SignedButUnreadable_Malformed(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Equal(ApiframeWebhookOutcome.Malformed, Receiver().Receive(bytes, Sign(bytes), "completed").Outcome);
    }

    [Fact]
    public void Receive_HeaderReader_ReadsBothHeaders()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["x-webhook-signature"] = Sign(Completed),
            ["x-webhook-event"] = "completed",
        };

        Assert.Equal(ApiframeWebhookOutcome.Accepted, Receiver().Receive(Completed, name => headers.GetValueOrDefault(name)).Outcome);
    }
}
