namespace MediaGen.Providers;

/// <summary>Where one vendor puts the parts of its error bodies: text, code, field errors, and the amounts of a funds refusal.</summary>
/// <remarks>
/// Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.
/// Names are JSON property names (exact case); amount names may be dotted paths into nested objects
/// (<c>credits.purchased</c>). The first name present wins, except for the text, where every name present is joined.
/// </remarks>
public sealed record VendorErrorBodyFormat
{
    /// <summary>Gets the unit of the amounts a funds refusal names (the vendor's credits, or USD).</summary>
    public required MoneyUnit Unit { get; init; }

    /// <summary>Gets the properties holding the vendor's error text, joined in this order.</summary>
    public IReadOnlyList<string> TextNames { get; init; } = ["error", "message"];

    /// <summary>Gets the properties holding the vendor's error code.</summary>
    public IReadOnlyList<string> CodeNames { get; init; } = ["code"];

    /// <summary>
    /// Gets the properties holding field errors: a string, an array of strings or of <c>{field|param|path, message}</c>
    /// objects, or an object of <c>field: message | [messages]</c>.
    /// </summary>
    public IReadOnlyList<string> FieldErrorNames { get; init; } = ["errors", "details"];

    /// <summary>Gets the properties holding what the refused generation costs.</summary>
    public IReadOnlyList<string> RequiredNames { get; init; } = ["required"];

    /// <summary>Gets the properties holding the account balance.</summary>
    public IReadOnlyList<string> BalanceNames { get; init; } = ["balance"];

    /// <summary>
    /// Gets how a vendor wire field name becomes the name the caller knows (<c>image_urls.1</c> →
    /// <c>ReferenceImages[1]</c>); null keeps the vendor's name.
    /// </summary>
    public Func<string, string>? RequestField { get; init; }

    /// <summary>The caller-facing name of a vendor field.</summary>
    /// <param name="wireField">The vendor's field name.</param>
    /// <returns>The mapped name, or the vendor's own.</returns>
    public string FieldName(string wireField) => RequestField?.Invoke(wireField) ?? wireField;
}
