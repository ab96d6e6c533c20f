namespace MediaGen.Testing.Emulators.MeiGen;

/// <summary>How the MeiGen emulator behaves. The defaults follow the vendor docs. Keys are configured on <see cref="MeiGenEmulator.ApiKeys"/>.</summary>
public sealed class MeiGenEmulatorOptions
{
    /// <summary>The ledger unit the emulator charges in: MeiGen credits.</summary>
    public const string CreditsUnit = "credits:meigen";

    /// <summary>Gets or sets how many generate requests one key may send per minute (the docs: 12).</summary>
    /// <value>The default is 12.</value>
    public int GenerateRequestsPerMinute { get; set; } = 12;

    /// <summary>Gets or sets the daily free credits shown in <c>credits.daily</c> (API keys never spend them).</summary>
    /// <value>The default is 10, as in the docs' example.</value>
    public decimal DailyCredits { get; set; } = 10;

    /// <summary>
    /// Gets or sets the id given to the first accepted generation (later ones get random UUIDs). Set it to the docs'
    /// <c>550e8400-e29b-41d4-a716-446655440000</c> to reproduce the docs' example answers exactly.
    /// </summary>
    public string? FirstGenerationId { get; set; }

    /// <summary>
    /// Gets or sets whether completed jobs report the docs' example URLs (<c>https://images.meigen.art/generations/xxx.png</c>)
    /// instead of real sandbox media served by the emulator host.
    /// </summary>
    public bool UseDocsExampleUrls { get; set; }

    /// <summary>
    /// Gets or sets whether status answers carry the fields MeiGen's own client reads beyond the docs' examples
    /// (<c>pollHintSeconds</c>, <c>expectedWaitSeconds</c>). Turn off to get the docs' example shapes exactly.
    /// </summary>
    /// <value>The default is true.</value>
    public bool ExtendedStatusFields { get; set; } = true;

    /// <summary>Gets or sets whether a queued job reports <c>pending</c> (older backends) instead of <c>processing</c>.</summary>
    public bool ReportPendingStatus { get; set; }

    /// <summary>Gets or sets how long the server keeps resolving a job (<c>pollHintSeconds</c> counts it down).</summary>
    /// <value>The default is 40 minutes.</value>
    public TimeSpan ObservationWindow { get; set; } = TimeSpan.FromMinutes(40);
}
