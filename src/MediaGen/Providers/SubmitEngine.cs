using System.Globalization;
using System.Text;
using MediaGen.Http;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MediaGen.Providers;

/// <summary>Reads a vendor's 2xx answer to a submit into what the provider keeps of it.</summary>
/// <typeparam name="TAccepted">What the accepted answer is read into.</typeparam>
/// <param name="response">The response (its body already read: use <paramref name="body"/>).</param>
/// <param name="body">The body text, bounded and redacted, of a JSON content type (or none).</param>
/// <param name="problem">Why it cannot be read, when it returns null (<c>no jobId in {…}</c>).</param>
/// <returns>The accepted job, or null when the body does not carry a readable one.</returns>
public delegate TAccepted? SubmitAnswerReader<TAccepted>(HttpResponseMessage response, string body, out string? problem)
    where TAccepted : class;

/// <summary>Reads a vendor's 2xx answer to a submit from its UTF-8 bytes (no string made when the answer is read).</summary>
/// <typeparam name="TAccepted">What the accepted answer is read into.</typeparam>
/// <param name="response">The response (its body already read: use <paramref name="body"/>).</param>
/// <param name="body">The body's UTF-8 bytes, bounded and redacted, of a JSON content type (or none); valid only during the call.</param>
/// <param name="problem">Why it cannot be read, when it returns null (<c>no jobId in {…}</c>).</param>
/// <returns>The accepted job, or null when the body does not carry a readable one.</returns>
public delegate TAccepted? SubmitAnswerUtf8Reader<TAccepted>(HttpResponseMessage response, ReadOnlySpan<byte> body, out string? problem)
    where TAccepted : class;

/// <summary>One logical submit for <see cref="SubmitEngine"/>: the key, how to build the POST, how to read an acceptance.</summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers.</remarks>
/// <typeparam name="TAccepted">What the accepted answer is read into.</typeparam>
public sealed class SubmitCall<TAccepted>
    where TAccepted : class
{
    /// <summary>Creates the call.</summary>
    /// <param name="idempotencyKey">The key every POST of this submit carries (the request builder puts it on the wire).</param>
    /// <param name="newRequest">Builds one POST of the submit, the same bytes every time (a message can be sent only once).</param>
    /// <param name="readAccepted">Reads a 2xx answer.</param>
    public SubmitCall(string idempotencyKey, Func<HttpRequestMessage> newRequest, SubmitAnswerReader<TAccepted> readAccepted)
        : this(idempotencyKey, newRequest, readAccepted, null)
    {
    }

    /// <summary>Gets the key every POST of this submit carries.</summary>
    public string IdempotencyKey { get; }

    /// <summary>Creates the call with a reader of the answer's UTF-8 bytes (the body is decoded only for error messages).</summary>
    /// <param name="idempotencyKey">The key every POST of this submit carries (the request builder puts it on the wire).</param>
    /// <param name="newRequest">Builds one POST of the submit, the same bytes every time (a message can be sent only once).</param>
    /// <param name="readAccepted">Reads a 2xx answer from its bytes.</param>
    public SubmitCall(string idempotencyKey, Func<HttpRequestMessage> newRequest, SubmitAnswerUtf8Reader<TAccepted> readAccepted)
        : this(idempotencyKey, newRequest, null, readAccepted)
    {
    }

    private SubmitCall(string idempotencyKey, Func<HttpRequestMessage> newRequest, SubmitAnswerReader<TAccepted>? readAccepted, SubmitAnswerUtf8Reader<TAccepted>? readAcceptedUtf8)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentNullException.ThrowIfNull(newRequest);
        if (readAccepted is null && readAcceptedUtf8 is null)
        {
            throw new ArgumentNullException(nameof(readAccepted));
        }

        IdempotencyKey = idempotencyKey;
        NewRequest = newRequest;
        ReadAccepted = readAccepted;
        ReadAcceptedUtf8 = readAcceptedUtf8;
    }

    /// <summary>Gets the builder of one POST.</summary>
    public Func<HttpRequestMessage> NewRequest { get; }

    /// <summary>Gets the reader of a 2xx answer's text, when the call was created with one.</summary>
    public SubmitAnswerReader<TAccepted>? ReadAccepted { get; }

    /// <summary>Gets the reader of a 2xx answer's UTF-8 bytes, when the call was created with one.</summary>
    public SubmitAnswerUtf8Reader<TAccepted>? ReadAcceptedUtf8 { get; }

    /// <summary>Gets the call, for messages (<c>the generate request</c>, <c>POST /v2/images/generate</c>).</summary>
    public string Operation { get; init; } = "the submit";

    /// <summary>Gets what the request was quoted at, for a funds refusal that does not say what it costs.</summary>
    public Money? Quoted { get; init; }

    /// <summary>
    /// Gets the POST budget of this logical submit (a new one with the default cap unless given): the engine marks every
    /// POST with it, so the shared pipeline's retries and the engine's resends draw from it together.
    /// </summary>
    public SubmitAttempts Budget { get; init; } = new();
}

/// <summary>
/// The one submit-outcome engine, paying once (docs/paying-once.md). It sends a logical submit's POSTs, classifies each
/// once (<see cref="SubmitOutcome"/>: accepted, refused before billing, never sent, ambiguous, canceled) with the
/// vendor's refusal table, and decides in one place: an acceptance is the job; a refusal or an unsent POST is the error
/// (the router may fail over), unless an earlier POST of the same submit may have reached the vendor, which makes it
/// outcome unknown; an ambiguous POST goes to the vendor's <see cref="SubmitSettlement{TAccepted}"/>, which finds the
/// job, allows a resend with the same key, or leaves it unresolved; an unresolved one is
/// <see cref="OutcomeUnknownError"/>, written here from the facts the settlement returns (key, candidate handle, what
/// was tried) — never a second paid job. A caller's cancellation before anything could have reached the vendor throws
/// <see cref="OperationCanceledException"/>; after that it is outcome unknown. One logical submit makes at most
/// <see cref="SubmitAttempts.MaxAttempts"/> POSTs to the vendor however many layers resend it.
/// </summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers. Thread-safe.</remarks>
public sealed class SubmitEngine
{
    private readonly HttpClient _http;
    private readonly VendorErrorMap _errors;
    private readonly TimeProvider _time;

    /// <summary>Creates the engine for one vendor.</summary>
    /// <param name="http">The vendor's client (the shared MediaGen pipeline, or any client).</param>
    /// <param name="errors">The vendor's error table: its refusals, its body format, its name.</param>
    /// <param name="time">The clock (for <c>Retry-After</c> dates).</param>
    public SubmitEngine(HttpClient http, VendorErrorMap errors, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _errors = errors;
        _time = time;
    }

    /// <summary>
    /// Gets a value indicating whether the vendor dedupes a submit by the idempotency key it carries: a 409 then means a
    /// job exists under the key (<see cref="SubmitAmbiguity.KeyInUse"/>), and the outcome-unknown advice is to resubmit
    /// with the same key.
    /// </summary>
    public bool DedupesByIdempotencyKey { get; init; }

    /// <summary>
    /// Gets a value indicating whether the shared HTTP pipeline may resend an ambiguous POST by itself
    /// (<see cref="MediaGenHttpRequest.MarkSubmit(HttpRequestMessage, bool, SubmitAttempts)"/> with <c>vendorDedupes</c>):
    /// only for a vendor that returns the same job for the same key and needs no look-up first.
    /// </summary>
    public bool PipelineMayResend { get; init; }

    /// <summary>
    /// Gets the vendor's client-side rate limiter: the provider takes the first POST's permit, and the shared pipeline
    /// takes one for every resend it makes of it (none left: no resend).
    /// </summary>
    public System.Threading.RateLimiting.RateLimiter? Limiter { get; init; }

    /// <summary>Gets the most bytes read from an answer (<see cref="HttpResponseReader.MaxBodyBytes"/> by default).</summary>
    public int MaxBodyBytes { get; init; } = HttpResponseReader.MaxBodyBytes;

    /// <summary>Gets the setting that sets the POST cap, named when the cap stops a resend (<c>MediaGen:MeiGen:Http:MaxSubmitAttempts</c>).</summary>
    public string MaxAttemptsSetting { get; init; } = $"{nameof(MediaGenHttpOptions)}.{nameof(MediaGenHttpOptions.MaxSubmitAttempts)}";

    /// <summary>
    /// Whether an exception from sending or reading is a transport failure (the shared pipeline's timeouts and open
    /// circuits included) rather than a bug or the caller's cancellation.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="cancellationToken">The caller's token: an <see cref="OperationCanceledException"/> under it is the caller's, not the transport's.</param>
    /// <returns>Whether it is a transport failure.</returns>
    public static bool IsTransportFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or IOException or TimeoutException or ExecutionRejectedException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested); // HttpClient.Timeout

    /// <summary>Submits once, paying once: sends, classifies, settles, and decides (see <see cref="SubmitEngine"/>).</summary>
    /// <typeparam name="TAccepted">What the accepted answer is read into.</typeparam>
    /// <param name="call">The submit.</param>
    /// <param name="settlement">The vendor's settlement for this submit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted job, the refusal, or <see cref="OutcomeUnknownError"/> carrying the key.</returns>
    /// <exception cref="OperationCanceledException">The token was canceled before anything could have reached the vendor.</exception>
    public async Task<Result<TAccepted>> SubmitAsync<TAccepted>(SubmitCall<TAccepted> call, SubmitSettlement<TAccepted> settlement, CancellationToken cancellationToken)
        where TAccepted : class
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(settlement);
        var facts = new Facts(call.IdempotencyKey, call.Operation, call.Budget);
        while (true)
        {
            if (facts.Trail.Count == 0)
            {
                cancellationToken.ThrowIfCancellationRequested(); // nothing was sent: nothing can have been charged
            }
            else if (await WhyNoResendAsync(call.Budget, settlement, cancellationToken).ConfigureAwait(false) is { } whyNot)
            {
                if (facts.ProvenThroughLast && cancellationToken.IsCancellationRequested)
                {
                    // The vendor proved no POST so far was accepted: like a cancel before anything was sent.
                    throw new OperationCanceledException($"The submit was canceled before it was sent again; {facts.Proof}, so nothing was charged.", cancellationToken);
                }

                // Proven not accepted, the resend was only a chance to be served here: without it, the proof stands.
                return facts.ProvenThroughLast
                    ? NotAccepted(facts, settlement.WhereToLook, $"{facts.Proof} (it was not sent again: {whyNot})")
                    : Unknown(facts, settlement.WhereToLook, $"it was not sent again: {whyNot}", null, null);
            }

            var (outcome, accepted) = await AttemptAsync(call, cancellationToken).ConfigureAwait(false);
            facts.Add(outcome);
            switch (outcome.Kind)
            {
                case SubmitOutcomeKind.Accepted:
                    return accepted!;

                case SubmitOutcomeKind.RefusedBeforeBilling:
                case SubmitOutcomeKind.NeverSent:
                    // The refusal is about this POST only: once an earlier one may have reached the vendor, it proves
                    // nothing about billing (a 402 may be that job's credits spent).
                    if (!MayHaveReachedVendor(facts))
                    {
                        return facts.Proof is { } proven ? outcome.Error! with { NotAcceptedProof = proven } : outcome.Error!;
                    }

                    if (outcome.Kind == SubmitOutcomeKind.RefusedBeforeBilling && settlement.ProveNotAcceptedByRefusal(outcome, [.. facts.Trail]) is { } byRefusal)
                    {
                        return outcome.Error! with
                        {
                            NotAcceptedProof = byRefusal,
                            Message = $"{outcome.Error!.Message} {Sentence(byRefusal)}",
                        };
                    }

                    return Unknown(facts, settlement.WhereToLook, $"an earlier POST of this submit may have reached {_errors.VendorName}, so this answer proves nothing about billing", null, null);

                case SubmitOutcomeKind.Canceled:
                    if (outcome.StatusCode is null && facts.Trail.Count == 1 && call.Budget.Observed > 0 && !call.Budget.MayHaveReachedVendor(IsRefusal))
                    {
                        // The pipeline saw every POST end before it reached the vendor (refused with 429, never connected).
                        throw new OperationCanceledException("The submit was canceled before any POST could have reached the vendor; nothing was charged.", cancellationToken);
                    }

                    return Unknown(facts, settlement.WhereToLook, "it was not settled, because the caller canceled", null, null);
            }

            Settlement<TAccepted> decision;
            try
            {
                decision = await settlement.SettleAsync(new AmbiguousSubmit(call.IdempotencyKey, [.. facts.Trail], call.Budget), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Unknown(facts, settlement.WhereToLook, "it was not settled, because the caller canceled while it was being settled", null, null);
            }

            switch (decision.Kind)
            {
                case SettlementKind.Found:
                    return decision.Accepted!;
                case SettlementKind.Resend:
                    facts.Found(decision.Finding!);
                    continue;
                case SettlementKind.NotAccepted:
                    facts.Prove(decision.Finding!);
                    if (decision.ResendFirst && call.Budget.CanSendAnother && !cancellationToken.IsCancellationRequested)
                    {
                        facts.Found(decision.Finding!);
                        continue;
                    }

                    return NotAccepted(facts, settlement.WhereToLook, decision.Finding!);
                default:
                    return Unknown(facts, settlement.WhereToLook, decision.Finding, decision.Candidate, decision.Advice);
            }
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        HttpRequestException http => $"{http.HttpRequestError}: {http.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private static string Sentence(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return trimmed;
        }

        var first = char.ToUpper(trimmed[0], CultureInfo.InvariantCulture) + trimmed[1..];
        return first[^1] is '.' or '!' or '?' ? first : first + ".";
    }

    /// <summary>Why a resend cannot be made now (budget spent, caller canceled, the vendor not ready), or null.</summary>
    private async Task<string?> WhyNoResendAsync<TAccepted>(SubmitAttempts budget, SubmitSettlement<TAccepted> settlement, CancellationToken cancellationToken)
        where TAccepted : class
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return "the caller canceled before the resend";
        }

        if (!budget.CanSendAnother)
        {
            return $"this submit already made {budget.Count} POST(s), the cap per submit ({MaxAttemptsSetting})";
        }

        try
        {
            return await settlement.PrepareResendAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "the caller canceled while the resend waited";
        }
    }

    /// <summary>Sends one POST of the submit and classifies it.</summary>
    private async Task<(SubmitOutcome Outcome, TAccepted? Accepted)> AttemptAsync<TAccepted>(SubmitCall<TAccepted> call, CancellationToken cancellationToken)
        where TAccepted : class
    {
        var v = _errors.VendorName;
        using var request = call.NewRequest().MarkSubmit(PipelineMayResend, call.Budget).WithRateLimiter(Limiter).WithRateLimitBackoff(_errors.RateLimitBackoff);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (SubmitOutcome.Canceled("the caller canceled while the request was in flight or waiting to be resent"), null);
        }
        catch (BrokenCircuitException ex)
        {
            var open = new ProviderUnavailableError(
                $"{v}'s circuit breaker is open after repeated failures; {call.Operation} was not sent, so nothing was charged. Retry later or use another provider.",
                _errors.Provider,
                true,
                ex.RetryAfter);
            return (SubmitOutcome.NeverSent(open, "the circuit breaker was open"), null);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            if (ex is HttpRequestException && TransportFailure.Classify(ex) == TransportFailureKind.NotSent)
            {
                var unreachable = new ProviderUnavailableError(
                    $"{v} could not be reached for {call.Operation} ({Describe(ex)}); the request never left, so nothing was charged. Retry later or use another provider.",
                    _errors.Provider,
                    true);
                return (SubmitOutcome.NeverSent(unreachable, $"the connection could not be opened ({Describe(ex)})"), null);
            }

            var reason = ex is OperationCanceledException or TimeoutRejectedException or TimeoutException
                ? "the HTTP call timed out"
                : $"the connection failed after the request may have been sent ({Describe(ex)})";
            return (SubmitOutcome.AmbiguousAnswer(SubmitAmbiguity.Transport, reason), null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            ResponseBody read;
            try
            {
                read = await HttpResponseReader.ReadBodyUtf8Async(response, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (SubmitOutcome.Canceled($"the caller canceled while the HTTP {status} answer was being read", status), null);
            }
            catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
            {
                return (SubmitOutcome.AmbiguousAnswer(SubmitAmbiguity.AnswerCutOff, $"the HTTP {status} answer was cut off while it was read ({ex.GetType().Name})", status), null);
            }

            using var answer = read;
            if (response.IsSuccessStatusCode)
            {
                // A 2xx means the vendor accepted it: a body that cannot be read is ambiguous, never a refusal.
                string? problem = answer.Truncated ? "the body exceeds the size limit"
                    : !HttpResponseReader.IsJson(response) ? $"the content type is {response.Content.Headers.ContentType?.MediaType}, not JSON"
                    : null;
                var accepted = problem is not null ? null
                    : call.ReadAcceptedUtf8 is { } utf8 ? utf8(response, answer.Utf8, out problem)
                    : call.ReadAccepted!(response, answer.Text, out problem);
                return accepted is null
                    ? (SubmitOutcome.AmbiguousAnswer(SubmitAmbiguity.UnreadableAcceptance, $"HTTP {status} whose body cannot be read ({problem ?? "no job in it"})", status, string.IsNullOrWhiteSpace(answer.Text) ? null : HttpResponseReader.Excerpt(answer.Text)), null)
                    : (SubmitOutcome.Accepted(status), accepted);
            }

            var body = answer.Text;
            var error = _errors.Read(response, body, _time);
            var said = error.VendorMessage is null ? string.Empty : $" \"{error.VendorMessage}\"";
            if (status == 409 && DedupesByIdempotencyKey)
            {
                return (SubmitOutcome.AmbiguousAnswer(SubmitAmbiguity.KeyInUse, $"HTTP 409{said}: the idempotency key was already used, so a job may exist under it", status, error.VendorMessage), null);
            }

            if (!_errors.IsRefusal(status, error.Code))
            {
                return (SubmitOutcome.AmbiguousAnswer(SubmitAmbiguity.Status, $"HTTP {status}{said}, which does not say whether the job was created", status, error.VendorMessage), null);
            }

            return (SubmitOutcome.Refused(_errors.ToError(error, VendorCall.Submit, call.Operation, call.Quoted), $"refused with HTTP {status}{said}"), null);
        }
    }

    private bool IsRefusal(int status) => _errors.IsRefusal(status);

    /// <summary>
    /// Whether any POST of the submit not covered by the vendor's proof of "not accepted" may have reached the vendor:
    /// one the engine classified, or one the pipeline resent.
    /// </summary>
    private bool MayHaveReachedVendor(Facts facts)
    {
        for (var i = facts.ProvenPosts; i < facts.Trail.Count; i++)
        {
            if (facts.Trail[i].MayHaveReachedVendor)
            {
                return true;
            }
        }

        return facts.Budget.MayHaveReachedVendor(IsRefusal, facts.ProvenObserved);
    }

    /// <summary>
    /// Settles a submit the vendor proved it did not accept (the rule, once): refused before billing, so the router may
    /// fail over; the message names each POST, the proof, and the key under which a late commit would show.
    /// </summary>
    private ProviderUnavailableError NotAccepted(Facts facts, string? whereToLook, string proof)
    {
        var v = _errors.VendorName;
        var steps = new StringBuilder();
        for (var i = 0; i < facts.Trail.Count; i++)
        {
            steps.Append(i == 0 ? string.Empty : "; resent with the same key: ").Append(facts.Trail[i].Reason);
        }

        var sentences = new List<string>
        {
            $"{v} did not accept {facts.Operation}: {steps}",
            $"{proof}, so nothing was charged; retry later or use another provider",
            $"The idempotency key {facts.Key} is kept: should a late commit show up at {v}, it is under that key{(whereToLook is { } look ? $" ({look})" : string.Empty)}",
        };
        var last = facts.Trail.LastOrDefault(o => o.StatusCode is not null);
        return new ProviderUnavailableError(string.Join(" ", sentences.Select(Sentence)), _errors.Provider, true)
        {
            StatusCode = last?.StatusCode,
            VendorMessage = last?.VendorMessage,
            NotAcceptedProof = proof,
        };
    }

    /// <summary>Writes the outcome-unknown error from the facts: what each POST ended in, what the settlement found, what to do.</summary>
    private OutcomeUnknownError Unknown(Facts facts, string? whereToLook, string? finding, JobHandle? candidate, string? advice)
    {
        var v = _errors.VendorName;
        var key = facts.Key;
        var steps = new StringBuilder();
        for (var i = 0; i < facts.Trail.Count; i++)
        {
            steps.Append(i == 0 ? string.Empty : "; resent with the same key: ").Append(facts.Trail[i].Reason);
            if (facts.Findings[i] is { } found)
            {
                steps.Append(" (").Append(found).Append(')');
            }
        }

        var posts = facts.Budget.Count > 1 ? $" ({facts.Budget.Count} POSTs in all)" : string.Empty;
        var sentences = new List<string> { $"{v} may have accepted {facts.Operation} and charged it: {steps}{posts}" };
        if (finding is not null)
        {
            sentences.Add(finding);
        }

        if (advice is not null)
        {
            sentences.Add(advice);
        }
        else
        {
            if (candidate is not null)
            {
                sentences.Add($"Resume with handle '{candidate}' after checking it is this request");
            }

            sentences.Add(DedupesByIdempotencyKey
                ? $"Do not submit it anew with a new key: resubmit with idempotency key {key} ({v} dedupes by it, so it cannot charge twice){(whereToLook is { } look ? $", or {look}" : string.Empty)}"
                : $"{v} has no idempotency key, so do not resubmit blindly: {whereToLook ?? $"check {v}'s job list for it first"} (local idempotency key {key})");
        }

        var last = facts.Trail.LastOrDefault(o => o.StatusCode is not null);
        return new OutcomeUnknownError(string.Join(" ", sentences.Select(Sentence)), _errors.Provider, key, candidate)
        {
            StatusCode = last?.StatusCode,
            VendorMessage = last?.VendorMessage,
        };
    }

    /// <summary>What one logical submit has done so far: each POST's outcome and what the settlement found after it.</summary>
    private sealed class Facts(string key, string operation, SubmitAttempts budget)
    {
        public string Key => key;

        public string Operation => operation;

        public SubmitAttempts Budget => budget;

        /// <summary>Gets each POST's outcome, in order.</summary>
        public List<SubmitOutcome> Trail { get; } = [];

        /// <summary>Gets what the settlement found after each POST it let resend (null for the others).</summary>
        public List<string?> Findings { get; } = [];

        public void Add(SubmitOutcome outcome)
        {
            Trail.Add(outcome);
            Findings.Add(null);
        }

        public void Found(string finding) => Findings[^1] = finding;

        /// <summary>Gets the vendor's proof that the POSTs before <see cref="ProvenPosts"/> were not accepted, once it gave one.</summary>
        public string? Proof { get; private set; }

        /// <summary>Gets how many of the engine's POSTs the proof covers.</summary>
        public int ProvenPosts { get; private set; }

        /// <summary>Gets how many of the pipeline's POSTs the proof covers.</summary>
        public int ProvenObserved { get; private set; }

        /// <summary>Gets whether the proof covers every POST so far.</summary>
        public bool ProvenThroughLast => Proof is not null && ProvenPosts == Trail.Count && ProvenObserved == budget.Observed;

        public void Prove(string proof)
        {
            Proof = proof;
            ProvenPosts = Trail.Count;
            ProvenObserved = budget.Observed;
        }
    }
}
