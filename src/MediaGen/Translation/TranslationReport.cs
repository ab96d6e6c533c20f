namespace MediaGen;

/// <summary>What translation did with one setting.</summary>
public enum TranslationAction
{
    /// <summary>Sent as asked, on a field the vendor documents.</summary>
    Applied,

    /// <summary>Changed to a value the vendor accepts (see from/to and reason), on a field the vendor documents.</summary>
    Adjusted,

    /// <summary>Not sent (see reason).</summary>
    Dropped,

    /// <summary>
    /// Sent, but on a field the vendor's documents do not name: <see cref="TranslationEntry.WireField"/> names it and
    /// <see cref="TranslationEntry.Reason"/> says why MediaGen believes the vendor reads it. The vendor may ignore it.
    /// </summary>
    SentUndocumented,
}

/// <summary>How sure MediaGen is that a setting reaches the vendor: the three levels a translation report shows.</summary>
public enum TranslationCertainty
{
    /// <summary>Applied (or adjusted) on a field the vendor documents.</summary>
    Documented,

    /// <summary>Sent on a field the vendor's documents do not name (named, with why MediaGen believes it).</summary>
    Undocumented,

    /// <summary>Not sent.</summary>
    NotSent,
}

/// <summary>One setting's fate in translation.</summary>
/// <param name="Field">The <see cref="GenerationRequest"/> field, e.g. <c>Resolution</c>.</param>
/// <param name="Action">What happened.</param>
/// <param name="From">The value asked for.</param>
/// <param name="To">The value sent (for applied, adjusted and sent-undocumented).</param>
/// <param name="Reason">Why it was adjusted or dropped, or why an undocumented field is believed to work.</param>
public sealed record TranslationEntry(string Field, TranslationAction Action, string? From, string? To, string? Reason)
{
    /// <summary>Gets the wire field the value was sent on (always set for <see cref="TranslationAction.SentUndocumented"/>).</summary>
    public string? WireField { get; init; }

    /// <summary>Gets how sure MediaGen is that the setting reaches the vendor.</summary>
    public TranslationCertainty Certainty => Action switch
    {
        TranslationAction.Dropped => TranslationCertainty.NotSent,
        TranslationAction.SentUndocumented => TranslationCertainty.Undocumented,
        _ => TranslationCertainty.Documented,
    };

    /// <summary>Gets a one-character marker of <see cref="Certainty"/>: <c>✓</c> documented, <c>?</c> undocumented, <c>✗</c> not sent.</summary>
    public string Marker => Certainty switch
    {
        TranslationCertainty.Documented => "✓",
        TranslationCertainty.Undocumented => "?",
        _ => "✗",
    };

    /// <inheritdoc/>
    public override string ToString() => Action switch
    {
        TranslationAction.Applied => $"{Field} = {To}",
        TranslationAction.Adjusted => $"{Field}: {From} → {To} ({Reason})",
        TranslationAction.SentUndocumented => $"{Field} = {To} on undocumented {WireField} ({Reason})",
        _ => $"{Field}: {From} dropped ({Reason})",
    };
}

/// <summary>
/// Every setting applied, adjusted, sent on an undocumented field, or dropped when a request was translated to one
/// vendor's body. Nothing is changed silently. In strict mode any adjusted or dropped setting makes the request invalid,
/// and so does a setting sent on an undocumented field unless the caller accepts guesses for that vendor
/// (<see cref="GenerationRequest.AllowUndocumentedFields"/>).
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

    /// <summary>Gets whether any setting was adjusted, dropped or sent on an undocumented field.</summary>
    public bool HasChanges => _entries.Exists(e => e.Action != TranslationAction.Applied);

    /// <summary>Gets whether any setting was sent on a field the vendor's documents do not name.</summary>
    public bool HasUndocumented => _entries.Exists(e => e.Action == TranslationAction.SentUndocumented);

    /// <summary>Records a setting sent as asked on a documented field.</summary>
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

    /// <summary>Records a setting sent on a field the vendor's documents do not name.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The value sent.</param>
    /// <param name="wireField">The wire field it was sent on, e.g. <c>wanParams.aspect_ratio</c>.</param>
    /// <param name="why">Why MediaGen believes the vendor reads that field (the evidence, with its source).</param>
    /// <returns>This report.</returns>
    public TranslationReport SentUndocumented(string field, object? value, string wireField, string why)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(wireField);
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        _entries.Add(new TranslationEntry(field, TranslationAction.SentUndocumented, Text(value), Text(value), why) { WireField = wireField });
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
    /// In strict mode, turns every adjusted, dropped or undocumented setting into a field error; otherwise null.
    /// </summary>
    /// <param name="strict">Whether the request is strict.</param>
    /// <returns>The error, or null when the translation is acceptable.</returns>
    public InvalidRequestError? ToStrictError(bool strict) => ToStrictError(strict, allowUndocumented: false);

    /// <summary>
    /// In strict mode, turns every adjusted or dropped setting into a field error, and every setting sent on an
    /// undocumented field too unless <paramref name="allowUndocumented"/>; otherwise null.
    /// </summary>
    /// <param name="strict">Whether the request is strict.</param>
    /// <param name="allowUndocumented">Whether the caller accepts settings sent on undocumented fields for this vendor.</param>
    /// <returns>The error, or null when the translation is acceptable.</returns>
    public InvalidRequestError? ToStrictError(bool strict, bool allowUndocumented)
    {
        if (!strict)
        {
            return null;
        }

        var errors = _entries
            .Where(e => e.Action is TranslationAction.Adjusted or TranslationAction.Dropped
                || (e.Action == TranslationAction.SentUndocumented && !allowUndocumented))
            .Select(e => new FieldError(e.Field, e.Action switch
            {
                TranslationAction.Adjusted => $"strict mode: {Provider} would change {e.From} to {e.To} ({e.Reason})",
                TranslationAction.Dropped => $"strict mode: {Provider} would drop {e.From} ({e.Reason})",
                _ => $"strict mode: {Provider} would send {e.From} on {e.WireField}, a field its documents do not name ({e.Reason}); add '{Provider}' to GenerationRequest.AllowUndocumentedFields to accept it",
            }))
            .ToList();
        return errors.Count == 0 ? null : new InvalidRequestError(errors, Provider);
    }

    /// <summary>In strict mode, the error for this request (its per-vendor opt-in applied); otherwise null.</summary>
    /// <param name="request">The request that was translated.</param>
    /// <returns>The error, or null when the translation is acceptable.</returns>
    public InvalidRequestError? ToStrictError(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ToStrictError(request.Strict, request.AllowUndocumentedFields.Contains(Provider));
    }

    /// <summary>One line per entry with its certainty marker (<c>✓</c>, <c>?</c>, <c>✗</c>), for tables and logs.</summary>
    /// <returns>The lines.</returns>
    public IEnumerable<string> Describe() => _entries.Select(e => $"{e.Marker} {e}");

    /// <summary>
    /// Writes the entries as a JSON array of <c>{field, certainty, action, value, wire, reason}</c>, where
    /// <c>certainty</c> is <c>documented</c>, <c>undocumented</c> or <c>not-sent</c>.
    /// </summary>
    /// <param name="writer">The writer, positioned where a value may go.</param>
    public void WriteJson(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var e in _entries)
        {
            writer.WriteStartObject();
            writer.WriteString("field", e.Field);
            writer.WriteString("certainty", e.Certainty switch
            {
                TranslationCertainty.Documented => "documented",
                TranslationCertainty.Undocumented => "undocumented",
                _ => "not-sent",
            });
            writer.WriteString("action", e.Action.ToString());
            writer.WriteString("value", e.To ?? e.From);
            writer.WriteString("wire", e.WireField);
            writer.WriteString("reason", e.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
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
