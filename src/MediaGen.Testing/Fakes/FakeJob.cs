namespace MediaGen.Testing;

/// <summary>A job accepted by <see cref="FakeMediaGenerator"/>, advancing along its script on each poll.</summary>
public sealed class FakeJob
{
    private readonly FakeJobScript _script;
    private readonly object _gate = new();
    private int _polls;
    private GenerationStatus _status = GenerationStatus.Queued;
    private JobFailure? _failure;

    internal FakeJob(JobHandle handle, GenerationRequest request, FakeJobScript script, Money? charge, MediaKind kind)
    {
        Handle = handle;
        Request = request;
        _script = script;
        Charge = charge;
        Kind = kind;
    }

    /// <summary>Gets the handle.</summary>
    public JobHandle Handle { get; }

    /// <summary>Gets the request as submitted.</summary>
    public GenerationRequest Request { get; }

    /// <summary>Gets what the job was charged (null when the price is unknown).</summary>
    public Money? Charge { get; }

    /// <summary>Gets the media kind.</summary>
    public MediaKind Kind { get; }

    /// <summary>Gets how many times the job was polled.</summary>
    public int Polls
    {
        get
        {
            lock (_gate)
            {
                return _polls;
            }
        }
    }

    /// <summary>Gets the current status.</summary>
    public GenerationStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Forces the job to succeed now.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _status = GenerationStatus.Succeeded;
        }
    }

    /// <summary>Forces the job to fail now.</summary>
    /// <param name="failure">Why.</param>
    public void Fail(JobFailure failure)
    {
        lock (_gate)
        {
            _status = GenerationStatus.Failed;
            _failure = failure;
        }
    }

    internal void Advance()
    {
        lock (_gate)
        {
            _polls++;
            if (_status is GenerationStatus.Succeeded or GenerationStatus.Failed)
            {
                return;
            }

            if (_polls >= _script.Polls)
            {
                _status = _script.Failure is null ? GenerationStatus.Succeeded : GenerationStatus.Failed;
                _failure = _script.Failure;
            }
            else
            {
                _status = GenerationStatus.Running;
            }
        }
    }

    internal GenerationJob Snapshot(GenerationQuote? quote)
    {
        lock (_gate)
        {
            var outputs = _status == GenerationStatus.Succeeded
                ? Enumerable.Range(0, _script.Outputs)
                    .Select(i => new GenerationOutput(new Uri($"https://fake.invalid/{Handle.Provider}/{Handle.VendorJobId}/{i}.{(Kind == MediaKind.Video ? "mp4" : "png")}"), Kind, Kind == MediaKind.Video ? "video/mp4" : "image/png"))
                    .ToList()
                : [];
            return new GenerationJob
            {
                Handle = Handle,
                Status = _status,
                Progress = _status == GenerationStatus.Succeeded ? 100 : Math.Min(99, _polls * 100 / Math.Max(1, _script.Polls)),
                Outputs = outputs,
                Quote = quote?.Price,
                Translation = quote?.Translation,
                Charge = _status == GenerationStatus.Failed && Charge is { } c ? Money.Zero(c.Unit) : Charge,
                Failure = _failure,
                PollAfter = _script.PollAfter,
            };
        }
    }
}

/// <summary>How a <see cref="FakeJob"/> evolves.</summary>
/// <param name="Polls">The poll on which the job ends.</param>
/// <param name="Failure">The failure, or null to succeed.</param>
/// <param name="Outputs">How many outputs a success has.</param>
/// <param name="PollAfter">A server hint returned with every snapshot.</param>
public sealed record FakeJobScript(int Polls, JobFailure? Failure = null, int Outputs = 1, TimeSpan? PollAfter = null)
{
    /// <summary>Succeeds on the given poll.</summary>
    /// <param name="polls">The poll number (1 = the first poll).</param>
    /// <param name="outputs">How many outputs.</param>
    /// <returns>The script.</returns>
    public static FakeJobScript SucceedAfterPolls(int polls, int outputs = 1) => new(polls, null, outputs);

    /// <summary>Fails on the given poll.</summary>
    /// <param name="polls">The poll number.</param>
    /// <param name="reason">Why.</param>
    /// <param name="message">The vendor text.</param>
    /// <returns>The script.</returns>
    public static FakeJobScript FailAfterPolls(int polls, FailureReason reason = FailureReason.ProviderError, string message = "upstream model failed") =>
        new(polls, new JobFailure(reason, message, Refunded: true));

    /// <summary>Never ends.</summary>
    /// <returns>The script.</returns>
    public static FakeJobScript Never() => new(int.MaxValue);
}
