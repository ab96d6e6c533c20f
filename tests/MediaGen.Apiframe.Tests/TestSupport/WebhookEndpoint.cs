using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGen.Apiframe.Tests.TestSupport;

/// <summary>A small Kestrel endpoint on 127.0.0.1 that hands each webhook POST's raw body and headers to a receiver.</summary>
internal sealed class WebhookEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookEndpoint(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<ApiframeWebhookResult> Results { get; } = new();

    public static async Task<WebhookEndpoint> StartAsync(ApiframeWebhookReceiver receiver)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookEndpoint? self = null;
        app.MapPost("/hooks/apiframe", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var result = receiver.Receive(buffer.ToArray(), name => http.Request.Headers[name].FirstOrDefault());
            self!.Results.Enqueue(result);
            http.Response.StatusCode = result.StatusCode;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookEndpoint(app, new Uri(new Uri(address), "/hooks/apiframe"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
