namespace MediaGen;

/// <summary>What translation did with one setting.</summary>
public enum TranslationAction
{
    /// <summary>Sent as asked.</summary>
    Applied,

    /// <summary>Changed to a value the vendor accepts (see from/to and reason).</summary>
    Adjusted,

    /// <summary>Not sent (see reason).</summary>
    Dropped,
}

/// <summary>One setting's fate in translation.</summary>
/// <param name="Field">The <see cref="GenerationRequest"/> field, e.g. <c>Resolution</c>.</param>
/// <param name="Action">What happened.</param>
/// <param name="From">The value asked for.</param>
/// <param name="To">The value sent (for applied and adjusted).</param>
/// <param name="Reason">Why it was adjusted or dropped.</param>
public sealed record TranslationEntry(string Field, TranslationAction Action, string? From, string? To, string? Reason)
{
    /// <inheritdoc/>
    public override string ToString() => Action switch
    {
        TranslationAction.Applied => $"{Field} = {To}",
        TranslationAction.Adjusted => $"{Field}: {From} → {To} ({Reason})",
        _ => $"{Field}: {From} dropped ({Reason})",
    };
}

/// <summary>
/// Every setting applied, adjusted or dropped when a request was translated to one vendor's body. Nothing is
/// changed silently; in strict mode any adjusted or dropped setting makes the request invalid.
/// </summary>
public sealed class TranslationReport
{
    private readonly List<TranslationEntry> _entries = [];

    /// <summary>Gets the provider the request was translated for.</summary>
    public string Provider { get; }

    /// <summary>Creates an empty report.</summary>
    /// <param name="provider">The provider.</param>
    public TranslationReport(string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Provider = provider;
    }

    /// <summary>Gets the entries in the order they were recorded.</summary>
    public IReadOnlyList<TranslationEntry> Entries => _entries;

    /// <summary>Gets whether any setting was adjusted or dropped.</summary>
    public bool HasChanges => _entries.Exists(e => e.Action != TranslationAction.Applied);

    /// <summary>Records a setting sent as asked.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The value sent.</param>
    /// <returns>This report.</returns>
    public TranslationReport Applied(string field, object? value)
    {
        _entries.Add(new TranslationEntry(field, TranslationAction.Applied, Text(value), Text(value), null));
        return this;
    }

    /// <summary>Records a setting changed to a value the vendor accepts.</summary>
    /// <param name="field">The field.</param>
    /// <param name="from">The value asked for.</param>
    /// <param name="to">The value sent.</param>
    /// <param name="reason">Why.</param>
    /// <returns>This report.</returns>
    public TranslationReport Adjusted(string field, object? from, object? to, string reason)
    {
        _entries.Add(new TranslationEntry(field, TranslationAction.Adjusted, Text(from), Text(to), reason));
        return this;
    }

    /// <summary>Records a setting not sent.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The value asked for.</param>
    /// <param name="reason">Why.</param>
    /// <returns>This report.</returns>
    public TranslationReport Dropped(string field, object? value, string reason)
    {
        _entries.Add(new TranslationEntry(field, TranslationAction.Dropped, Text(value), null, reason));
        return this;
    }

    /// <summary>
    /// In strict mode, turns every adjusted or dropped setting into a field error; otherwise null.
    /// </summary>
    /// <param name="strict">Whether the request is strict.</param>
    /// <returns>The error, or null when the translation is acceptable.</returns>
    public InvalidRequestError? ToStrictError(bool strict)
    {
        if (!strict || !HasChanges)
        {
            return null;
        }

        var errors = _entries
            .Where(e => e.Action != TranslationAction.Applied)
            .Select(e => new FieldError(e.Field, e.Action == TranslationAction.Adjusted
                ? $"strict mode: {Provider} would change {e.From} to {e.To} ({e.Reason})"
                : $"strict mode: {Provider} would drop {e.From} ({e.Reason})"))
            .ToList();
        return new InvalidRequestError(errors, Provider);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Provider}: {string.Join("; ", _entries)}";

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(x => x?.ToString())) + "]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
