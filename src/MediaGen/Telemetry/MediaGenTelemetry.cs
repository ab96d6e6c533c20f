using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MediaGen.Telemetry;

/// <summary>
/// MediaGen's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>MediaGen</c>, with OpenTelemetry
/// GenAI attribute names where they fit. Nothing is recorded when nothing listens. Prompts are recorded only when
/// <see cref="MediaGenTelemetryOptions.EnableSensitiveData"/> is set.
/// </summary>
public static class MediaGenTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "MediaGen";

    /// <summary>Gets the activity source (a parent span per generation; spans per quote, route, submit, poll and download under it).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(MediaGenTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Gets the meter.</summary>
    public static Meter Meter { get; } = new(Name, typeof(MediaGenTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Generations that ended, by provider, model and outcome (<c>succeeded</c>, <c>failed</c>, <c>canceled</c>).</summary>
    internal static readonly Counter<long> Generations = Meter.CreateCounter<long>("mediagen.generations", "{generation}", "Generations that ended, by provider, model and outcome.");

    /// <summary>Times the router moved on to another vendor after a failed attempt.</summary>
    internal static readonly Counter<long> Failovers = Meter.CreateCounter<long>("mediagen.failovers", "{failover}", "Router failovers, by the vendor failed over from and the error kind.");

    /// <summary>Credits charged, by provider.</summary>
    internal static readonly Counter<double> CreditsCharged = Meter.CreateCounter<double>("mediagen.charges.credits", "{credit}", "Credits the vendors reported charging, by provider.");

    /// <summary>US dollars charged, by provider.</summary>
    internal static readonly Counter<double> UsdCharged = Meter.CreateCounter<double>("mediagen.charges.usd", "USD", "US dollars the vendors reported charging, by provider.");

    /// <summary>Time from submission to the end of a job.</summary>
    internal static readonly Histogram<double> TimeToCompletion = Meter.CreateHistogram<double>("mediagen.generation.duration", "s", "Time from submission to the end of a job, by provider, model and outcome.");

    internal const string OperationName = "gen_ai.operation.name";
    internal const string ProviderName = "gen_ai.provider.name";
    internal const string RequestModel = "gen_ai.request.model";
    internal const string ResponseId = "gen_ai.response.id";
    internal const string ResponseModel = "gen_ai.response.model";
    internal const string PriceAmount = "mediagen.price.amount";
    internal const string PriceUnit = "mediagen.price.unit";
    internal const string OutputType = "gen_ai.output.type";
    internal const string ErrorType = "error.type";
    internal const string Outcome = "mediagen.outcome";
    internal const string Prompt = "gen_ai.prompt";
    internal const string Attempts = "mediagen.attempts";

    /// <summary>
    /// Starts the parent span of one generation (<c>generate {model}</c>): the quotes, the route, every submit and every
    /// poll made while it is current are its children, so a generation is one trace.
    /// </summary>
    /// <param name="model">The requested model.</param>
    /// <returns>The span, or null when nothing listens.</returns>
    internal static Activity? StartGenerate(ModelId model)
    {
        var activity = ActivitySource.StartActivity($"generate {model}", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(OperationName, "generate_content");
            activity.SetTag(RequestModel, model.Value);
        }

        return activity;
    }

    /// <summary>Starts the parent span of waiting for a job given by its handle (<c>wait</c>): its polls are its children.</summary>
    /// <param name="handle">The job.</param>
    /// <returns>The span, or null when nothing listens.</returns>
    internal static Activity? StartWait(JobHandle handle)
    {
        var activity = ActivitySource.StartActivity("wait", ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(ProviderName, handle.Provider);
            activity.SetTag(RequestModel, handle.Model?.Value);
            activity.SetTag(ResponseId, handle.VendorJobId);
        }

        return activity;
    }

    /// <summary>
    /// Tags a generate or wait span with how it ended: the vendor that served and its job id, the job's status, and
    /// for a failed job or an error the error type and an error status.
    /// </summary>
    /// <param name="activity">The span (nothing happens when null).</param>
    /// <param name="result">The ended job or the error.</param>
    internal static void SetResult(Activity? activity, Result<GenerationJob> result)
    {
        if (activity is null)
        {
            return;
        }

        if (result.TryGetValue(out var job))
        {
            activity.SetTag(ProviderName, job.Handle.Provider);
            activity.SetTag(ResponseId, job.Handle.VendorJobId);
            activity.SetTag(Outcome, job.Status.ToString().ToLowerInvariant());
            if (job.Attempts.Count > 0)
            {
                activity.SetTag(Attempts, job.Attempts.Count);
            }

            if (job.Status != GenerationStatus.Succeeded)
            {
                var type = job.Failure?.Reason.ToString() ?? job.Status.ToString();
                activity.SetTag(ErrorType, type);
                activity.SetStatus(ActivityStatusCode.Error, type);
            }

            return;
        }

        var error = result.Error;
        if (error.Provider is { } provider && activity.GetTagItem(ProviderName) is null)
        {
            activity.SetTag(ProviderName, provider);
        }

        activity.SetTag(ErrorType, error.Kind.ToString());
        activity.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
    }

    /// <summary>Tags a span with an exception that escaped it (cancellation included).</summary>
    /// <param name="activity">The span.</param>
    /// <param name="exception">The exception.</param>
    internal static void SetException(Activity activity, Exception exception)
    {
        var type = exception.GetType().FullName ?? exception.GetType().Name;
        activity.SetTag(ErrorType, type);
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
    }

    /// <summary>
    /// Records that a job ended: the generation counter, the time to completion and the charge. Called once per job, by
    /// the wait, on the job as it ended merged with its submit (whichever of the two carried the charge).
    /// </summary>
    /// <param name="job">The ended job.</param>
    /// <param name="now">The current time (the job's submission time is on its handle).</param>
    internal static void RecordEnded(GenerationJob job, DateTimeOffset now)
    {
        if (!job.IsTerminal)
        {
            return;
        }

        var provider = job.Handle.Provider;
        var model = job.Handle.Model?.Value ?? string.Empty;
        var outcome = job.Status.ToString().ToLowerInvariant();
        if (Generations.Enabled)
        {
            Generations.Add(1, new(ProviderName, provider), new(RequestModel, model), new(Outcome, outcome));
        }

        if (TimeToCompletion.Enabled && job.Handle.SubmittedAt is { } at && now >= at)
        {
            TimeToCompletion.Record((now - at).TotalSeconds, new(ProviderName, provider), new(RequestModel, model), new(Outcome, outcome));
        }

        RecordCharge(provider, job.Charge);
    }

    /// <summary>Records a charge in the counter of its unit.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="charge">The charge.</param>
    internal static void RecordCharge(string provider, Money? charge)
    {
        if (charge is not { } c || c.Amount <= 0)
        {
            return;
        }

        if (c.Unit == MoneyUnit.Usd && UsdCharged.Enabled)
        {
            UsdCharged.Add((double)c.Amount, new KeyValuePair<string, object?>(ProviderName, provider));
        }
        else if (c.Unit.IsCredits && CreditsCharged.Enabled)
        {
            CreditsCharged.Add((double)c.Amount, new KeyValuePair<string, object?>(ProviderName, provider));
        }
    }

    /// <summary>Records a failover.</summary>
    /// <param name="fromProvider">The vendor that failed.</param>
    /// <param name="kind">Why.</param>
    internal static void RecordFailover(string fromProvider, ErrorKind kind)
    {
        if (Failovers.Enabled)
        {
            Failovers.Add(1, new(ProviderName, fromProvider), new(ErrorType, kind.ToString()));
        }
    }
}
