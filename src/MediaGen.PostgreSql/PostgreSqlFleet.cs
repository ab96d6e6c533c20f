using MediaGen.Routing;

namespace MediaGen.PostgreSql;

/// <summary>How a <see cref="PostgreSqlFleet"/> instance takes part in the fleet.</summary>
public sealed class PostgreSqlFleetOptions
{
    /// <summary>Gets or sets this instance's owner id for claims and leases (default: <see cref="JobLease.NewOwnerId"/>).</summary>
    public string? Owner { get; set; }

    /// <summary>Gets or sets how long this instance's leases last without renewal (a dead instance's jobs are taken over after it).</summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how often the takeover worker renews this instance's leases and looks for jobs whose owner died.</summary>
    /// <value>The default is 30 seconds (keep it well under <see cref="LeaseDuration"/>).</value>
    public TimeSpan TakeoverInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often a submit whose key is in flight at another instance asks the store again.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan InFlightPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the budgets every submit must fit (none by default).</summary>
    public IList<SpendBudget> Budgets { get; } = [];

    /// <summary>Gets the stated maximums reserved for a request whose price is unknown, per unit (see <see cref="SpendBudgetOptions.UnknownPriceMaximums"/>).</summary>
    public IList<Money> UnknownPriceMaximums { get; } = [];

    /// <summary>Gets or sets the clock (default: the system clock).</summary>
    public TimeProvider? TimeProvider { get; set; }
}

/// <summary>
/// One instance's part in a fleet sharing one PostgreSQL database: the job store (one submit per key, leases), budgets, the
/// shared circuit state, shared rate limiters, webhook fan-in and takeover, from one connection string. Open it once per
/// process (<see cref="OpenAsync"/>), then: <see cref="MediaGeneratorBuilderFleetExtensions.UseFleet"/> on the router's builder
/// (store and budgets), <see cref="Configure(RouterOptions)"/> on the router's options (shared circuits),
/// <see cref="CreateRateLimiter"/> as each provider's submit limiter, <see cref="Hub"/> as <see cref="WaitOptions.Updates"/>,
/// <see cref="Updates"/>' <see cref="PostgreSqlJobUpdates.PublishAsync"/> from the webhook receiver, and
/// <see cref="StartTakeover"/> with the built generator. See docs/fleet.md.
/// </summary>
public sealed class PostgreSqlFleet : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private PostgreSqlFleet(PostgreSqlJobStore store, PostgreSqlFleetOptions options)
    {
        Options = options;
        Owner = string.IsNullOrWhiteSpace(options.Owner) ? JobLease.NewOwnerId() : options.Owner;
        Store = store;
        Budgets = new PostgreSqlSpendBudgets(store.DataSource);
        Circuits = new PostgreSqlCircuitState(store.DataSource, options.TimeProvider, Owner);
        Updates = new PostgreSqlJobUpdates(store);
    }

    /// <summary>Gets the options.</summary>
    public PostgreSqlFleetOptions Options { get; }

    /// <summary>Gets this instance's owner id.</summary>
    public string Owner { get; }

    /// <summary>Gets the job store.</summary>
    public PostgreSqlJobStore Store { get; }

    /// <summary>Gets the budgets.</summary>
    public PostgreSqlSpendBudgets Budgets { get; }

    /// <summary>Gets the shared circuit state.</summary>
    public PostgreSqlCircuitState Circuits { get; }

    /// <summary>Gets the webhook fan-in.</summary>
    public PostgreSqlJobUpdates Updates { get; }

    /// <summary>Gets the local hub every instance's deliveries reach (give it to <see cref="WaitOptions.Updates"/>).</summary>
    public JobUpdateHub Hub => Updates.Hub;

    /// <summary>Opens the fleet's database (creating or migrating its schema) and starts listening for webhook fan-in.</summary>
    /// <param name="connectionString">A <c>postgresql://</c> URL or an Npgsql connection string.</param>
    /// <param name="options">This instance's options.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The fleet (dispose it at shutdown).</returns>
    public static async Task<PostgreSqlFleet> OpenAsync(string connectionString, PostgreSqlFleetOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgreSqlFleetOptions();
        var store = await PostgreSqlJobStore.OpenAsync(connectionString, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        var fleet = new PostgreSqlFleet(store, options);
        await fleet.Updates.StartAsync(cancellationToken).ConfigureAwait(false);
        return fleet;
    }

    /// <summary>Creates a rate limiter shared by the fleet for one vendor account (see <see cref="PostgreSqlRateLimiter"/>).</summary>
    /// <param name="name">The vendor account, e.g. <c>meigen:main</c>.</param>
    /// <param name="permitLimit">The most permits in any window (the vendor's documented rate).</param>
    /// <param name="window">The window (e.g. one minute).</param>
    /// <returns>The limiter.</returns>
    public PostgreSqlRateLimiter CreateRateLimiter(string name, int permitLimit, TimeSpan window) =>
        new PostgreSqlRateLimiter(Store.DataSource, name, permitLimit, window, Options.TimeProvider);

    /// <summary>Shares circuit state through the fleet: sets <see cref="RouterOptions.SharedCircuits"/>.</summary>
    /// <param name="options">The router's options.</param>
    public void Configure(RouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SharedCircuits = Circuits;
    }

    /// <summary>
    /// Starts the takeover worker: every <see cref="PostgreSqlFleetOptions.TakeoverInterval"/> it renews the leases of this
    /// instance's unfinished jobs, and takes (<c>FOR UPDATE SKIP LOCKED</c>) and finishes the unfinished jobs whose owner's lease
    /// lapsed: polled, never resubmitted.
    /// </summary>
    /// <param name="generator">The generator built with <see cref="MediaGeneratorBuilderFleetExtensions.UseFleet"/> (its polls are recorded and renew leases).</param>
    /// <param name="waitOptions">How to wait for a taken job.</param>
    /// <returns>The worker (disposed with the fleet).</returns>
    public PostgreSqlFleetTakeover StartTakeover(IMediaGenerator generator, WaitOptions? waitOptions = null)
    {
        var worker = new PostgreSqlFleetTakeover(this, generator, waitOptions);
        _owned.Add(worker);
        worker.Start();
        return worker;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }

        await Updates.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
    }

    internal JobLease Lease() => new(Owner, (Options.TimeProvider ?? TimeProvider.System).GetUtcNow() + Options.LeaseDuration);
}

/// <summary>The takeover worker <see cref="PostgreSqlFleet.StartTakeover"/> runs.</summary>
public sealed class PostgreSqlFleetTakeover : IAsyncDisposable
{
    private readonly PostgreSqlFleet _fleet;
    private readonly IMediaGenerator _generator;
    private readonly WaitOptions? _wait;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _resuming = new(StringComparer.Ordinal);
    private Task? _loop;
    private int _taken;

    internal PostgreSqlFleetTakeover(PostgreSqlFleet fleet, IMediaGenerator generator, WaitOptions? wait)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _fleet = fleet;
        _generator = generator;
        _wait = wait;
    }

    /// <summary>Gets the last error a round failed with, if any (the worker keeps going).</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Gets how many jobs of dead instances this worker has taken over.</summary>
    public int TakenOver => Volatile.Read(ref _taken);

    /// <summary>Runs one round now: renews this instance's leases, then takes over the jobs whose owner's lease lapsed.</summary>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <returns>How many jobs were taken.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var lease = _fleet.Lease();
        await _fleet.Store.RenewLeasesAsync(lease, cancellationToken).ConfigureAwait(false);
        var taken = await _fleet.Store.AcquireAbandonedAsync(lease, 1000, cancellationToken).ConfigureAwait(false);
        var count = 0;
        foreach (var job in taken.Where(j => j.Handle is not null))
        {
            if (_resuming.ContainsKey(job.Key))
            {
                continue;
            }

            count++;
            _resuming[job.Key] = Task.Run(() => ResumeAsync(job), CancellationToken.None);
        }

        Interlocked.Add(ref _taken, count);
        return count;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await (_loop ?? Task.CompletedTask).ConfigureAwait(false);
            await Task.WhenAll(_resuming.Values).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    internal void Start() => _loop = Task.Run(LoopAsync, CancellationToken.None);

    private async Task LoopAsync()
    {
        var time = _fleet.Options.TimeProvider ?? TimeProvider.System;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(_stop.Token).ConfigureAwait(false);
                await Task.Delay(_fleet.Options.TakeoverInterval, time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed round (the database unreachable, a timeout) is tried again next round; the loop never dies.
                LastError = e;
                await Task.Delay(_fleet.Options.TakeoverInterval, time, _stop.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task ResumeAsync(StoredJob job)
    {
        try
        {
            var waited = await _generator.WaitForCompletionAsync(job.Handle!, _wait, null, _stop.Token).ConfigureAwait(false);
            if (waited.TryGetValue(out var done) && done.IsTerminal)
            {
                await _fleet.Store.RecordFinishedAsync(job.Handle!, done.Status, done.Failure?.Message, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await _fleet.Store.ReleaseLeaseAsync(job.Key, _fleet.Owner, CancellationToken.None).ConfigureAwait(false);
            _resuming.TryRemove(job.Key, out _);
        }
    }
}

/// <summary>Adds a <see cref="PostgreSqlFleet"/>'s store and budgets to a pipeline.</summary>
public static class MediaGeneratorBuilderFleetExtensions
{
    /// <summary>
    /// Records every job in the fleet's store with one submit per key across the fleet (<see cref="JobStoreMediaGenerator"/>, with
    /// the fleet's owner id and lease), and, when the fleet has budgets, keeps spend within them
    /// (<see cref="SpendBudgetMediaGenerator"/> on <see cref="PostgreSqlSpendBudgets"/>). Call it on the router's builder.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="fleet">The fleet.</param>
    /// <returns>The builder.</returns>
    public static MediaGeneratorBuilder UseFleet(this MediaGeneratorBuilder builder, PostgreSqlFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(fleet);
        builder.UseJobStore(fleet.Store, o =>
        {
            o.Owner = fleet.Owner;
            o.LeaseDuration = fleet.Options.LeaseDuration;
            o.InFlightPollInterval = fleet.Options.InFlightPollInterval;
            o.TimeProvider = fleet.Options.TimeProvider;
        });
        if (fleet.Options.Budgets.Count > 0)
        {
            builder.UseSpendBudgets(fleet.Budgets, o =>
            {
                foreach (var budget in fleet.Options.Budgets)
                {
                    o.Budgets.Add(budget);
                }

                foreach (var max in fleet.Options.UnknownPriceMaximums)
                {
                    o.UnknownPriceMaximums.Add(max);
                }

                o.TimeProvider = fleet.Options.TimeProvider;
            });
        }

        return builder;
    }
}
