using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaGen.Testing.Tests.TestSupport;

/// <summary>A Kestrel endpoint on 127.0.0.1 that records every webhook POST (headers and raw body) and answers the queued status codes (then 204).</summary>
internal sealed class WebhookCatcher : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookCatcher(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<CaughtWebhook> Caught { get; } = new();

    public ConcurrentQueue<int> Answers { get; } = new();

    public static async Task<WebhookCatcher> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookCatcher? self = null;
        app.MapPost("/hooks/replicate", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            self!.Caught.Enqueue(new CaughtWebhook(headers, body));
            http.Response.StatusCode = self.Answers.TryDequeue(out var status) ? status : StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookCatcher(app, new Uri(new Uri(address), "/hooks/replicate"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One webhook POST as received.</summary>
internal sealed record CaughtWebhook(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
}
