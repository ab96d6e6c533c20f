namespace MediaGen.Providers;

/// <summary>
/// A vendor's job statuses as data: the status text it documents, mapped onto <see cref="GenerationStatus"/>, and how
/// often it asks to be polled while a job of a given kind runs.
/// </summary>
/// <remarks>
/// Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.
/// Texts are compared trimmed and case-insensitively. A text the vendor does not document maps to nothing: the job
/// mapper decides what that means (after a submit the job was accepted whatever the body says; on a poll it is an
/// unreadable answer, and the wait goes on).
/// </remarks>
public sealed class VendorStatusMap
{
    private readonly Dictionary<string, GenerationStatus> _statuses;

    /// <summary>Creates the map.</summary>
    /// <param name="statuses">Each documented status text and what it means.</param>
    /// <exception cref="ArgumentException">A text is empty or listed twice.</exception>
    public VendorStatusMap(IEnumerable<KeyValuePair<string, GenerationStatus>> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        _statuses = new Dictionary<string, GenerationStatus>(StringComparer.OrdinalIgnoreCase);
        var documented = new List<string>();
        foreach (var (text, status) in statuses)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(text, nameof(statuses));
            if (!_statuses.TryAdd(text.Trim(), status))
            {
                throw new ArgumentException($"The status '{text}' is listed twice.", nameof(statuses));
            }

            documented.Add(text.Trim());
        }

        Documented = documented.Count switch
        {
            0 => "(none)",
            1 => documented[0],
            _ => $"{string.Join(", ", documented.Take(documented.Count - 1))} or {documented[^1]}",
        };
    }

    /// <summary>Gets the documented texts, for messages: <c>"pending, processing, completed or failed"</c>.</summary>
    public string Documented { get; }

    /// <summary>
    /// Gets the polling interval the vendor documents per media kind while a job is queued or running (for example 5 s
    /// for video where the docs say "poll every 5–10 s"). Kinds without an entry use the provider's recommended interval.
    /// </summary>
    public IReadOnlyDictionary<MediaKind, TimeSpan> PollIntervals { get; init; } = new Dictionary<MediaKind, TimeSpan>();

    /// <summary>Maps a status text.</summary>
    /// <param name="text">The vendor's status.</param>
    /// <param name="status">What it means.</param>
    /// <returns>Whether the vendor documents the text.</returns>
    public bool TryMap(string? text, out GenerationStatus status)
    {
        if (text is not null && _statuses.TryGetValue(text.Trim(), out status))
        {
            return true;
        }

        status = default;
        return false;
    }

    /// <summary>The poll hint for a job: the documented interval for its kind while it is queued or running, else null.</summary>
    /// <param name="status">The job's status.</param>
    /// <param name="kind">The job's media kind, when known.</param>
    /// <returns>The interval, or null.</returns>
    public TimeSpan? PollAfter(GenerationStatus status, MediaKind? kind) =>
        status is GenerationStatus.Queued or GenerationStatus.Running && kind is { } k && PollIntervals.TryGetValue(k, out var interval)
            ? interval
            : null;
}
