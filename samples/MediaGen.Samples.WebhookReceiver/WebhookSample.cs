using MediaGen.Apiframe;
using MediaGen.PostgreSql;
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

    /// <summary>
    /// Gets the fleet this instance belongs to (fleet mode, <c>MediaGen:Store</c> set), or null: its verified Apiframe
    /// deliveries are then recorded in PostgreSQL and fanned out to every instance (<c>LISTEN/NOTIFY</c>), so a delivery
    /// reaching this instance ends a wait on another one.
    /// </summary>
    public PostgreSqlFleet? Fleet { get; init; }

    /// <summary>Gets this instance's name (<c>Sample:Instance</c>), reported in every <c>/generate</c> answer.</summary>
    public string Instance { get; init; } = "webhook-receiver";
}

/// <summary>The body of <c>POST /generate</c>.</summary>
/// <param name="Prompt">The prompt.</param>
/// <param name="Model">The model, or null for the default (Apiframe's <c>midjourney</c>, Replicate's <c>google/nano-banana-pro</c>).</param>
/// <param name="Provider">The provider: <c>apiframe</c> (the default) or <c>replicate</c>.</param>
/// <param name="IdempotencyKey">The logical request's key, or null for a new one: in fleet mode a key sent to two instances is submitted (and paid) once.</param>
public sealed record GenerateBody(string Prompt, string? Model = null, string? Provider = null, string? IdempotencyKey = null);

/// <summary>The answer of <c>POST /generate</c>: the ended job.</summary>
/// <param name="Handle">The job handle (<c>apiframe:…</c>).</param>
/// <param name="Status">The final status.</param>
/// <param name="Charge">What Apiframe charged, when it said.</param>
/// <param name="Outputs">The output URLs.</param>
/// <param name="Instance">The instance whose wait ended (<c>Sample:Instance</c>).</param>
public sealed record GenerateResult(string Handle, string Status, string? Charge, IReadOnlyList<Uri> Outputs, string? Instance = null);

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
    /// <param name="configuration">The app configuration (<c>Sample:PublicBaseUrl</c>, <c>Sample:Model</c>, <c>Sample:Instance</c>).</param>
    /// <param name="fleet">
    /// The fleet from <see cref="OpenFleetAsync"/>, or null for a single instance. With a fleet, Apiframe jobs go through
    /// <see cref="MediaGeneratorBuilderFleetExtensions.UseFleet"/> (recorded in PostgreSQL, one submit per key), waits listen
    /// on <see cref="PostgreSqlFleet.Hub"/>, and deliveries are published through <see cref="PostgreSqlFleet.Updates"/>.
    /// </param>
    /// <returns>The context.</returns>
    public static WebhookSampleContext CreateContext(IServiceProvider services, IConfiguration configuration, PostgreSqlFleet? fleet = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var apiframe = services.GetRequiredKeyedService<IMediaGenerator>(ApiframeProvider.Name);
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        // In fleet mode the receiver publishes to a hub no wait listens on: the wait's update comes from the store, through
        // LISTEN/NOTIFY (this instance included), after the delivery is recorded, never before.
        var hub = fleet?.Hub ?? services.GetRequiredService<JobUpdateHub>();
        var receiverHub = fleet is null ? hub : new JobUpdateHub();
        var replicate = string.IsNullOrWhiteSpace(configuration["MediaGen:Replicate:ApiKey"]) ? null : services.GetRequiredKeyedService<IMediaGenerator>(ReplicateProvider.Name);
        return new WebhookSampleContext
        {
            Apiframe = fleet is null ? apiframe : apiframe.AsBuilder().UseFleet(fleet).Build(),
            Receiver = ApiframeProvider.CreateWebhookReceiver(apiframe, receiverHub),
            Fleet = fleet,
            Instance = configuration["Sample:Instance"] is { Length: > 0 } instance ? instance : "webhook-receiver",
            Replicate = replicate,
            ReplicateReceiver = replicate is not null && !string.IsNullOrWhiteSpace(configuration["MediaGen:Replicate:WebhookSigningSecret"])
                ? ReplicateProvider.CreateWebhookReceiver(replicate, hub)
                : null,
            Updates = hub,
            TimeProvider = time,
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

        if (context.Fleet is { } fleet && result.Job is { } update)
        {
            // Recorded in the store, then announced to every instance: whichever one waits for this job gets it. Should this
            // fail (the database unreachable), the 500 makes Apiframe retry the delivery; the waiter's watchdog poll stays.
            await fleet.Updates.PublishAsync(update, cancellationToken);
            if (context.Logger is { } fleetLogger)
            {
                LogFleetPublish(fleetLogger, context.Instance, update.Handle, update.Status);
            }
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
            IdempotencyKey = body.IdempotencyKey,
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

        return Results.Ok(new GenerateResult(job.Handle.ToString(), job.Status.ToString(), job.Charge?.ToString(), [.. job.Outputs.Select(o => o.Url)], context.Instance));
    }

    /// <summary>
    /// With no <c>MediaGen:Apiframe:ApiKey</c>, starts the Apiframe emulator on 127.0.0.1 (jobs finish 3 seconds after
    /// submit, and its <c>completed</c> webhook ends the wait) and points the provider at it; otherwise returns null.
    /// <c>Sample:EmulatorPort</c> chooses its port (default: any free one).
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

        var host = await StartEmulatorAsync(EmulatorPort(configuration));
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGen:Apiframe:ApiKey"] = ApiframeEmulatorOptions.DefaultApiKey,
            ["MediaGen:Apiframe:BaseAddress"] = host.BaseAddress.ToString(),
        });
        Console.WriteLine($"No MediaGen:Apiframe:ApiKey configured: using the Apiframe emulator at {host.BaseAddress}; nothing is billed.");
        return host;
    }

    /// <summary>
    /// Starts the Apiframe emulator on 127.0.0.1 as the sample uses it: jobs finish 3 seconds after submit and their webhooks
    /// are delivered (signed with <see cref="ApiframeEmulatorOptions.DefaultApiKey"/>) to the loopback URL the submit named.
    /// Several instances (fleet mode) share one: <c>--emulator-only</c> serves just this.
    /// </summary>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <returns>The emulator host (dispose it to stop).</returns>
    public static async Task<EmulatorHost> StartEmulatorAsync(int port = 0)
    {
        var host = await EmulatorHost.StartAsync(new ApiframeEmulator(), new EmulatorHostOptions { Port = port });
        host.Jobs.Default = JobScript.CompleteAfter(TimeSpan.FromSeconds(3));
        return host;
    }

    /// <summary>Gets <c>Sample:EmulatorPort</c>, or 0.</summary>
    /// <param name="configuration">The app configuration.</param>
    /// <returns>The port.</returns>
    public static int EmulatorPort(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return int.TryParse(configuration["Sample:EmulatorPort"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : 0;
    }

    /// <summary>
    /// Opens the fleet when <c>MediaGen:Store</c> (or the <c>MEDIAGEN_STORE</c> environment variable, as for the CLI) holds a
    /// PostgreSQL connection string (<c>postgresql://user@host:port/db</c> or an Npgsql connection string): the schema is created
    /// or migrated, this instance starts listening for the fleet's deliveries. Returns null when no store is configured.
    /// </summary>
    /// <param name="configuration">The app configuration (<c>MediaGen:Store</c>, <c>Sample:Instance</c> names the owner id).</param>
    /// <param name="time">The clock of leases and takeover rounds, or null for the system clock.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The fleet (dispose it when the app ends), or null.</returns>
    public static async Task<PostgreSqlFleet?> OpenFleetAsync(IConfiguration configuration, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var store = configuration["MediaGen:Store"] is { Length: > 0 } configured ? configured : Environment.GetEnvironmentVariable("MEDIAGEN_STORE");
        if (string.IsNullOrWhiteSpace(store))
        {
            return null;
        }

        // The instance name makes the owner id readable in mediagen_jobs.lease_owner; the suffix keeps it unique per process,
        // so a restarted instance's old leases lapse and are taken over instead of being renewed as its own.
        var instance = configuration["Sample:Instance"] is { Length: > 0 } name ? name : "webhook-receiver";
        var fleet = await PostgreSqlFleet.OpenAsync(store, new PostgreSqlFleetOptions { Owner = $"{instance}/{JobLease.NewOwnerId()}", TimeProvider = time }, cancellationToken);
        Console.WriteLine($"Fleet mode: instance {instance} ({fleet.Owner}) on PostgreSQL; deliveries to any instance end the waits of every instance.");
        return fleet;
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

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Instance {Instance} published the delivery of job {Handle} ({Status}) to the fleet")]
    private static partial void LogFleetPublish(ILogger logger, string instance, JobHandle handle, GenerationStatus status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Replicate webhook {Outcome}: webhook-id {WebhookId}, job {Handle}; {Reason}")]
    private static partial void LogReplicateDelivery(ILogger logger, ReplicateWebhookOutcome outcome, string? webhookId, JobHandle? handle, string? reason);
}
