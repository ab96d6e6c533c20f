using MediaGen.Providers;

namespace MediaGen.Apiframe.Internal;

/// <summary>Apiframe's documented pacing (docs/providers/apiframe.md; /work/shared/reference/provider-apis.md §3.5, §3.7).</summary>
internal static class ApiframePacing
{
    /// <summary>
    /// Polling (A3): "every 2–3 s for images, 5–10 s for video" (2 s and 5 s are the floors). No requests-per-minute
    /// limit and no back-off figure are documented, so none is stated; reads are not known to share a budget with submits.
    /// </summary>
    public static VendorPacing Documented { get; } = new()
    {
        ImagePollFloor = TimeSpan.FromSeconds(2),
        VideoPollFloor = TimeSpan.FromSeconds(5),
        StatusReadsShareSubmitBudget = false,
        Source = "Apiframe Jobs API (poll every 2–3 s for images, 5–10 s for video)",
    };
}
