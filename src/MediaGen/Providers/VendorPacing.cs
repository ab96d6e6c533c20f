namespace MediaGen.Providers;

/// <summary>
/// How fast a vendor may be called, as the vendor documents it (issue 19, "retries that respect the vendor"): its
/// back-off after a rate-limit answer that names no <c>Retry-After</c>, its polling interval as a floor for every gap of
/// a job, and whether status reads draw from the same rate budget as submits. Each vendor states it as data in its own
/// folder (<c>providers/MediaGen.&lt;Vendor&gt;/Internal/&lt;Vendor&gt;Pacing.cs</c>); the core applies it: the wait
/// loop, the shared HTTP pipeline, the router and the limiters.
/// </summary>
public sealed record VendorPacing
{
    /// <summary>Gets pacing that states nothing (the core's defaults apply).</summary>
    public static VendorPacing None { get; } = new();

    /// <summary>
    /// Gets how long to wait after a rate-limit answer (429) that names no <c>Retry-After</c>, when the vendor documents
    /// it (MeiGen: "wait 10–30 seconds before retrying"); null when it documents none. Chosen within
    /// <see cref="RateLimitBackoffRange"/>.
    /// </summary>
    public TimeSpan? RateLimitBackoff { get; init; }

    /// <summary>Gets the documented range <see cref="RateLimitBackoff"/> was chosen from, as text for messages (<c>10–30 s</c>).</summary>
    public string? RateLimitBackoffRange { get; init; }

    /// <summary>
    /// Gets the vendor's documented polling interval for image jobs: no poll gap of such a job is shorter (the learned
    /// plan and the ramp may ask for less near the typical time), unless the caller fixes the schedule.
    /// </summary>
    public TimeSpan? ImagePollFloor { get; init; }

    /// <summary>Gets the vendor's documented polling interval for video jobs, a floor like <see cref="ImagePollFloor"/>.</summary>
    public TimeSpan? VideoPollFloor { get; init; }

    /// <summary>Gets whether status reads count against the same rate budget as submits (VeoGen: 120 requests a minute, polls included).</summary>
    public bool StatusReadsShareSubmitBudget { get; init; }

    /// <summary>
    /// Gets the share of a shared budget (<see cref="StatusReadsShareSubmitBudget"/>) that status reads leave to submits:
    /// a read is held back (and polled later) while no more than this share of the window's permits is left.
    /// </summary>
    /// <value>The default is 0.1 (12 of VeoGen's 120 a minute).</value>
    public double SubmitHeadroom { get; init; } = 0.1;

    /// <summary>Gets where the vendor documents these figures (for docs and messages).</summary>
    public string? Source { get; init; }

    /// <summary>The documented poll floor for a job of this kind, or null.</summary>
    /// <param name="kind">The job's kind.</param>
    /// <returns>The floor, or null.</returns>
    public TimeSpan? PollFloorFor(MediaKind kind) => kind == MediaKind.Video ? VideoPollFloor ?? ImagePollFloor : ImagePollFloor;

    /// <summary>How many of <paramref name="permitLimit"/> permits status reads leave to submits (0 when reads do not share the budget).</summary>
    /// <param name="permitLimit">The budget's permits per window.</param>
    /// <returns>The permits reserved for submits.</returns>
    public int SubmitReserve(int permitLimit) =>
        StatusReadsShareSubmitBudget && permitLimit > 1 ? Math.Clamp((int)Math.Ceiling(permitLimit * SubmitHeadroom), 1, permitLimit - 1) : 0;
}
