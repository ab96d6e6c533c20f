using System.Net;
using MediaGen.Testing.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaGen.Testing;

/// <summary>
/// A Kestrel server on 127.0.0.1 hosting one or more <see cref="IVendorEmulator"/>s, with request recording, fault
/// injection, a billing ledger, scripted jobs and a media endpoint shared by all of them.
/// </summary>
/// <remarks>
/// <para>
/// A middleware in front of every endpoint records each request in <see cref="Requests"/> (with the emulator it is for,
/// and, once answered, its status and duration) and then applies the first matching rule of <see cref="Faults"/>.
/// Endpoints mapped with <see cref="EmulatorHostOptions.MapEndpoints"/> are neither recorded nor faulted. Media published with <see cref="EmulatorContext.PublishMedia"/> is served at
/// <c>GET /_media/{name}</c> (faults apply there too).
/// </para>
/// <para>Dispose the host to stop it; pending latency faults end and open connections are closed.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var host = await EmulatorHost.StartAsync(new MeiGenEmulator());
/// host.Faults.On(HttpMethod.Post, "/api/generate/v2").Times(2).RespondWith(503);
/// using var http = host.CreateClient();
/// </code>
/// </example>
public sealed class EmulatorHost : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly HostState _state;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private EmulatorHost(WebApplication app, HostState state, CancellationTokenSource stopping, IReadOnlyList<IVendorEmulator> emulators)
    {
        _app = app;
        _state = state;
        _stopping = stopping;
        Emulators = emulators;
        BaseAddress = state.BaseAddress!;
    }

    /// <summary>Gets the address the host listens on, such as <c>http://127.0.0.1:54321/</c> (with a trailing slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the emulators the host serves.</summary>
    public IReadOnlyList<IVendorEmulator> Emulators { get; }

    /// <summary>Gets the fault injector applied to every request.</summary>
    public FaultInjector Faults => _state.Faults;

    /// <summary>Gets the billing ledger the emulators record charges in.</summary>
    public BillingLedger Ledger => _state.Ledger;

    /// <summary>Gets the host's clock (<see cref="EmulatorHostOptions.TimeProvider"/>, or <see cref="System.TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider => _state.TimeProvider;

    /// <summary>Gets the job scripts the emulators create their jobs from.</summary>
    public JobScripts Jobs => _state.Jobs;

    /// <summary>Gets a snapshot of every request the host received, in arrival order, including faulted ones.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Requests;

    /// <summary>Starts a host serving one emulator.</summary>
    /// <param name="emulator">The emulator.</param>
    /// <param name="options">The host options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The started host.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is <see langword="null"/>.</exception>
    public static Task<EmulatorHost> StartAsync(IVendorEmulator emulator, EmulatorHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return StartAsync([emulator], options, cancellationToken);
    }

    /// <summary>Starts a host serving several emulators on one port (their routes must not collide).</summary>
    /// <param name="emulators">The emulators.</param>
    /// <param name="options">The host options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The started host.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulators"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="EmulatorHostOptions.Port"/> is outside 0–65535.</exception>
    public static async Task<EmulatorHost> StartAsync(IEnumerable<IVendorEmulator> emulators, EmulatorHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(emulators);
        IVendorEmulator[] list = [.. emulators];
        foreach (IVendorEmulator emulator in list)
        {
            ArgumentNullException.ThrowIfNull(emulator, nameof(emulators));
        }

        options ??= new EmulatorHostOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort, nameof(options));
        var state = new HostState(options.TimeProvider ?? TimeProvider.System);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        options.ConfigureLogging?.Invoke(builder.Logging);
        int port = options.Port;
        IPAddress listenAddress = options.Address ?? IPAddress.Loopback;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listenAddress, port);
        });

        WebApplication app = builder.Build();
        var stopping = new CancellationTokenSource();
        try
        {
            ILoggerFactory loggers = app.Services.GetRequiredService<ILoggerFactory>();
            ILogger hostLogger = loggers.CreateLogger("MediaGen.Testing.EmulatorHost");
            var middleware = new EmulatorMiddleware(state, hostLogger, stopping.Token);
            app.UseRouting(); // first, so the middleware knows which emulator (or host page) a request is for
            app.Use(middleware.InvokeAsync);
            app.MapGet("/" + HostState.MediaPathPrefix + "{name}", state.ServeMediaAsync);
            foreach (IVendorEmulator emulator in list)
            {
                RouteGroupBuilder routes = app.MapGroup(string.Empty);
                routes.WithMetadata(new EmulatorEndpointMetadata(emulator.Name));
                emulator.Map(routes, new EmulatorContext(emulator.Name, state, loggers.CreateLogger("MediaGen.Testing.Emulators." + emulator.Name)));
            }

            if (options.MapEndpoints is { } mapEndpoints)
            {
                RouteGroupBuilder own = app.MapGroup(string.Empty);
                own.WithMetadata(HostEndpointMetadata.Instance);
                mapEndpoints(own);
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);

            string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            state.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            if (hostLogger.IsEnabled(LogLevel.Information))
            {
                string names = string.Join(", ", list.Select(e => e.Name));
                Log.HostStarted(hostLogger, state.BaseAddress, names);
            }
            return new EmulatorHost(app, state, stopping, list);
        }
        catch
        {
            stopping.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the host's; the caller disposes it.</summary>
    /// <returns>A new client on a new connection pool.</returns>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>Forgets the requests recorded so far.</summary>
    public void ClearRequests() => _state.ClearRequests();

    /// <summary>Stops the host: pending latency faults end, open connections close after at most 5 seconds.</summary>
    /// <returns>A task that completes when the host has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using var stopTimeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }
}
