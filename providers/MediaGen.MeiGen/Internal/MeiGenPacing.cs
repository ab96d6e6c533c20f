using MediaGen.Providers;

namespace MediaGen.MeiGen.Internal;

/// <summary>MeiGen's documented pacing (docs/providers/meigen.md; /work/shared/reference/provider-apis.md §1.2, §1.4).</summary>
internal static class MeiGenPacing
{
    /// <summary>
    /// 429 without <c>Retry-After</c>: "wait 10–30 seconds before retrying" (D1, older copy; the newer one sends
    /// <c>Retry-After: 60</c>, which wins when present) — 15 s is chosen. Polling: "interval 3 s" (D1) for every job.
    /// Only <c>POST /api/generate/v2</c> is limited (12 a minute), so status reads do not share the submit budget.
    /// </summary>
    public static VendorPacing Documented { get; } = new()
    {
        RateLimitBackoff = TimeSpan.FromSeconds(15),
        RateLimitBackoffRange = "10–30 s",
        ImagePollFloor = TimeSpan.FromSeconds(3),
        VideoPollFloor = TimeSpan.FromSeconds(3),
        StatusReadsShareSubmitBudget = false,
        Source = "docs.meigen.ai rate limits (12 POST/min; 429: wait 10–30 s) and polling guidance (every 3 s)",
    };
}
