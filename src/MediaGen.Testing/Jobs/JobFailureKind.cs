namespace MediaGen.Testing;

/// <summary>Why a scripted job failed; vendor emulators map it to their own error codes.</summary>
public enum JobFailureKind
{
    /// <summary>The vendor's error: an internal failure unrelated to the request's content.</summary>
    ProviderError,

    /// <summary>The prompt or output was rejected by the vendor's content policy.</summary>
    ContentPolicy,
}
