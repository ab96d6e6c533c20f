namespace MediaGen.Testing;

public sealed partial class FakeClock
{
    /// <summary>How long the driver waits in real time for HTTP requests in flight to answer before it advances anyway.</summary>
    internal static readonly TimeSpan QuietLimit = TimeSpan.FromSeconds(5);

    private readonly Lock _requestsLock = new();

    // Guarded by _requestsLock. Requests sent through a handler of CreateHttpHandler and not yet answered, and of those
    // the ones an emulator host on this clock is holding on a sleep of this clock (a latency fault, a sync wait).
    private int _requestsInFlight;
    private int _requestsHeld;
    private TaskCompletionSource _quietSignal = CompletedSignal();

    /// <summary>
    /// Creates the transport handler for the code under test's <see cref="HttpClient"/>: while a request sent through it
    /// is in flight, <see cref="DriveAsync{T}(Task{T}, TimeSpan?)"/> and <see cref="DriveConcurrentAsync{T}(Task{T}, TimeSpan?)"/>
    /// do not advance virtual time, so a healthy answer that takes long in real time (a loaded machine) never meets a
    /// virtual attempt timeout.
    /// </summary>
    /// <param name="innerHandler">The transport; a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>.</param>
    /// <returns>A handler that counts the requests in flight, from the send until the answer is read (a body of up to 64 KB with a known length is buffered first).</returns>
    /// <remarks>
    /// A request that an <see cref="EmulatorHost"/> running on this clock holds on a sleep of this clock (a latency fault,
    /// a Replicate <c>Prefer: wait</c>) does not count while held: the clock must move for it to answer. So that one
    /// unanswered request cannot stall a drive, the driver advances anyway after 5 s of real time without an answer.
    /// Put it innermost, as the transport (<c>MediaGenHttp.CreateClient(options, clock, clock.CreateHttpHandler())</c>),
    /// so that each attempt counts and a back-off between attempts does not.
    /// </remarks>
    public DelegatingHandler CreateHttpHandler(HttpMessageHandler? innerHandler = null) =>
        new InFlightHandler(this) { InnerHandler = innerHandler ?? new SocketsHttpHandler() };

    /// <summary>Marks one request in flight as held by an emulator on a sleep of this clock, until the scope is disposed.</summary>
    /// <returns>The scope; dispose it when the hold ends.</returns>
    internal HeldRequest HoldRequest()
    {
        lock (_requestsLock)
        {
            _requestsHeld++;
            UpdateQuietLocked();
        }

        return new HeldRequest(this);
    }

    /// <summary>Marks a request held by an emulator host on <paramref name="time"/> when it is a <see cref="FakeClock"/>.</summary>
    /// <param name="time">The host's clock.</param>
    /// <returns>The scope, empty when <paramref name="time"/> is not a <see cref="FakeClock"/>.</returns>
    internal static HeldRequest HoldRequest(TimeProvider time) => time is FakeClock clock ? clock.HoldRequest() : default;

    /// <summary>Waits until no request sent through <see cref="CreateHttpHandler"/> is in flight unheld, the operation ends, or <see cref="QuietLimit"/> passes.</summary>
    private async Task WaitForQuietAsync(Task operation)
    {
        Task quiet;
        lock (_requestsLock)
        {
            quiet = _quietSignal.Task;
        }

        if (!quiet.IsCompleted)
        {
            using var limit = new CancellationTokenSource();
            await Task.WhenAny(quiet, operation, Task.Delay(QuietLimit, TimeProvider.System, limit.Token)).ConfigureAwait(false);
            await limit.CancelAsync().ConfigureAwait(false);
        }
    }

    private void OnRequestStarted()
    {
        lock (_requestsLock)
        {
            _requestsInFlight++;
            UpdateQuietLocked();
        }
    }

    private void OnRequestEnded()
    {
        lock (_requestsLock)
        {
            _requestsInFlight--;
            UpdateQuietLocked();
        }
    }

    private void OnHoldEnded()
    {
        lock (_requestsLock)
        {
            _requestsHeld--;
            UpdateQuietLocked();
        }
    }

    /// <summary>Completes the quiet signal when nothing is in flight unheld, and renews a completed one when something is.</summary>
    private void UpdateQuietLocked()
    {
        if (_requestsInFlight - _requestsHeld <= 0)
        {
            _quietSignal.TrySetResult();
        }
        else if (_quietSignal.Task.IsCompleted)
        {
            _quietSignal = NewSignal();
        }
    }

    private static TaskCompletionSource CompletedSignal()
    {
        TaskCompletionSource signal = NewSignal();
        signal.SetResult();
        return signal;
    }

    /// <summary>The scope of <see cref="HoldRequest()"/>.</summary>
    internal readonly struct HeldRequest(FakeClock? clock) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => clock?.OnHoldEnded();
    }

    private sealed class InFlightHandler(FakeClock clock) : DelegatingHandler
    {
        private const long MaxBufferedBody = 64 * 1024;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            clock.OnRequestStarted();
            try
            {
                HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.Content.Headers.ContentLength is <= MaxBufferedBody)
                {
                    // The body is part of the answer (a small JSON status); a large or open-ended one (media) streams.
                    try
                    {
                        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        response.Dispose();
                        throw;
                    }
                }

                return response;
            }
            finally
            {
                clock.OnRequestEnded();
            }
        }
    }
}
