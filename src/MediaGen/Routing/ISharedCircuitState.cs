namespace MediaGen.Routing;

/// <summary>
/// Circuit state shared by every instance of a fleet (<see cref="RouterOptions.SharedCircuits"/>): when one instance's circuit
/// for a vendor opens, it reports it here, and every router sharing the state skips that vendor until the reported time, as
/// its own open circuit would. MediaGen.PostgreSql's <c>PostgreSqlCircuitState</c> keeps it in one table.
/// </summary>
public interface ISharedCircuitState
{
    /// <summary>Gets until when a vendor is reported down, or null when it is not (or the report has passed).</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The time the circuit closes again, or null.</returns>
    Task<DateTimeOffset?> GetOpenUntilAsync(string provider, CancellationToken cancellationToken = default);

    /// <summary>Reports a vendor down until a time (a later report extends it; an earlier one changes nothing).</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="openUntil">When instances may try it again.</param>
    /// <param name="reason">Why (the last error's message).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    Task ReportOpenAsync(string provider, DateTimeOffset openUntil, string reason, CancellationToken cancellationToken = default);
}
