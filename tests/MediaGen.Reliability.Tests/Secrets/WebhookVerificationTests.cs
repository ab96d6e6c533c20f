using System.Security.Cryptography;
using System.Text;
using MediaGen.Apiframe;
using MediaGen.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Secrets;

/// <summary>
/// Apiframe webhook deliveries (payloads in the documented shapes, reference/provider-apis.md §3.6): only genuine,
/// first-time deliveries are published to waiters; forged, altered, unsigned and replayed ones are refused, and no
/// result shows the key or the signing secret.
/// </summary>
public sealed class WebhookVerificationTests(ITestOutputHelper output)
{
    private const string JobId = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";

    private static readonly string Key = Vendor.Get("apiframe").ApiKey;

    private static readonly byte[] Progress45 = Encoding.UTF8.GetBytes($$"""{"event":"progress","jobId":"{{JobId}}","status":"PROCESSING","progress":45,"model":"nano-banana-2"}""");

    private static readonly byte[] Completed = Encoding.UTF8.GetBytes($$"""{"event":"completed","jobId":"{{JobId}}","status":"COMPLETED","progress":100,"result":"https://cdn.apiframe.ai/results/a1b2c3d4.png","model":"nano-banana-2","creditCost":4,"completedAt":"2026-03-02T09:00:20Z"}""");

    private static readonly byte[] Progress60 = Encoding.UTF8.GetBytes($$"""{"event":"progress","jobId":"{{JobId}}","status":"PROCESSING","progress":60,"model":"nano-banana-2"}""");

    [Fact]
    public void Receive_ForgedAlteredUnsignedAndReplayedDeliveries_AreRefusedAndNeverPublished()
    {
        var hub = new JobUpdateHub();
        var receiver = new ApiframeWebhookReceiver(new ApiframeOptions { ApiKey = Key }, hub);
        using var subscription = hub.Subscribe(new JobHandle("apiframe", JobId));
        var otherKey = "afk_attacker_0000000000000000";
        var rows = new List<IReadOnlyList<object>>();
        var results = new List<ApiframeWebhookResult>();

        ApiframeWebhookResult Deliver(string what, byte[] body, string? signature, string? eventHeader, ApiframeWebhookOutcome expected)
        {
            var result = receiver.Receive(body, signature, eventHeader);
            results.Add(result);
            rows.Add([what, result.Outcome, result.StatusCode, expected == result.Outcome ? "as expected" : $"**expected {expected}**"]);
            return result;
        }

        string Sign(byte[] body) => ApiframeWebhookReceiver.ComputeSignature(Key, body);

        Deliver("genuine progress 45 %", Progress45, Sign(Progress45), "progress", ApiframeWebhookOutcome.Accepted);
        Deliver("replay of progress 45 %", Progress45, Sign(Progress45), "progress", ApiframeWebhookOutcome.Duplicate);
        Deliver("forged: signed with another API key", Progress60, ApiframeWebhookReceiver.ComputeSignature(otherKey, Progress60), "progress", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("forged: HMAC keyed with the raw API key instead of its SHA-256", Progress60, Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Progress60)), "progress", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("forged: unsigned", Progress60, null, "progress", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("forged: empty signature", Progress60, string.Empty, "progress", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("forged: sha256= and zeros", Progress60, "sha256=" + new string('0', 64), "progress", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("forged: garbage signature", Progress60, "not-a-signature", "progress", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("forged: a genuine signature of another delivery", Progress60, Sign(Progress45), "progress", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("forged: truncated signature", Progress60, Sign(Progress60)[..40], "progress", ApiframeWebhookOutcome.InvalidSignature);
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Completed).Replace("cdn.apiframe.ai", "evil.example", StringComparison.Ordinal));
        Deliver("altered: result URL swapped after signing", altered, Sign(Completed), "completed", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("altered: trailing byte after signing", [.. Completed, (byte)' '], Sign(Completed), "completed", ApiframeWebhookOutcome.InvalidSignature);
        Deliver("genuine body, event header contradicting it", Progress60, Sign(Progress60), "completed", ApiframeWebhookOutcome.Malformed);
        Deliver("genuine completed", Completed, Sign(Completed), "completed", ApiframeWebhookOutcome.Accepted);
        Deliver("replay of completed", Completed, Sign(Completed), "completed", ApiframeWebhookOutcome.Duplicate);
        Deliver("replay of progress 45 % after completion", Progress45, Sign(Progress45), "progress", ApiframeWebhookOutcome.Duplicate);
        Deliver("genuine but stale progress 60 % after completion", Progress60, Sign(Progress60), "progress", ApiframeWebhookOutcome.Stale);

        var published = new List<GenerationJob>();
        while (subscription.TryRead(out var update))
        {
            published.Add(update);
        }

        var figures = new Figures("webhooks", "Secrets — Apiframe webhook verification");
        figures.Table(["delivery", "outcome", "HTTP answer", "check"], rows);
        figures.Line($"- deliveries: {rows.Count}; published to waiters: {published.Count} (the genuine first progress and the genuine completion)");
        figures.Publish(output);

        Assert.DoesNotContain(rows, r => ((string)r[3]).StartsWith("**", StringComparison.Ordinal));
        Assert.Equal([GenerationStatus.Running, GenerationStatus.Succeeded], published.Select(j => j.Status));
        Assert.Equal("https://cdn.apiframe.ai/results/a1b2c3d4.png", Assert.Single(published[1].Outputs).Url.AbsoluteUri);
        Assert.All(results.Where(r => !r.IsVerified), r => Assert.True(r.StatusCode >= 400, $"{r.Outcome} answered {r.StatusCode}"));
        var secret = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        Assert.All(results, r => Assert.DoesNotContain(Key, r.ToString(), StringComparison.Ordinal));
        Assert.All(results, r => Assert.DoesNotContain(secret, r.ToString(), StringComparison.Ordinal));
    }
}
