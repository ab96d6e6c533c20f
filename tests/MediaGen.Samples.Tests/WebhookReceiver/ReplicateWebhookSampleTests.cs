using System.Net;
using System.Net.Http.Json;
using MediaGen.Samples.WebhookReceiver;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.Replicate;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGen.Samples.Tests.WebhookReceiver;

/// <summary>
/// The webhook receiver sample with Replicate configured, hosted on 127.0.0.1 against the Replicate emulator: the
/// emulator signs (<c>webhook-id</c> / <c>webhook-timestamp</c> / <c>webhook-signature</c>) and delivers to
/// <c>/webhooks/replicate</c>, and the waiting <c>POST /generate</c> completes from the verified delivery.
/// </summary>
public sealed class ReplicateWebhookSampleTests
{
    private sealed class Rig : IAsyncDisposable
    {
        public required EmulatorHost Host { get; init; }
        public required ReplicateEmulator Emulator { get; init; }
        public required FakeClock Time { get; init; }
        public required ServiceProvider Services { get; init; }
        public required WebApplication App { get; init; }
        public required HttpClient Client { get; init; }

        public Uri WebhookUrl => new(Client.BaseAddress!, WebhookSample.ReplicateWebhookPath);

        public int StatusPolls => Host.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/v1/predictions/", StringComparison.Ordinal));

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
        var emulator = new ReplicateEmulator();
        var host = await EmulatorHost.StartAsync(emulator, new EmulatorHostOptions { TimeProvider = time });
        host.Jobs.Default = JobScript.CompleteAfter(completesAfter);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:Apiframe:ApiKey"] = ApiframeEmulatorOptions.DefaultApiKey,
            ["MediaGen:Apiframe:BaseAddress"] = "http://127.0.0.1:9/",
            ["MediaGen:Replicate:ApiKey"] = ReplicateEmulator.DefaultApiKey,
            ["MediaGen:Replicate:BaseAddress"] = ReplicateEmulator.ProviderBaseAddress(host).ToString(),
            ["MediaGen:Replicate:WebhookSigningSecret"] = emulator.Options.WebhookSecret,
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

    [Fact]
    public async Task Generate_ReplicateCompletedByItsSignedWebhook_AnswersWithoutStatusPolls()
    {
        await using var rig = await StartAsync(TimeSpan.FromSeconds(20));

        var response = await rig.Time.DriveAsync(rig.Client.PostAsJsonAsync("/generate", new GenerateBody("waves at night", "google/veo-3.1", "replicate")));
        await rig.Emulator.WhenDeliveriesIdleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<GenerateResult>())!;
        Assert.Equal("Succeeded", result.Status);
        Assert.StartsWith("replicate:", result.Handle, StringComparison.Ordinal);
        Assert.NotEmpty(result.Outputs);
        var delivery = Assert.Single(rig.Emulator.Deliveries);
        Assert.Equal(rig.WebhookUrl, delivery.Url);
        Assert.Equal(200, delivery.StatusCode);
        Assert.Equal(0, rig.StatusPolls);
    }

    [Fact]
    public async Task ReceiveReplicate_ForgedDelivery_IsAnswered401()
    {
        await using var rig = await StartAsync(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookSample.ReplicateWebhookPath)
        {
            Content = new StringContent("""{"id":"x","status":"succeeded","output":"https://replicate.delivery/x.png"}"""),
        };
        request.Headers.Add("webhook-id", "msg_forged");
        request.Headers.Add("webhook-timestamp", rig.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(new byte[32]));

        using var response = await rig.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
