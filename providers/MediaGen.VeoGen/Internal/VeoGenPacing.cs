using MediaGen.Providers;

namespace MediaGen.VeoGen.Internal;

/// <summary>VeoGen's documented pacing (docs/providers/veogen.md; /work/shared/reference/provider-apis.md §2.7, §2.8).</summary>
internal static class VeoGenPacing
{
    /// <summary>
    /// 429 carries <c>Retry-After</c> (V2), so no fallback back-off is documented. Polling (V4): images every 3 s, videos
    /// every 5–10 s (5 s is the floor). The 120 requests a minute are shared by submits and polls, so reads leave a tenth
    /// of the budget to submits.
    /// </summary>
    public static VendorPacing Documented { get; } = new()
    {
        ImagePollFloor = TimeSpan.FromSeconds(3),
        VideoPollFloor = TimeSpan.FromSeconds(5),
        StatusReadsShareSubmitBudget = true,
        SubmitHeadroom = 0.1,
        Source = "veogen.studio rate limits (120 requests/min, polling included; 429 with Retry-After) and polling guide (images 3 s, videos 5–10 s)",
    };
}
