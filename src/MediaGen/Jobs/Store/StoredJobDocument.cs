using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGen.Jobs.Store;

/// <summary>Source-generated JSON metadata for <see cref="JobStoreJson"/> (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredJobDocument))]
internal sealed partial class JobStoreJsonContext : JsonSerializerContext;

/// <summary>The JSON shape of a <see cref="StoredJob"/>: primitives only, so the core's value types need no converters.</summary>
internal sealed class StoredJobDocument
{
    public int V { get; set; } = 1;

    public string Key { get; set; } = string.Empty;

    public StoredJobState State { get; set; }

    public SummaryDocument? Summary { get; set; }

    public string? Provider { get; set; }

    public string? Model { get; set; }

    public QuoteDocument? Quote { get; set; }

    public JobHandle? Handle { get; set; }

    public GenerationStatus? Status { get; set; }

    public int? Progress { get; set; }

    public List<OutputDocument>? Outputs { get; set; }

    public MoneyDocument? Charge { get; set; }

    public string? Note { get; set; }

    public FailureDocument? Failure { get; set; }

    public List<AttemptDocument>? Attempts { get; set; }

    public List<StatusDocument>? StatusChanges { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public int Claims { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>A model id as text; an empty id (a router attempt without a model) is left out.</summary>
    public static string? Id(ModelId? model) => model is { IsEmpty: false } m ? m.Value : null;

    public static StoredJobDocument From(StoredJob job) => new()
    {
        Key = job.Key,
        State = job.State,
        Summary = job.Summary is { } s ? SummaryDocument.From(s) : null,
        Provider = job.Provider,
        Model = Id(job.Model),
        Quote = QuoteDocument.From(job.Quote),
        Handle = job.Handle,
        Status = job.Status,
        Progress = job.Progress,
        Outputs = job.Outputs.Count == 0 ? null : [.. job.Outputs.Select(OutputDocument.From)],
        Charge = MoneyDocument.From(job.Charge),
        Note = job.Note,
        Failure = job.Failure is { } f ? new FailureDocument { Reason = f.Reason, Message = f.Message, Refunded = f.Refunded } : null,
        Attempts = job.Attempts.Count == 0 ? null : [.. job.Attempts.Select(AttemptDocument.From)],
        StatusChanges = job.StatusChanges.Count == 0 ? null : [.. job.StatusChanges.Select(c => new StatusDocument { Handle = c.Handle, Status = c.Status, At = c.At, Progress = c.Progress })],
        LeaseOwner = job.LeaseOwner,
        LeaseExpiresAt = job.LeaseExpiresAt,
        Claims = job.Claims,
        CreatedAt = job.CreatedAt,
        UpdatedAt = job.UpdatedAt,
        AcceptedAt = job.AcceptedAt,
        EndedAt = job.EndedAt,
    };

    public StoredJob ToStoredJob() => new()
    {
        Key = !string.IsNullOrEmpty(Key) ? Key : throw new JsonException("A stored job's JSON has no key."),
        State = State,
        Summary = Summary?.ToSummary(),
        Provider = Provider,
        Model = string.IsNullOrWhiteSpace(Model) ? default(ModelId?) : new ModelId(Model),
        Quote = Quote?.ToQuote(),
        Handle = Handle,
        Status = Status,
        Progress = Progress,
        Outputs = Outputs is null ? [] : [.. Outputs.Select(o => o.ToOutput())],
        Charge = Charge?.ToMoney(),
        Note = Note,
        Failure = Failure is { } f ? new JobFailure(f.Reason, f.Message ?? string.Empty, f.Refunded) : null,
        Attempts = Attempts is null ? [] : [.. Attempts.Select(a => a.ToAttempt())],
        StatusChanges = StatusChanges is null ? [] : [.. StatusChanges.Select(c => new JobStatusChange(c.Handle ?? throw new JsonException("A status change has no handle."), c.Status, c.At) { Progress = c.Progress })],
        LeaseOwner = LeaseOwner,
        LeaseExpiresAt = LeaseExpiresAt,
        Claims = Claims,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        AcceptedAt = AcceptedAt,
        EndedAt = EndedAt,
    };
}

internal sealed class SummaryDocument
{
    public string Model { get; set; } = string.Empty;

    public string? Prompt { get; set; }

    public string? AspectRatio { get; set; }

    public string? Resolution { get; set; }

    public int? DurationSeconds { get; set; }

    public string? Tier { get; set; }

    public int? Count { get; set; }

    public long? Seed { get; set; }

    public int ReferenceCount { get; set; }

    public bool Webhook { get; set; }

    public static SummaryDocument From(JobRequestSummary s) => new()
    {
        Model = s.Model.Value,
        Prompt = s.Prompt,
        AspectRatio = s.AspectRatio,
        Resolution = s.Resolution,
        DurationSeconds = s.DurationSeconds,
        Tier = s.Tier,
        Count = s.Count,
        Seed = s.Seed,
        ReferenceCount = s.ReferenceCount,
        Webhook = s.Webhook,
    };

    public JobRequestSummary ToSummary() => new()
    {
        Model = string.IsNullOrWhiteSpace(Model) ? default : new ModelId(Model),
        Prompt = Prompt ?? string.Empty,
        AspectRatio = AspectRatio,
        Resolution = Resolution,
        DurationSeconds = DurationSeconds,
        Tier = Tier,
        Count = Count,
        Seed = Seed,
        ReferenceCount = ReferenceCount,
        Webhook = Webhook,
    };
}

internal sealed class MoneyDocument
{
    public decimal Amount { get; set; }

    public string Unit { get; set; } = string.Empty;

    public static MoneyDocument? From(Money? money) => money is { } m ? new MoneyDocument { Amount = m.Amount, Unit = m.Unit.Code } : null;

    public Money ToMoney() => new(Amount, MoneyUnit.Parse(Unit));
}

internal sealed class QuoteDocument
{
    public MoneyDocument? Amount { get; set; }

    public MoneyDocument? Usd { get; set; }

    public string Basis { get; set; } = string.Empty;

    public PriceSource Source { get; set; }

    public DateOnly? AsOf { get; set; }

    public string? Reference { get; set; }

    public static QuoteDocument? From(PriceQuote? q) => q is null ? null : new QuoteDocument
    {
        Amount = MoneyDocument.From(q.Amount),
        Usd = MoneyDocument.From(q.Usd),
        Basis = q.Basis,
        Source = q.Source,
        AsOf = q.AsOf,
        Reference = q.Reference,
    };

    public PriceQuote ToQuote() => new()
    {
        Amount = Amount?.ToMoney(),
        Usd = Usd?.ToMoney(),
        Basis = Basis,
        Source = Source,
        AsOf = AsOf,
        Reference = Reference,
    };
}

internal sealed class OutputDocument
{
    public Uri? Url { get; set; }

    public MediaKind Kind { get; set; }

    public string? ContentType { get; set; }

    public Uri? DownloadUrl { get; set; }

    public string? Role { get; set; }

    public static OutputDocument From(GenerationOutput o) => new() { Url = o.Url, Kind = o.Kind, ContentType = o.ContentType, DownloadUrl = o.DownloadUrl, Role = o.Role };

    public GenerationOutput ToOutput() =>
        new(Url ?? throw new JsonException("A stored output has no URL."), Kind, ContentType) { DownloadUrl = DownloadUrl, Role = Role };
}

internal sealed class FailureDocument
{
    public FailureReason Reason { get; set; }

    public string? Message { get; set; }

    public bool? Refunded { get; set; }
}

internal sealed class StatusDocument
{
    public JobHandle? Handle { get; set; }

    public GenerationStatus Status { get; set; }

    public DateTimeOffset At { get; set; }

    public int? Progress { get; set; }
}

internal sealed class AttemptDocument
{
    public string Provider { get; set; } = string.Empty;

    public string? Model { get; set; }

    public RouteOutcome Outcome { get; set; }

    public string? Reason { get; set; }

    public QuoteDocument? Quote { get; set; }

    public JobHandle? Handle { get; set; }

    public GenerationStatus? Status { get; set; }

    public MoneyDocument? Charge { get; set; }

    public DateTimeOffset At { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public static AttemptDocument From(StoredAttempt a) => new()
    {
        Provider = a.Provider,
        Model = StoredJobDocument.Id(a.Model),
        Outcome = a.Outcome,
        Reason = a.Reason,
        Quote = QuoteDocument.From(a.Quote),
        Handle = a.Handle,
        Status = a.Status,
        Charge = MoneyDocument.From(a.Charge),
        At = a.At,
        EndedAt = a.EndedAt,
    };

    public StoredAttempt ToAttempt() => new()
    {
        Provider = Provider,
        Model = string.IsNullOrWhiteSpace(Model) ? default(ModelId?) : new ModelId(Model),
        Outcome = Outcome,
        Reason = Reason,
        Quote = Quote?.ToQuote(),
        Handle = Handle,
        Status = Status,
        Charge = Charge?.ToMoney(),
        At = At,
        EndedAt = EndedAt,
    };
}
