using MediaGen.Apiframe;
using MediaGen.Replicate;
using MediaGen.Testing;
using MediaGen.Testing.Emulators.Apiframe;

namespace MediaGen.Samples.WebhookReceiver;

/// <summary>What the sample's endpoints work with.</summary>
public sealed class WebhookSampleContext
{
    /// <summary>Gets the Apiframe provider jobs are submitted to.</summary>
    public required IMediaGenerator Apiframe { get; init; }

    /// <summary>Gets the receiver that verifies deliveries and publishes them into <see cref="Updates"/>.</summary>
    public required ApiframeWebhookReceiver Receiver { get; init; }

    /// <summary>Gets the Replicate provider, when <c>MediaGen:Replicate:ApiKey</c> is configured.</summary>
    public IMediaGenerator? Replicate { get; init; }

    /// <summary>Gets the receiver of Replicate deliveries, when the provider and its <c>WebhookSigningSecret</c> are configured.</summary>
    public ReplicateWebhookReceiver? ReplicateReceiver { get; init; }

    /// <summary>Gets the hub the waiting requests listen on.</summary>
    public required JobUpdateHub Updates { get; init; }

    /// <summary>Gets the clock of the wait loop.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the base URL Apiframe can reach this app at, or null to use the <c>/generate</c> request's own scheme and host.</summary>
    public Uri? PublicBaseUrl { get; init; }

    /// <summary>Gets the model used when a request names none.</summary>
    public string DefaultModel { get; init; } = "midjourney";

    /// <summary>Gets how long the wait loop trusts webhooks before it polls once anyway (a lost delivery costs at most this).</summary>
    public TimeSpan WatchdogInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets a logger for delivery outcomes, or null.</summary>
    public ILogger? Logger { get; init; }
}

/// <summary>The body of <c>POST /generate</c>.</summary>
/// <param name="Prompt">The prompt.</param>
/// <param name="Model">The model, or null for the default (Apiframe's <c>midjourney</c>, Replicate's <c>google/nano-banana-pro</c>).</param>
/// <param name="Provider">The provider: <c>apiframe</c> (the default) or <c>replicate</c>.</param>
public sealed record GenerateBody(string Prompt, string? Model = null, string? Provider = null);

/// <summary>The answer of <c>POST /generate</c>: the ended job.</summary>
/// <param name="Handle">The job handle (<c>apiframe:…</c>).</param>
/// <param name="Status">The final status.</param>
/// <param name="Charge">What Apiframe charged, when it said.</param>
/// <param name="Outputs">The output URLs.</param>
public sealed record GenerateResult(string Handle, string Status, string? Charge, IReadOnlyList<Uri> Outputs);

/// <summary>The sample's wiring, public so tests host exactly these endpoints.</summary>
public static partial class WebhookSample
{
    /// <summary>Where Apiframe delivers webhooks.</summary>
    public const string WebhookPath = "/webhooks/apiframe";

    /// <summary>Where Replicate delivers webhooks.</summary>
    public const string ReplicateWebhookPath = "/webhooks/replicate";

    /// <summary>The Replicate model used when a request names none.</summary>
    public const string ReplicateDefaultModel = "google/nano-banana-pro";

    /// <summary>The largest webhook body read (Apiframe's job events are a few kilobytes).</summary>
    public const int MaxWebhookBytes = 1024 * 1024;

    /// <summary>The events the sample subscribes to.</summary>
    public static readonly IReadOnlyList<string> Events = ["completed", "failed", "progress"];

    /// <summary>
    /// Registers MediaGen with the Apiframe provider from the <c>MediaGen</c> configuration section, and the Replicate
    /// provider when <c>MediaGen:Replicate:ApiKey</c> is set.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The app configuration.</param>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddMediaGen(configuration.GetSection("MediaGen"))
            .AddApiframe(configuration.GetSection("MediaGen:Apiframe"));
        if (!string.IsNullOrWhiteSpace(configuration["MediaGen:Replicate:ApiKey"]))
        {
            builder.AddReplicate(configuration.GetSection("MediaGen:Replicate"));
        }
    }

    /// <summary>Builds the endpoints' context from the services: the Apiframe provider, its webhook receiver and the shared hub.</summary>
    /// <param name="services">The built services.</param>
    /// <param name="configuration">The app configuration (<c>Sample:PublicBaseUrl</c>, <c>Sample:Model</c>).</param>
    /// <returns>The context.</returns>
    public static WebhookSampleContext CreateContext(IServiceProvider services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var apiframe = services.GetRequiredKeyedService<IMediaGenerator>(ApiframeProvider.Name);
        var hub = services.GetRequiredService<JobUpdateHub>();
        var replicate = string.IsNullOrWhiteSpace(configuration["MediaGen:Replicate:ApiKey"]) ? null : services.GetRequiredKeyedService<IMediaGenerator>(ReplicateProvider.Name);
        return new WebhookSampleContext
        {
            Apiframe = apiframe,
            Receiver = ApiframeProvider.CreateWebhookReceiver(apiframe, hub),
            Replicate = replicate,
            ReplicateReceiver = replicate is not null && !string.IsNullOrWhiteSpace(configuration["MediaGen:Replicate:WebhookSigningSecret"])
                ? ReplicateProvider.CreateWebhookReceiver(replicate, hub)
                : null,
            Updates = hub,
            TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
            PublicBaseUrl = configuration["Sample:PublicBaseUrl"] is { Length: > 0 } url ? new Uri(url) : null,
            DefaultModel = configuration["Sample:Model"] is { Length: > 0 } model ? model : "midjourney",
            Logger = services.GetService<ILoggerFactory>()?.CreateLogger("MediaGen.Samples.WebhookReceiver"),
        };
    }

    /// <summary>Maps <c>POST /webhooks/apiframe</c> (deliveries) and <c>POST /generate</c> (submit and wait).</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="context">The context.</param>
    /// <returns>The app.</returns>
    public static IEndpointRouteBuilder MapWebhookSample(this IEndpointRouteBuilder endpoints, WebhookSampleContext context)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(context);
        endpoints.MapPost(WebhookPath, (HttpRequest request, CancellationToken ct) => ReceiveAsync(request, context, ct));
        endpoints.MapPost(ReplicateWebhookPath, (HttpRequest request, CancellationToken ct) => ReceiveReplicateAsync(request, context, ct));
        endpoints.MapPost("/generate", (GenerateBody body, HttpRequest request, CancellationToken ct) => GenerateAsync(body, request, context, ct));
        endpoints.MapGet("/", () => "POST /generate {\"prompt\":\"…\"} submits an Apiframe job and answers when its webhook arrives.");
        return endpoints;
    }

    /// <summary>Receives one delivery: 200 for accepted (and duplicate or stale) deliveries, 401 forged, 400 unreadable, 413 too large.</summary>
    /// <param name="request">The delivery.</param>
    /// <param name="context">The context.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>The answer.</returns>
    public static async Task<IResult> ReceiveAsync(HttpRequest request, WebhookSampleContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);

        // The signature covers the raw bytes: read them as received, before any JSON parsing.
        var body = await ReadBodyAsync(request.Body, MaxWebhookBytes, cancellationToken);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var result = context.Receiver.Receive(body, name => request.Headers[name].FirstOrDefault());
        if (context.Logger is { } logger)
        {
            LogDelivery(logger, result.Outcome, result.Event, result.Job?.Handle, result.Reason);
        }

        return Results.StatusCode(result.StatusCode);
    }

    /// <summary>
    /// Receives one Replicate delivery: 200 for verified (and duplicate or stale) deliveries, 401 forged or outside the
    /// timestamp tolerance, 400 unreadable, 413 too large, 503 when no Replicate signing secret is configured.
    /// </summary>
    /// <param name="request">The delivery.</param>
    /// <param name="context">The context.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>The answer.</returns>
    public static async Task<IResult> ReceiveReplicateAsync(HttpRequest request, WebhookSampleContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (context.ReplicateReceiver is not { } receiver)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        // The signature covers webhook-id.webhook-timestamp.raw-body: read the bytes as received.
        var body = await ReadBodyAsync(request.Body, MaxWebhookBytes, cancellationToken);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var result = receiver.Receive(body, name => request.Headers[name].FirstOrDefault());
        if (context.Logger is { } logger)
        {
            LogReplicateDelivery(logger, result.Outcome, result.WebhookId, result.Job?.Handle, result.Reason);
        }

        return Results.StatusCode(result.StatusCode);
    }

    /// <summary>Submits an Apiframe job whose webhook points at this app and waits for it; the webhook ends the wait.</summary>
    /// <param name="body">The prompt and model.</param>
    /// <param name="request">The HTTP request (its scheme and host give the webhook URL unless <see cref="WebhookSampleContext.PublicBaseUrl"/> is set).</param>
    /// <param name="context">The context.</param>
    /// <param name="cancellationToken">The request's token: the caller leaving stops the wait, not the job.</param>
    /// <returns>The ended job, or a problem naming the error.</returns>
    public static async Task<IResult> GenerateAsync(GenerateBody body, HttpRequest request, WebhookSampleContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var baseUrl = context.PublicBaseUrl ?? new Uri($"{request.Scheme}://{request.Host}/");
        var useReplicate = string.Equals(body.Provider, ReplicateProvider.Name, StringComparison.OrdinalIgnoreCase);
        if (useReplicate && context.Replicate is null)
        {
            return Results.Problem(title: "ReplicateNotConfigured", detail: "Set MediaGen:Replicate:ApiKey (and WebhookSigningSecret) to use Replicate.", statusCode: StatusCodes.Status400BadRequest);
        }

        var generator = useReplicate ? context.Replicate! : context.Apiframe;
        var generation = new GenerationRequest(body.Model ?? (useReplicate ? ReplicateDefaultModel : context.DefaultModel), body.Prompt)
        {
            Webhook = useReplicate
                ? new WebhookOptions { Url = new Uri(baseUrl, ReplicateWebhookPath), Events = ["completed"] }
                : new WebhookOptions { Url = new Uri(baseUrl, WebhookPath), Events = [.. Events] },
        };
        var wait = new WaitOptions { Updates = context.Updates, TimeProvider = context.TimeProvider, WatchdogInterval = context.WatchdogInterval };

        var result = await generator.GenerateAsync(generation, wait, cancellationToken: cancellationToken);
        if (!result.TryGetValue(out var job))
        {
            var error = result.Error;
            return Results.Problem(title: error.GetType().Name, detail: error.Message, statusCode: StatusCodes.Status502BadGateway);
        }

        return Results.Ok(new GenerateResult(job.Handle.ToString(), job.Status.ToString(), job.Charge?.ToString(), [.. job.Outputs.Select(o => o.Url)]));
    }

    /// <summary>
    /// With no <c>MediaGen:Apiframe:ApiKey</c>, starts the Apiframe emulator on 127.0.0.1 (jobs finish 3 seconds after
    /// submit, and its <c>completed</c> webhook ends the wait) and points the provider at it; otherwise returns null.
    /// </summary>
    /// <param name="configuration">The app configuration; the emulator's key and address are added to it.</param>
    /// <returns>The emulator host (dispose it when the app ends), or null.</returns>
    public static async Task<EmulatorHost?> StartEmulatorIfNoKeyAsync(IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration["MediaGen:Apiframe:ApiKey"]))
        {
            return null;
        }

        var host = await EmulatorHost.StartAsync(new ApiframeEmulator());
        host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(3));
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:Apiframe:ApiKey"] = ApiframeEmulatorOptions.DefaultApiKey,
            ["MediaGen:Apiframe:BaseAddress"] = host.BaseAddress.ToString(),
        });
        Console.WriteLine($"No MediaGen:Apiframe:ApiKey configured: using the Apiframe emulator at {host.BaseAddress}; nothing is billed.");
        return host;
    }

    private static async Task<byte[]?> ReadBodyAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Apiframe webhook {Outcome}: event {Event}, job {Handle}; {Reason}")]
    private static partial void LogDelivery(ILogger logger, ApiframeWebhookOutcome outcome, string? @event, JobHandle? handle, string? reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Replicate webhook {Outcome}: webhook-id {WebhookId}, job {Handle}; {Reason}")]
    private static partial void LogReplicateDelivery(ILogger logger, ReplicateWebhookOutcome outcome, string? webhookId, JobHandle? handle, string? reason);
}
