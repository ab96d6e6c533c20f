using System.Net;
using System.Net.Http.Json;
using MediaGen.Samples.WebhookReceiver;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGen.Samples.Tests.WebhookReceiver;

/// <summary>
/// The webhook receiver sample's own wiring (<see cref="WebhookSample.AddServices"/>, <see cref="WebhookSample.CreateContext"/>,
/// <see cref="WebhookSample.MapWebhookSample"/>) hosted on 127.0.0.1 against the Apiframe emulator: the emulator signs
/// and delivers to the sample's endpoint, and the waiting <c>POST /generate</c> completes from the delivery.
/// </summary>
/// <remarks>
/// MediaGen's services run on a <see cref="FakeClock"/> in their own container (Kestrel keeps the real clock).
/// The emulator's scripted completion is a background timer: <see cref="FakeClock.DriveAsync{T}(Task{T}, TimeSpan?)"/>
/// advances only while the wait loop sleeps, so the clock jumps to the completion, the real webhook I/O follows, and
/// the jump to the 60-second watchdog happens only if the delivery did not end the wait.
/// </remarks>
public sealed class WebhookSampleTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    private sealed class Rig : IAsyncDisposable
    {
        public required EmulatorHost Host { get; init; }
        public required ApiframeEmulator Emulator { get; init; }
        public required FakeClock Time { get; init; }
        public required ServiceProvider Services { get; init; }
        public required WebApplication App { get; init; }
        public required HttpClient Client { get; init; }

        public Uri WebhookUrl => new(Client.BaseAddress!, WebhookSample.WebhookPath);

        public int StatusPolls => Host.Requests.Count(r => r.Path.StartsWith("/v2/jobs/", StringComparison.Ordinal));

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
            await Services.DisposeAsync();
            await Host.DisposeAsync();
            Emulator.Dispose();
        }
    }

    private static async Task<Rig> StartAsync(TimeSpan completesAfter)
    {
        var time = new FakeClock();
        var emulator = new ApiframeEmulator();
        var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = time });
        host.Jobs.Default = JobScript.CompleteAfter(completesAfter);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:Apiframe:ApiKey"] = ApiframeEmulatorOptions.DefaultApiKey,
            ["MediaGen:Apiframe:BaseAddress"] = host.BaseAddress.ToString(),
        }).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        WebhookSample.AddServices(services, configuration);
        var provider = services.BuildServiceProvider();
        var context = WebhookSample.CreateContext(provider, configuration);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapWebhookSample(context);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Rig { Host = host, Emulator = emulator, Time = time, Services = provider, App = app, Client = new HttpClient { BaseAddress = new Uri(address) } };
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> GenerateAsync(Rig rig)
    {
        var start = rig.Time.GetUtcNow();
        var response = await rig.Time.DriveAsync(rig.Client.PostAsJsonAsync("/generate", new GenerateBody("a lighthouse at dusk")));
        await rig.Emulator.WhenDeliveriesIdleAsync();
        return (response, rig.Time.GetUtcNow() - start);
    }

    [Fact]
    public async Task Generate_CompletedByWebhook_AnswersWithZeroStatusPollsBeforeTheWatchdog()
    {
        await using var rig = await StartAsync(TimeSpan.FromSeconds(20));

        var (response, elapsed) = await GenerateAsync(rig);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<GenerateResult>())!;
        Assert.Equal("Succeeded", result.Status);
        Assert.StartsWith("apiframe:", result.Handle, StringComparison.Ordinal);
        Assert.Equal(Money.Credits(16, "apiframe").ToString(), result.Charge);
        Assert.Equal(5, result.Outputs.Count); // four images and the grid
        var delivery = Assert.Single(rig.Emulator.Deliveries);
        Assert.Equal(rig.WebhookUrl, delivery.Url);
        Assert.Equal("completed", delivery.Event);
        Assert.Equal(200, delivery.StatusCode);
        Assert.Equal(0, rig.StatusPolls);
        Assert.Equal(TimeSpan.FromSeconds(20), elapsed);
        Assert.True(elapsed < Watchdog);
    }

    [Fact]
    public async Task Generate_SubmitsTheWebhookUrlAndEveryEvent()
    {
        await using var rig = await StartAsync(TimeSpan.FromSeconds(5));

        await GenerateAsync(rig);

        var submit = Assert.Single(rig.Host.Requests, r => r.Method == "POST" && r.Path.EndsWith("/generate", StringComparison.Ordinal));
        Assert.Contains($"\"webhookUrl\":\"{rig.WebhookUrl}\"", submit.Body, StringComparison.Ordinal);
        Assert.Contains("\"webhookEvents\":[\"completed\",\"failed\",\"progress\"]", submit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_DuplicatedDelivery_BothAnswered200AndTheJobCompletesOnce()
    {
        await using var rig = await StartAsync(TimeSpan.FromSeconds(20));
        rig.Emulator.Webhooks.DuplicateNext();

        var (response, _) = await GenerateAsync(rig);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([200, 200], rig.Emulator.Deliveries.Select(d => d.StatusCode));
        Assert.Equal(0, rig.StatusPolls);
    }

    [Fact]
    public async Task Generate_ForgedDelivery_Answered401AndTheWatchdogPollFindsTheJob()
    {
        // Completes exactly at the watchdog: after the forged delivery the client sleeps until then, and its one poll sees the job done.
        await using var rig = await StartAsync(Watchdog);
        rig.Emulator.Webhooks.ForgeNext();

        var (response, elapsed) = await GenerateAsync(rig);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Succeeded", (await response.Content.ReadFromJsonAsync<GenerateResult>())!.Status);
        var forged = Assert.Single(rig.Emulator.Deliveries);
        Assert.True(forged.Forged);
        Assert.Equal(401, forged.StatusCode);
        Assert.Equal(1, rig.StatusPolls);
        Assert.Equal(Watchdog, elapsed);
    }

    [Fact]
    public async Task Webhook_UnsignedPost_Is401AndPublishesNothing()
    {
        await using var rig = await StartAsync(TimeSpan.FromSeconds(20));

        using var response = await rig.Client.PostAsync(WebhookSample.WebhookPath, new StringContent("""{"event":"completed","jobId":"j1","status":"COMPLETED"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_SignedButNotAJobEvent_Is400()
    {
        await using var rig = await StartAsync(TimeSpan.FromSeconds(20));
        const string body = """{"hello":"world"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookSample.WebhookPath) { Content = new StringContent(body) };
        request.Headers.Add("X-Webhook-Signature", ApiframeEmulator.Sign(ApiframeEmulatorOptions.DefaultApiKey, System.Text.Encoding.UTF8.GetBytes(body)));

        using var response = await rig.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_BodyOverTheLimit_Is413()
    {
        await using var rig = await StartAsync(TimeSpan.FromSeconds(20));

        using var response = await rig.Client.PostAsync(WebhookSample.WebhookPath, new ByteArrayContent(new byte[WebhookSample.MaxWebhookBytes + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
