using MediaGen.Providers;

namespace MediaGen.Http;

/// <summary>
/// The POSTs of one logical submit to one vendor, counted across every layer that sends them: the shared HTTP
/// pipeline's retries and any resend a provider makes after an ambiguous answer. Create one per logical submit and
/// attach it to each of its requests with
/// <see cref="MediaGenHttpRequest.MarkSubmit(HttpRequestMessage, bool, SubmitAttempts)"/>; both layers then draw from it,
/// so one submit never makes more than <see cref="MaxAttempts"/> POSTs however many layers resend it.
/// </summary>
/// <remarks>
/// The cap is the smallest of the one given to the constructor and <see cref="MediaGenHttpOptions.MaxSubmitAttempts"/>
/// of every MediaGen pipeline that sends it; when neither applies (a client without the MediaGen pipeline) it is
/// <see cref="MediaGenHttpOptions.DefaultMaxSubmitAttempts"/>. Thread-safe.
/// </remarks>
public sealed class SubmitAttempts
{
    // One per logical submit: the list (sized for the default cap) is also what is locked, so a submit allocates no lock object.
    private readonly List<Attempt> _observed = new(MediaGenHttpOptions.DefaultMaxSubmitAttempts);
    private int? _max;
    private int _count;

    /// <summary>Creates a budget whose cap is set by the pipeline that sends it (3 by default).</summary>
    public SubmitAttempts()
    {
    }

    /// <summary>Creates a budget with a cap of its own (a pipeline configured lower lowers it further).</summary>
    /// <param name="maxAttempts">The most POSTs this submit may make, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAttempts"/> is less than 1.</exception>
    public SubmitAttempts(int maxAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _max = maxAttempts;
    }

    /// <summary>Gets the most POSTs this submit may make.</summary>
    public int MaxAttempts
    {
        get
        {
            lock (_observed)
            {
                return _max ?? MediaGenHttpOptions.DefaultMaxSubmitAttempts;
            }
        }
    }

    /// <summary>Gets how many POSTs this submit has made (or is making) so far, every layer counted.</summary>
    public int Count
    {
        get
        {
            lock (_observed)
            {
                return _count;
            }
        }
    }

    /// <summary>Gets a value indicating whether another POST of this submit is within the cap.</summary>
    public bool CanSendAnother
    {
        get
        {
            lock (_observed)
            {
                return _count < (_max ?? MediaGenHttpOptions.DefaultMaxSubmitAttempts);
            }
        }
    }

    /// <summary>Gets how many of the POSTs the MediaGen pipeline saw (zero when the client has no MediaGen pipeline).</summary>
    public int Observed
    {
        get
        {
            lock (_observed)
            {
                return _observed.Count;
            }
        }
    }

    /// <summary>
    /// Gets whether any POST the MediaGen pipeline saw may have reached the vendor: it is still in flight, it failed
    /// after the request may have been sent (connection dropped, timeout, cancellation), or it was answered with a
    /// status that is not one of the vendor's documented refusals.
    /// </summary>
    /// <param name="isRefusal">The vendor's fact: whether a status is a refusal before any work (for example 429).</param>
    /// <returns>Whether the vendor may have received one of them.</returns>
    public bool MayHaveReachedVendor(Func<int, bool> isRefusal) => MayHaveReachedVendor(isRefusal, 0);

    /// <summary>Whether any POST the pipeline sent from the <paramref name="from"/>-th on (0-based) may have reached the vendor.</summary>
    internal bool MayHaveReachedVendor(Func<int, bool> isRefusal, int from)
    {
        ArgumentNullException.ThrowIfNull(isRefusal);
        lock (_observed)
        {
            for (var i = from; i < _observed.Count; i++)
            {
                var a = _observed[i];
                if (!a.Ended || (a.Status is { } status ? !isRefusal(status) : a.Failure != TransportFailureKind.NotSent))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Counts the first send of a new request of this submit; refuses one beyond the cap.</summary>
    internal void CountNewRequest()
    {
        lock (_observed)
        {
            var max = _max ?? MediaGenHttpOptions.DefaultMaxSubmitAttempts;
            if (_count >= max)
            {
                throw new InvalidOperationException(
                    $"This submit already made {_count} POST(s), the most one logical submit may make (MediaGenHttpOptions.MaxSubmitAttempts, {max}). Check CanSendAnother before sending it again.");
            }

            _count++;
        }
    }

    /// <summary>Applies a pipeline's cap and records the start of one attempt; a resend of the same request is counted here.</summary>
    internal int Begin(int pipelineMax, bool resend)
    {
        lock (_observed)
        {
            _max = Math.Min(_max ?? pipelineMax, pipelineMax);
            if (resend)
            {
                _count++;
            }

            _observed.Add(new Attempt());
            return _observed.Count - 1;
        }
    }

    /// <summary>Records how the attempt <paramref name="index"/> ended.</summary>
    internal void End(int index, HttpResponseMessage? response, Exception? exception)
    {
        lock (_observed)
        {
            var attempt = _observed[index];
            attempt.Ended = true;
            attempt.Status = response is null ? null : (int)response.StatusCode;
            attempt.Failure = exception is null ? null : TransportFailure.Classify(exception);
        }
    }

    /// <summary>Applies a pipeline's cap without an attempt (used by the retry decision).</summary>
    internal void Limit(int pipelineMax)
    {
        lock (_observed)
        {
            _max = Math.Min(_max ?? pipelineMax, pipelineMax);
        }
    }

    private sealed class Attempt
    {
        public bool Ended { get; set; }

        public int? Status { get; set; }

        public TransportFailureKind? Failure { get; set; }
    }
}
