namespace MediaGen.Routing;

/// <summary>Per-request routing choices; each overrides the router's options for this request only.</summary>
public sealed class RoutingPreferences
{
    /// <summary>Gets or sets the strategy.</summary>
    public RoutingStrategy? Strategy { get; set; }

    /// <summary>Gets or sets the vendors to try, in preference order (for <see cref="RoutingStrategy.Ordered"/>).</summary>
    public IList<string> Preference { get; set; } = [];

    /// <summary>Gets or sets the only vendors allowed (empty: all).</summary>
    public IList<string> AllowedProviders { get; set; } = [];

    /// <summary>Gets or sets the most this request may cost, in USD. A vendor whose USD price is unknown is skipped when a ceiling is set.</summary>
    public decimal? MaxCostUsd { get; set; }

    /// <summary>Gets or sets whether the router may fail over after an outcome-unknown submit (risking a second charge).</summary>
    public bool? AllowDuplicateSpend { get; set; }

    /// <summary>Gets or sets whether the router fails over on a vendor's proof that it did not accept the submit (see <see cref="RouterOptions.FailOverOnNotAcceptedProof"/>).</summary>
    public bool? FailOverOnNotAcceptedProof { get; set; }

    /// <summary>Gets or sets whether a job that fails for a non-policy reason is resubmitted to the next vendor (within the ceiling).</summary>
    public bool? ResubmitOnJobFailure { get; set; }

    /// <summary>Creates a copy.</summary>
    /// <returns>The copy.</returns>
    public RoutingPreferences Clone() => new()
    {
        Strategy = Strategy,
        Preference = [.. Preference],
        AllowedProviders = [.. AllowedProviders],
        MaxCostUsd = MaxCostUsd,
        AllowDuplicateSpend = AllowDuplicateSpend,
        FailOverOnNotAcceptedProof = FailOverOnNotAcceptedProof,
        ResubmitOnJobFailure = ResubmitOnJobFailure,
    };
}
