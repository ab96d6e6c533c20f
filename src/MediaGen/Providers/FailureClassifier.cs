namespace MediaGen.Providers;

/// <summary>
/// Classifies a failed job's vendor text (its error message and any failure code) as content policy, expiry or a
/// provider error, with one list of markers for every vendor.
/// </summary>
/// <remarks>
/// Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.
/// No vendor publishes its failure texts, so words are the only signal. The answer matters beyond display: a job that
/// failed for <see cref="FailureReason.ContentPolicy"/> is never resubmitted to another vendor by the router (another
/// vendor's moderation would not help and may bill), while any other failure may be.
/// </remarks>
public static class FailureClassifier
{
    /// <summary>
    /// Gets the words that mark a moderation refusal (matched case-insensitively anywhere in the text): the union of the
    /// three lists the providers kept, for example MeiGen's and Apiframe's documented "Content policy violation", a
    /// <c>content_policy</c> code, "Blocked by safety system", "moderated". The list errs towards content policy: calling a
    /// provider error content policy only stops a resubmission, while the reverse resubmits (and pays) elsewhere for a
    /// prompt another vendor's moderation will likely refuse too.
    /// </summary>
    public static IReadOnlyList<string> ContentPolicyMarkers { get; } = ["policy", "moderat", "nsfw", "safety", "inappropriate", "prohibited"];

    /// <summary>Gets the words that mark a job or output that expired (checked after the content-policy markers).</summary>
    public static IReadOnlyList<string> ExpiredMarkers { get; } = ["expired"];

    /// <summary>Classifies a failure from the vendor's texts (message, failure code, …); null texts are ignored.</summary>
    /// <param name="texts">The vendor's error message and any code.</param>
    /// <returns><see cref="FailureReason.ContentPolicy"/>, <see cref="FailureReason.Expired"/> or <see cref="FailureReason.ProviderError"/>.</returns>
    public static FailureReason Classify(params ReadOnlySpan<string?> texts)
    {
        if (AnyContains(texts, ContentPolicyMarkers))
        {
            return FailureReason.ContentPolicy;
        }

        return AnyContains(texts, ExpiredMarkers) ? FailureReason.Expired : FailureReason.ProviderError;
    }

    private static bool AnyContains(ReadOnlySpan<string?> texts, IReadOnlyList<string> markers)
    {
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            foreach (var marker in markers)
            {
                if (text.Contains(marker, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
