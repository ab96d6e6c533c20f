namespace MediaGen.Testing;

/// <summary>Options for <see cref="VendorRig.StartAsync{TEmulator}(TEmulator, Func{VendorRig{TEmulator}, IMediaGenerator}?, VendorRigOptions?, CancellationToken)"/>.</summary>
public sealed class VendorRigOptions
{
    /// <summary>Gets or sets the clock's start time.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="FakeClock.DefaultStartTime"/>.</value>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>Gets or sets how the rig builds the <see cref="HttpClient"/>s of the code under test, given the rig's clock.</summary>
    /// <value>The default is <see langword="null"/>: a plain <see cref="HttpClient"/>.</value>
    public Func<TimeProvider, HttpClient>? CreateHttpClient { get; set; }
}

/// <summary>
/// A test rig: emulators on a loopback <see cref="EmulatorHost"/>, one <see cref="FakeClock"/> shared by the host and
/// the code under test, and the HTTP clients and generators built on them, all disposed with the rig.
/// </summary>
/// <remarks>
/// The rig knows no provider: a test builds its provider with <see cref="BaseAddressOf"/> (or
/// <see cref="VendorRig{TEmulator}.ProviderBaseAddress"/>), <see cref="CreateHttpClient"/> and <see cref="Time"/>, and
/// hands it to <see cref="Own{T}"/>, or passes a factory to <c>StartAsync</c> to get it as <see cref="VendorRig{TEmulator}.Generator"/>.
/// </remarks>
/// <example>
/// <code>
/// await using var rig = await VendorRig.StartAsync(new VeoGenEmulator(), rig => VeoGenProvider.Create(
///     new VeoGenOptions { ApiKey = rig.ApiKey, BaseAddress = rig.ProviderBaseAddress }, rig.Http, rig.Time));
/// var job = await rig.Time.DriveAsync(rig.Generator.GenerateAsync(request));
/// Assert.Single(rig.Submits);
/// </code>
/// </example>
public class VendorRig : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<object> _owned = [];
    private readonly VendorRigOptions _options;
    private readonly IReadOnlyList<IEmulatedApi> _emulators;
    private HttpClient? _http;
    private int _disposed;

    private protected VendorRig(EmulatorHost host, FakeClock time, IReadOnlyList<IEmulatedApi> emulators, VendorRigOptions options)
    {
        Host = host;
        Time = time;
        _emulators = emulators;
        _options = options;
    }

    /// <summary>Gets the emulator host.</summary>
    public EmulatorHost Host { get; }

    /// <summary>Gets the clock shared by the host (latency faults, rate windows, job scripts, timestamps) and the code under test.</summary>
    public FakeClock Time { get; }

    /// <summary>Gets the rig's default client for the code under test (created on first use with <see cref="CreateHttpClient"/>).</summary>
    public HttpClient Http
    {
        get
        {
            lock (_lock)
            {
                return _http ??= CreateHttpClient();
            }
        }
    }

    /// <summary>Gets the paid submits the host received (to any emulator's <see cref="IEmulatedApi.IsPaidSubmit"/> paths), faulted ones included, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Submits => [.. Host.Requests.Where(r => r.Method == "POST" && _emulators.Any(e => e.IsPaidSubmit(r.Path)))];

    /// <summary>Starts a rig with one emulator.</summary>
    /// <typeparam name="TEmulator">The emulator's type.</typeparam>
    /// <param name="emulator">The emulator.</param>
    /// <param name="createGenerator">Builds the generator under test from the started rig (see <see cref="VendorRig{TEmulator}.Generator"/>); <see langword="null"/> for none.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The started rig.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is <see langword="null"/>.</exception>
    public static async Task<VendorRig<TEmulator>> StartAsync<TEmulator>(TEmulator emulator, Func<VendorRig<TEmulator>, IMediaGenerator>? createGenerator = null, VendorRigOptions? options = null, CancellationToken cancellationToken = default)
        where TEmulator : IEmulatedApi
    {
        ArgumentNullException.ThrowIfNull(emulator);
        options ??= new VendorRigOptions();
        var time = new FakeClock(options.StartTime);
        var host = await StartHostAsync([emulator], time, cancellationToken).ConfigureAwait(false);
        var rig = new VendorRig<TEmulator>(host, time, emulator, options);
        if (createGenerator is not null)
        {
            try
            {
                rig.Generator = rig.Own(createGenerator(rig));
            }
            catch
            {
                await rig.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return rig;
    }

    /// <summary>Starts a rig with several emulators on one host (their routes must not collide).</summary>
    /// <param name="emulators">The emulators.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to cancel the start.</param>
    /// <returns>The started rig.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulators"/> is <see langword="null"/>.</exception>
    public static async Task<VendorRig> StartAsync(IEnumerable<IEmulatedApi> emulators, VendorRigOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(emulators);
        IEmulatedApi[] list = [.. emulators];
        options ??= new VendorRigOptions();
        var time = new FakeClock(options.StartTime);
        var host = await StartHostAsync(list, time, cancellationToken).ConfigureAwait(false);
        return new VendorRig(host, time, list, options);
    }

    /// <summary>Gets the address to configure as a provider's base address for one of the rig's emulators.</summary>
    /// <param name="emulator">The emulator.</param>
    /// <returns>The address, such as <c>http://127.0.0.1:54321/api/v1/</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is <see langword="null"/>.</exception>
    public Uri BaseAddressOf(IEmulatedApi emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return emulator.ProviderBaseAddress(Host);
    }

    /// <summary>Gets the paid submits one emulator received, faulted ones included.</summary>
    /// <param name="emulator">The emulator.</param>
    /// <returns>The submits, in arrival order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<RecordedRequest> SubmitsTo(IEmulatedApi emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return [.. Host.Requests.Where(r => r.Method == "POST" && emulator.IsPaidSubmit(r.Path))];
    }

    /// <summary>Creates a client for the code under test (<see cref="VendorRigOptions.CreateHttpClient"/>, or a plain one over <see cref="FakeClock.CreateHttpHandler"/>), disposed with the rig.</summary>
    /// <returns>The client; its <see cref="HttpClient.BaseAddress"/>, unless the factory set one, is the host's, so relative requests reach the host.</returns>
    public HttpClient CreateHttpClient()
    {
        HttpClient client = _options.CreateHttpClient?.Invoke(Time) ?? new HttpClient(Time.CreateHttpHandler());
        client.BaseAddress ??= Host.BaseAddress;
        return Own(client);
    }

    /// <summary>Hands <paramref name="item"/> to the rig: if it is disposable, the rig disposes it (before the host, latest first).</summary>
    /// <typeparam name="T">The item's type, such as a provider or a client.</typeparam>
    /// <param name="item">The item.</param>
    /// <returns><paramref name="item"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
    public T Own<T>(T item)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item is IAsyncDisposable or IDisposable)
        {
            lock (_lock)
            {
                _owned.Add(item);
            }
        }

        return item;
    }

    /// <summary>Disposes what the rig owns, latest first, then stops the host.</summary>
    /// <returns>A task that completes when the host has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        object[] owned;
        lock (_lock)
        {
            owned = [.. _owned];
            _owned.Clear();
        }

        try
        {
            for (int i = owned.Length - 1; i >= 0; i--)
            {
                if (owned[i] is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    ((IDisposable)owned[i]).Dispose();
                }
            }
        }
        finally
        {
            await Host.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    private static Task<EmulatorHost> StartHostAsync(IEmulatedApi[] emulators, FakeClock time, CancellationToken cancellationToken) =>
        EmulatorHost.StartAsync(emulators, new EmulatorHostOptions { TimeProvider = time }, cancellationToken);
}

/// <summary>A <see cref="VendorRig"/> with one emulator: its provider base address, its default key, and the generator under test.</summary>
/// <typeparam name="TEmulator">The emulator's type.</typeparam>
public sealed class VendorRig<TEmulator> : VendorRig
    where TEmulator : IEmulatedApi
{
    private IMediaGenerator? _generator;

    internal VendorRig(EmulatorHost host, FakeClock time, TEmulator emulator, VendorRigOptions options)
        : base(host, time, [emulator], options)
    {
        Emulator = emulator;
    }

    /// <summary>Gets the emulator.</summary>
    public TEmulator Emulator { get; }

    /// <summary>Gets the address to configure as the provider's base address.</summary>
    public Uri ProviderBaseAddress => BaseAddressOf(Emulator);

    /// <summary>Gets the API key the emulator accepts by default.</summary>
    public string ApiKey => Emulator.DefaultApiKey;

    /// <summary>Gets the generator built by the factory given to <c>StartAsync</c>.</summary>
    /// <exception cref="InvalidOperationException">The rig was started without a generator factory.</exception>
    public IMediaGenerator Generator
    {
        get => _generator ?? throw new InvalidOperationException("This rig was started without a generator: pass createGenerator to VendorRig.StartAsync.");
        internal set => _generator = value;
    }

    /// <summary>Deconstructs the rig into its host, emulator and clock; the caller then disposes the host (the rig owns nothing else until it is asked to).</summary>
    /// <param name="host">The host.</param>
    /// <param name="emulator">The emulator.</param>
    /// <param name="time">The clock.</param>
    public void Deconstruct(out EmulatorHost host, out TEmulator emulator, out FakeClock time)
    {
        host = Host;
        emulator = Emulator;
        time = Time;
    }
}
