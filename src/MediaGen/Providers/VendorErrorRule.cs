namespace MediaGen.Providers;

/// <summary>Which kind of call a vendor answer came from; it decides what an answer the vendor does not document means.</summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
public enum VendorCall
{
    /// <summary>The paid POST: an answer that is not a documented refusal may come after the job was created.</summary>
    Submit,

    /// <summary>A read (a status poll, a list, the account): it bills nothing, so no answer to it can have been billed.</summary>
    Read,
}

/// <summary>
/// One row of a vendor's error table: an HTTP status (and, where the vendor documents one, its error code), what it
/// means in the closed error set, whether it proves a submit was refused before any work was billed, what the caller
/// should do, and where the vendor says so.
/// </summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
/// <param name="Status">The HTTP status.</param>
/// <param name="Kind">
/// What it means. Only <see cref="ErrorKind.InvalidRequest"/>, <see cref="ErrorKind.Unauthorized"/>,
/// <see cref="ErrorKind.InsufficientFunds"/>, <see cref="ErrorKind.RateLimited"/>, <see cref="ErrorKind.NotFound"/>,
/// <see cref="ErrorKind.ContentRejected"/> and <see cref="ErrorKind.ProviderUnavailable"/> come from a status.
/// </param>
/// <param name="RefusedBeforeBilling">
/// Whether the answer to a submit proves the vendor created nothing: true for every documented refusal (only a
/// <see cref="ErrorKind.ProviderUnavailable"/> row may say false, like a 5xx after which the job may exist).
/// </param>
/// <param name="Hint">What the caller should do, as a sentence (shown after the vendor's text).</param>
/// <param name="Source">Where the vendor documents it (a page and section), or why MediaGen maps it so.</param>
public sealed record VendorErrorRule(int Status, ErrorKind Kind, bool RefusedBeforeBilling, string Hint, string Source)
{
    /// <summary>Gets the vendor error code this row is for, or null for every answer with <see cref="Status"/>.</summary>
    public string? Code { get; init; }
}
