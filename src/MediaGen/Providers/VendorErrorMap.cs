using System.Globalization;

namespace MediaGen.Providers;

/// <summary>
/// A vendor's error table as data: each HTTP status (and error code) it documents, mapped onto the closed error set
/// with the rejected-before-billing bit and a hint, plus the shape of its error bodies. One rule holds for every vendor
/// and is not configurable: <b>a status the vendor does not document</b> is <see cref="ProviderUnavailableError"/>; on a
/// read it is rejected before billing (a read bills nothing) and a wait keeps polling, on a submit it does not prove
/// the job was not created.
/// </summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
public sealed class VendorErrorMap
{
    private readonly Dictionary<(int Status, string? Code), VendorErrorRule> _rules = [];

    /// <summary>Creates the map.</summary>
    /// <param name="provider">The provider name errors carry (<c>meigen</c>).</param>
    /// <param name="vendorName">The vendor's name in messages (<c>MeiGen</c>).</param>
    /// <param name="body">Where the vendor puts the parts of its error bodies.</param>
    /// <param name="rules">The documented statuses.</param>
    /// <exception cref="ArgumentException">
    /// A row is listed twice, maps to a kind no status can mean, or calls a refusal anything but rejected before billing.
    /// </exception>
    public VendorErrorMap(string provider, string vendorName, VendorErrorBodyFormat body, IEnumerable<VendorErrorRule> rules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorName);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(rules);
        Provider = provider;
        VendorName = vendorName;
        Body = body;
        var list = new List<VendorErrorRule>();
        foreach (var rule in rules)
        {
            ArgumentNullException.ThrowIfNull(rule, nameof(rules));
            if (rule.Kind is ErrorKind.OutcomeUnknown or ErrorKind.TimedOut or ErrorKind.NoRoute)
            {
                throw new ArgumentException($"HTTP {rule.Status} cannot mean {rule.Kind}: that kind is decided by settlement or waiting, not by a status.", nameof(rules));
            }

            if (!rule.RefusedBeforeBilling && rule.Kind != ErrorKind.ProviderUnavailable)
            {
                throw new ArgumentException($"HTTP {rule.Status} → {rule.Kind} is a refusal, so it must be rejected before billing; only a ProviderUnavailable row may leave billing open.", nameof(rules));
            }

            if (!_rules.TryAdd((rule.Status, rule.Code), rule))
            {
                throw new ArgumentException($"HTTP {rule.Status}{(rule.Code is null ? string.Empty : $" ({rule.Code})")} is listed twice.", nameof(rules));
            }

            list.Add(rule);
        }

        Rules = list;
    }

    /// <summary>Gets the provider name errors carry.</summary>
    public string Provider { get; }

    /// <summary>
    /// Gets the vendor's documented back-off after a 429 that names no <c>Retry-After</c> (<see cref="VendorPacing.RateLimitBackoff"/>):
    /// it becomes the <see cref="RateLimitedError.RetryAfter"/> of such a refusal, and the submit engine states it on every POST.
    /// </summary>
    public TimeSpan? RateLimitBackoff { get; init; }

    /// <summary>Gets the vendor's name in messages.</summary>
    public string VendorName { get; }

    /// <summary>Gets where the vendor puts the parts of its error bodies.</summary>
    public VendorErrorBodyFormat Body { get; }

    /// <summary>Gets the documented rows, in table order.</summary>
    public IReadOnlyList<VendorErrorRule> Rules { get; }

    /// <summary>Finds the documented row for an answer: the one for its code when there is one, else the one for its status.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The vendor's error code, when it gave one.</param>
    /// <returns>The row, or null when the vendor does not document the status.</returns>
    public VendorErrorRule? Find(int status, string? code = null) =>
        code is not null && _rules.TryGetValue((status, code), out var specific) ? specific
        : _rules.TryGetValue((status, null), out var general) ? general
        : null;

    /// <summary>
    /// Gets whether an answer to a submit is a documented refusal: the vendor created nothing, so the request may be
    /// retried or sent elsewhere. Every other answer may come after the job was created and needs settling.
    /// </summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The vendor's error code, when it gave one.</param>
    /// <returns>Whether nothing can have been billed.</returns>
    public bool IsRefusal(int status, string? code = null) => Find(status, code) is { RefusedBeforeBilling: true };

    /// <summary>Reads an error answer in this vendor's body format.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The body text, as read by <see cref="HttpResponseReader.ReadBodyAsync"/>.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> delay, when there was one.</param>
    /// <returns>The body.</returns>
    public VendorErrorBody Read(int status, string? body, TimeSpan? retryAfter) => VendorErrorBody.Read(status, body, retryAfter, Body);

    /// <summary>Reads an error answer in this vendor's body format, with <c>Retry-After</c> from the response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="body">The body text, as read by <see cref="HttpResponseReader.ReadBodyAsync"/>.</param>
    /// <param name="time">The clock for HTTP-date <c>Retry-After</c> values.</param>
    /// <returns>The body.</returns>
    public VendorErrorBody Read(HttpResponseMessage response, string? body, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Read((int)response.StatusCode, body, HttpResponseReader.GetRetryAfter(response, time));
    }

    /// <summary>Maps an error answer onto the closed error set, keeping the vendor's text verbatim.</summary>
    /// <param name="body">The answer.</param>
    /// <param name="call">Whether it answered a submit or a read.</param>
    /// <param name="operation">The call, for messages (<c>the generate request</c>, <c>the status of job 42</c>).</param>
    /// <param name="required">What the request was quoted at, when a funds refusal does not say what it costs.</param>
    /// <returns>The error, with <see cref="MediaGenError.StatusCode"/> and <see cref="MediaGenError.VendorMessage"/> set.</returns>
    public MediaGenError ToError(VendorErrorBody body, VendorCall call, string operation, Money? required = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        var status = body.Status;
        var said = body.VendorMessage is null ? "no error text" : $"\"{body.VendorMessage}\"";
        var rule = Find(status, body.Code);
        var notBilled = call == VendorCall.Read || rule is { RefusedBeforeBilling: true };
        var nothingCharged = call == VendorCall.Submit && notBilled ? "Nothing was charged." : null;
        var v = VendorName;
        MediaGenError error;
        if (rule is null)
        {
            var meaning = call == VendorCall.Read
                ? "A read bills nothing; MediaGen treats it as the vendor being unavailable, so a wait keeps polling."
                : "It does not prove the job was not created.";
            error = new ProviderUnavailableError(Sentences($"{v} answered {operation} with HTTP {status}, which {v} does not document: {said}.", meaning), Provider, notBilled, body.RetryAfter);
        }
        else
        {
            error = rule.Kind switch
            {
                ErrorKind.InvalidRequest => new InvalidRequestError(body.Fields.Count > 0 ? body.Fields : [new FieldError("Request", body.VendorMessage ?? $"HTTP {status}")], Provider) with
                {
                    Message = Sentences($"{v} rejected {operation} as invalid (HTTP {status}): {(body.Fields.Count > 0 ? string.Join("; ", body.Fields) : said)}.", rule.Hint, nothingCharged),
                },
                ErrorKind.Unauthorized => new UnauthorizedError(Sentences($"{v} refused the API key for {operation} (HTTP {status}): {said}.", rule.Hint), Provider),
                ErrorKind.InsufficientFunds => new InsufficientFundsError(
                    Sentences($"{v} has too little balance for {operation} (HTTP {status}): {said}.", rule.Hint, nothingCharged),
                    Provider,
                    body.Required ?? required,
                    body.Balance),
                ErrorKind.RateLimited => new RateLimitedError(
                    Sentences($"{v} rate-limited {operation} (HTTP {status}): {said}.", rule.Hint, $"Retry {(body.RetryAfter is { } wait ? $"after {wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : RateLimitBackoff is { } documented ? $"after {documented.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (the back-off {v} documents when it names no Retry-After)" : "later")}.", nothingCharged),
                    Provider,
                    body.RetryAfter ?? RateLimitBackoff),
                ErrorKind.NotFound => new NotFoundError(Sentences($"{v} found nothing for {operation} (HTTP {status}): {said}.", rule.Hint), Provider),
                ErrorKind.ContentRejected => new ContentRejectedError(Sentences($"{v} refused the content of {operation} (HTTP {status}): {said}.", rule.Hint), Provider),
                _ => new ProviderUnavailableError(
                    Sentences($"{v} failed {operation} (HTTP {status}): {said}.", rule.Hint, nothingCharged ?? (call == VendorCall.Submit ? "The job may have been created." : null)),
                    Provider,
                    notBilled,
                    body.RetryAfter),
            };
        }

        return error with { StatusCode = status, VendorMessage = body.VendorMessage };
    }

    private static string Sentences(params ReadOnlySpan<string?> parts)
    {
        var text = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (!string.IsNullOrWhiteSpace(part))
            {
                text.Add(part.Trim());
            }
        }

        return string.Join(" ", text);
    }
}
