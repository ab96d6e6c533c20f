using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Testing.Internal;

namespace MediaGen.Testing.Emulators.Apiframe;

/// <summary>One Apiframe job the emulator accepted; the webhook fields are the sender's (guarded by its lock).</summary>
internal sealed class ApiframeJob(JobSlot slot, ApiframeSubmit submit) : EmulatedJob(slot)
{
    public ApiframeSubmit Submit { get; } = submit;

    public string Model => Submit.Model;

    public bool WebhookSent { get; set; }

    public bool NotifiedTerminal { get; set; }

    public int LastNotifiedProgress { get; set; } = -1;

    public List<ITimer> Timers { get; } = [];
}

/// <summary>
/// The emulator's webhook side: timers that wake time-scripted jobs, the deliveries a job's state calls for (each
/// event once), signing, and the one-shot delivery faults of <see cref="ApiframeWebhookFaults"/>.
/// </summary>
internal sealed class ApiframeWebhookSender(Func<EmulatorContext> context, ApiframeEmulatorOptions options, Func<ApiframeJob, JsonNode> result) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<ApiframeWebhookDelivery> _deliveries = [];
    private readonly BackgroundWork _work = new();
    // At most 128 connections to one receiver, as a real sender pools them: without a cap, a burst of completions
    // opened one socket per delivery at both ends (20,000 file descriptors at 100,000 waiting jobs).
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 128 }) { Timeout = TimeSpan.FromSeconds(30) };

    public ApiframeWebhookFaults Faults { get; } = new();

    public IReadOnlyList<ApiframeWebhookDelivery> Deliveries
    {
        get
        {
            lock (_lock)
            {
                return [.. _deliveries];
            }
        }
    }

    public static string Sign(string apiKey, ReadOnlySpan<byte> body, ApiframeWebhookKeyForm keyForm, ApiframeSignatureEncoding encoding)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
        var key = keyForm == ApiframeWebhookKeyForm.RawBytes ? digest : Encoding.UTF8.GetBytes(Convert.ToHexStringLower(digest));
        var mac = HMACSHA256.HashData(key, body);
        return encoding == ApiframeSignatureEncoding.Base64 ? Convert.ToBase64String(mac) : Convert.ToHexStringLower(mac);
    }

    /// <summary>Time-scripted jobs change state without polls: wake up when they start running and when they finish.</summary>
    public void ArmTimers(ApiframeJob job, Action due)
    {
        if (job.Submit.WebhookUrl is null)
        {
            return;
        }

        var clock = context().TimeProvider;
        foreach (var after in job.Job.Script.ClockChangeTimes)
        {
            job.Timers.Add(BackgroundWork.CreateWakeTimer(clock, after, () =>
            {
                // A real-clock timer can fire a millisecond before the job's own clock reaches the change; the state
                // would still be the old one and the delivery would wait for the next poll. Wake once more just after.
                var early = job.Job.CreatedAt + after - clock.GetUtcNow();
                if (early > TimeSpan.Zero)
                {
                    lock (_lock)
                    {
                        job.Timers.Add(BackgroundWork.CreateWakeTimer(clock, early + TimeSpan.FromMilliseconds(1), due));
                    }

                    return;
                }

                due();
            }));
        }
    }

    /// <summary>Sends the deliveries <paramref name="snapshot"/> calls for that were not sent yet.</summary>
    public void Notify(ApiframeJob job, JobSnapshot snapshot)
    {
        var submit = job.Submit;
        if (submit.WebhookUrl is null)
        {
            return;
        }

        var deliveries = new List<(string Event, JsonObject Payload)>();
        lock (_lock)
        {
            if (snapshot.State == JobState.Running && snapshot.Progress != job.LastNotifiedProgress && !job.NotifiedTerminal && submit.Events.Contains("progress"))
            {
                job.LastNotifiedProgress = snapshot.Progress;
                deliveries.Add(("progress", new JsonObject
                {
                    ["event"] = "progress", ["jobId"] = job.Id, ["status"] = "PROCESSING", ["progress"] = snapshot.Progress, ["model"] = job.Model,
                }));
            }

            if (snapshot.IsTerminal && !job.NotifiedTerminal)
            {
                job.NotifiedTerminal = true;
                if (snapshot.State == JobState.Succeeded && submit.Events.Contains("completed"))
                {
                    deliveries.Add(("completed", new JsonObject
                    {
                        ["event"] = "completed",
                        ["jobId"] = job.Id,
                        ["status"] = "COMPLETED",
                        ["progress"] = 100,
                        ["result"] = result(job),
                        ["model"] = job.Model,
                        ["creditCost"] = job.Price,
                        ["completedAt"] = ApiframeEmulatorModels.Timestamp(job.Job.FinishedAt),
                    }));
                }
                else if (snapshot.State == JobState.Failed && submit.Events.Contains("failed"))
                {
                    deliveries.Add(("failed", new JsonObject
                    {
                        ["event"] = "failed", ["jobId"] = job.Id, ["status"] = "FAILED", ["error"] = ApiframeEmulatorModels.FailureText(snapshot), ["model"] = job.Model,
                    }));
                }
            }

            foreach (var (ev, payload) in deliveries)
            {
                job.WebhookSent = true;
                _work.Track(DeliverAsync(job, ev, payload.ToJsonString()));
            }
        }
    }

    /// <summary>Waits until every delivery started so far has finished.</summary>
    public Task WhenIdleAsync() => _work.WhenIdleAsync();

    public void Dispose()
    {
        _work.Dispose();
        _client.Dispose();
    }

    private async Task DeliverAsync(ApiframeJob job, string ev, string body)
    {
        var fault = Faults.Take();
        if (fault.Drop)
        {
            return;
        }

        var clock = context().TimeProvider;
        if (fault.Delay is { } delay)
        {
            await Task.Delay(delay, clock).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        var url = job.Submit.WebhookUrl!;
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = Sign(fault.Forge ? "afk_forged_" + job.Account : job.Account, bytes, options.WebhookKeyForm, options.SignatureEncoding);
        for (var i = 0; i < fault.Copies; i++)
        {
            int? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation("X-Webhook-Signature", signature);
                request.Headers.TryAddWithoutValidation("X-Webhook-Event", ev);
                using var response = await _client.SendAsync(request).ConfigureAwait(false);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            lock (_lock)
            {
                _deliveries.Add(new ApiframeWebhookDelivery(job.Id, ev, url, body, signature, fault.Forge, status, clock.GetUtcNow()));
            }
        }
    }
}
