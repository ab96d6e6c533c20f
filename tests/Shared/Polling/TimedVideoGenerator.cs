using System.Collections.Concurrent;
using MediaGen.Providers;

namespace MediaGen.PollingTesting;

/// <summary>
/// A provider on the core pipeline (<see cref="VendorGenerator{TModel, TPayload}"/>, so it owns a <see cref="PollingLearner"/>)
/// with one video model whose jobs take a set time per request (e.g. by resolution) on the given clock, and whose answers carry
/// the completion time (as VeoGen's and Apiframe's do). It counts status requests.
/// Compiled into the test projects that need it from tests/Shared/Polling.
/// </summary>
public sealed class TimedVideoGenerator : VendorGenerator<ModelCapabilities, GenerationRequest>
{
    /// <summary>The model's id.</summary>
    public static readonly ModelId Model = new("clip-1");

    /// <summary>The vendor's documented poll interval.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _doneAt = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Func<GenerationRequest, TimeSpan> _duration;
    private readonly ModelCapabilities _model;
    private int _polls;
    private int _sequence;

    /// <summary>Creates the provider.</summary>
    /// <param name="time">The clock jobs run on.</param>
    /// <param name="duration">How long a job of a request takes.</param>
    /// <param name="typical">The model's documented typical time.</param>
    public TimedVideoGenerator(TimeProvider time, Func<GenerationRequest, TimeSpan> duration, TimeSpan typical)
        : base(new VendorDescriptor { Name = "timed", BillingUnit = MoneyUnit.Usd, RecommendedPollInterval = Interval })
    {
        _time = time;
        _duration = duration;
        _model = new ModelCapabilities
        {
            Id = Model,
            Kind = MediaKind.Video,
            Resolutions = [Resolution.P480, Resolution.P1080],
            Durations = DurationOptions.OneOf(5, 5, 10),
            TypicalGenerationTime = typical,
        };
    }

    /// <summary>Gets how many status requests were made.</summary>
    public int PollCount => Volatile.Read(ref _polls);

    /// <summary>A request for the model.</summary>
    /// <param name="resolution">The resolution.</param>
    /// <param name="seconds">The duration.</param>
    /// <returns>The request.</returns>
    public static GenerationRequest Request(Resolution resolution, int seconds) =>
        new() { Model = Model, Prompt = "a wave", Resolution = resolution, DurationSeconds = seconds };

    /// <inheritdoc/>
    protected override ValueTask<IReadOnlyList<ModelCapabilities>> ListModelsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ModelCapabilities>>([_model]);

    /// <inheritdoc/>
    protected override ValueTask<Result<ModelCapabilities>> ResolveModelAsync(GenerationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Result<ModelCapabilities>>(request.Model == Model ? _model : new InvalidRequestError("Model", $"timed does not serve '{request.Model}'.", "timed"));

    /// <inheritdoc/>
    protected override ModelCapabilities CapabilitiesOf(ModelCapabilities model) => model;

    /// <inheritdoc/>
    protected override VendorTranslation<GenerationRequest> Translate(GenerationRequest request, ModelCapabilities model) =>
        new(request.Clone(), new TranslationReport("timed").Applied("Prompt", request.Prompt));

    /// <inheritdoc/>
    protected override ValueTask<PriceQuote> PriceAsync(GenerationRequest request, ModelCapabilities model, GenerationRequest payload, CancellationToken cancellationToken) =>
        ValueTask.FromResult(PriceQuote.Unknown("timed has no prices"));

    /// <inheritdoc/>
    protected override Task<Result<GenerationJob>> SendAsync(VendorSubmission<ModelCapabilities, GenerationRequest> submission, CancellationToken cancellationToken)
    {
        var id = $"job-{Interlocked.Increment(ref _sequence)}";
        var now = _time.GetUtcNow();
        _doneAt[id] = now + _duration(submission.Payload);
        var handle = new JobHandle("timed", id) { Model = Model, IdempotencyKey = submission.IdempotencyKey, SubmittedAt = now, Kind = MediaKind.Video };
        return Task.FromResult<Result<GenerationJob>>(new GenerationJob { Handle = handle, Status = GenerationStatus.Queued });
    }

    /// <inheritdoc/>
    protected override Task<Result<GenerationJob>> PollAsync(JobHandle handle, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _polls);
        if (!_doneAt.TryGetValue(handle.VendorJobId, out var doneAt))
        {
            return Task.FromResult<Result<GenerationJob>>(new NotFoundError($"timed has no job '{handle.VendorJobId}'.", "timed"));
        }

        var done = _time.GetUtcNow() >= doneAt;
        return Task.FromResult<Result<GenerationJob>>(new GenerationJob
        {
            Handle = new JobHandle("timed", handle.VendorJobId) { Model = Model },
            Status = done ? GenerationStatus.Succeeded : GenerationStatus.Running,
            Outputs = done ? [new GenerationOutput(new Uri($"https://timed.invalid/{handle.VendorJobId}.mp4"), MediaKind.Video, "video/mp4")] : [],
            CompletedAt = done ? doneAt : null,
        });
    }
}
