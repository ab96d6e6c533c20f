using System.Text.Json.Serialization;

namespace MediaGen;

/// <summary>A snapshot of a submitted job: its handle, status, outputs, price and what the vendor charged.</summary>
public sealed record GenerationJob
{
    /// <summary>Gets the handle (resume the job with it from any process).</summary>
    public required JobHandle Handle { get; init; }

    /// <summary>Gets the status.</summary>
    public required GenerationStatus Status { get; init; }

    /// <summary>Gets progress 0–100 when the vendor reports it.</summary>
    public int? Progress { get; init; }

    /// <summary>Gets the outputs (several per job are normal).</summary>
    public IReadOnlyList<GenerationOutput> Outputs { get; init; } = [];

    /// <summary>Gets the quote made before submitting.</summary>
    public PriceQuote? Quote { get; init; }

    /// <summary>Gets the charge the vendor reported (0 after a refund), or null when it did not say.</summary>
    public Money? Charge { get; init; }

    /// <summary>Gets why the job failed, when it did.</summary>
    public JobFailure? Failure { get; init; }

    /// <summary>Gets the translation report of the request that created the job.</summary>
    [JsonIgnore]
    public TranslationReport? Translation { get; init; }

    /// <summary>Gets the router's attempt trail (empty when the job was submitted directly).</summary>
    public IReadOnlyList<RouteAttempt> Attempts { get; init; } = [];

    /// <summary>Gets the aspect ratio the vendor says it applied (e.g. what <c>auto</c> became).</summary>
    public AspectRatio? AppliedAspectRatio { get; init; }

    /// <summary>Gets a server hint: wait this long before the next status poll (<c>Retry-After</c> and the like).</summary>
    public TimeSpan? PollAfter { get; init; }

    /// <summary>Gets the vendor's estimate of when the job completes, when it gives one.</summary>
    public DateTimeOffset? EstimatedCompletionAt { get; init; }

    /// <summary>Gets when the job finished, when the vendor says.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the vendor's own response object, for what MediaGen does not model.</summary>
    [JsonIgnore]
    public object? RawRepresentation { get; init; }

    /// <summary>Gets whether the job has ended (succeeded, failed or canceled).</summary>
    public bool IsTerminal => Status is GenerationStatus.Succeeded or GenerationStatus.Failed or GenerationStatus.Canceled;

    /// <summary>Returns this job when it succeeded; throws otherwise.</summary>
    /// <returns>This job.</returns>
    /// <exception cref="GenerationFailedException">The job failed or was canceled.</exception>
    /// <exception cref="InvalidOperationException">The job has not ended.</exception>
    public GenerationJob EnsureSucceeded() => Status switch
    {
        GenerationStatus.Succeeded => this,
        GenerationStatus.Failed or GenerationStatus.Canceled => throw new GenerationFailedException(this),
        _ => throw new InvalidOperationException($"Job {Handle} has not ended; it is {Status}. Wait for it first."),
    };

    /// <inheritdoc/>
    public override string ToString() =>
        $"GenerationJob {{ Handle = {Handle}, Status = {Status}, Progress = {Progress}, Outputs = {Outputs.Count}, Charge = {Charge} }}";
}
