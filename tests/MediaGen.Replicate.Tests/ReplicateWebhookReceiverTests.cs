using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaGen.Testing;

namespace MediaGen.Replicate.Tests;

/// <summary>
/// Webhook verification (D7, §1.7): HMAC-SHA256 over <c>id.timestamp.body</c> keyed with the base64 after <c>whsec_</c>,
/// base64 digests in <c>v1,…</c> entries. The expected signatures are computed here, independently of the receiver.
/// </summary>
public sealed class ReplicateWebhookReceiverTests
{
    private static readonly byte[] KeyBytes = Encoding.ASCII.GetBytes("replicate-test-signing-key-32by!");
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(KeyBytes);
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 1, 0, TimeSpan.Zero);

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(ReplicateDocs.Prediction("succeeded", output: "\"https://replicate.delivery/a/out.jpg\""));

    private static string Sign(string id, string timestamp, byte[] body)
    {
        var content = Encoding.UTF8.GetBytes(id + "." + timestamp + ".").Concat(body).ToArray();
        using var hmac = new HMACSHA256(KeyBytes);
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(content));
    }

    private static string Ts(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static (ReplicateWebhookReceiver Receiver, JobUpdateHub Hub) Create()
    {
        var hub = new JobUpdateHub();
        return (new ReplicateWebhookReceiver(Secret, hub, new FakeClock(Now)), hub);
    }

    [Fact]
    public void Receive_SignedDelivery_IsAcceptedAndPublished()
    {
        var (receiver, hub) = Create();
        using var subscription = hub.Subscribe(new JobHandle("replicate", ReplicateDocs.PredictionId));

        var result = receiver.Receive(Body, "msg_1", Ts(Now), Sign("msg_1", Ts(Now), Body));

        Assert.Equal(ReplicateWebhookOutcome.Accepted, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.True(subscription.TryRead(out var update));
        Assert.Equal(GenerationStatus.Succeeded, update.Status);
    }

    [Fact]
    public void ComputeSignature_MatchesTheIndependentComputation()
    {
        Assert.Equal(Sign("msg_1", "1700000000", Body), ReplicateWebhookReceiver.ComputeSignature(Secret, "msg_1", "1700000000", Body));
    }

    [Fact]
    public void Receive_SameWebhookIdTwice_IsAppliedOnce()
    {
        var (receiver, hub) = Create();
        using var subscription = hub.Subscribe(new JobHandle("replicate", ReplicateDocs.PredictionId));
        var signature = Sign("msg_2", Ts(Now), Body);

        var first = receiver.Receive(Body, "msg_2", Ts(Now), signature);
        var second = receiver.Receive(Body, "msg_2", Ts(Now), signature);

        Assert.Equal(ReplicateWebhookOutcome.Accepted, first.Outcome);
        Assert.Equal(ReplicateWebhookOutcome.Duplicate, second.Outcome);
        Assert.Equal(200, second.StatusCode);
        Assert.True(subscription.TryRead(out _));
        Assert.False(subscription.TryRead(out _));
    }

    [Fact]
    public void Receive_ForgedSignature_IsRefused()
    {
        var (receiver, _) = Create();
        var forged = "v1," + Convert.ToBase64String(new byte[32]);

        var result = receiver.Receive(Body, "msg_3", Ts(Now), forged);

        Assert.Equal(ReplicateWebhookOutcome.InvalidSignature, result.Outcome);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public void Receive_BodyAlteredAfterSigning_IsRefused()
    {
        var (receiver, _) = Create();
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("out.jpg", "evil.jpg", StringComparison.Ordinal));

        var result = receiver.Receive(altered, "msg_4", Ts(Now), Sign("msg_4", Ts(Now), Body));

        Assert.Equal(ReplicateWebhookOutcome.InvalidSignature, result.Outcome);
    }

    [Fact]
    public void Receive_StaleTimestamp_IsRefusedEvenWhenCorrectlySigned()
    {
        var (receiver, _) = Create();
        var old = Ts(Now - TimeSpan.FromMinutes(6));

        var result = receiver.Receive(Body, "msg_5", old, Sign("msg_5", old, Body));

        Assert.Equal(ReplicateWebhookOutcome.InvalidTimestamp, result.Outcome);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public void Receive_SeveralSignatureEntriesOneValid_IsAccepted()
    {
        var (receiver, _) = Create();
        var header = "v1," + Convert.ToBase64String(new byte[32]) + " " + Sign("msg_6", Ts(Now), Body);

        var result = receiver.Receive(Body, name => name switch
        {
            "webhook-id" => "msg_6",
            "webhook-timestamp" => Ts(Now),
            "webhook-signature" => header,
            _ => null,
        });

        Assert.Equal(ReplicateWebhookOutcome.Accepted, result.Outcome);
    }

    [Fact]
    public void Receive_IntermediateStateAfterTheFinalOne_IsStale()
    {
        var (receiver, _) = Create();
        var running = Encoding.UTF8.GetBytes(ReplicateDocs.Prediction("processing"));
        receiver.Receive(Body, "msg_7", Ts(Now), Sign("msg_7", Ts(Now), Body));

        var result = receiver.Receive(running, "msg_8", Ts(Now), Sign("msg_8", Ts(Now), running));

        Assert.Equal(ReplicateWebhookOutcome.Stale, result.Outcome);
    }

    [Fact]
    public void Receive_SignedButNotAPrediction_IsMalformed()
    {
        var (receiver, _) = Create();
        var junk = Encoding.UTF8.GetBytes("{\"hello\":1}");

        var result = receiver.Receive(junk, "msg_9", Ts(Now), Sign("msg_9", Ts(Now), junk));

        Assert.Equal(ReplicateWebhookOutcome.Malformed, result.Outcome);
        Assert.Equal(400, result.StatusCode);
    }

    [Fact]
    public void Constructor_SecretThatIsNotBase64_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ReplicateWebhookReceiver("whsec_***not base64***"));
    }
}
