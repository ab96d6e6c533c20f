using System.Diagnostics.CodeAnalysis;

namespace MediaGen;

/// <summary>Creates results.</summary>
public static class Result
{
    /// <summary>A success.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
    public static Result<T> Success<T>(T value) => new(value);

    /// <summary>A failure.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="error">The error.</param>
    /// <returns>The result.</returns>
    public static Result<T> Failure<T>(MediaGenError error) => new(error);
}

/// <summary>
/// Either a value or one <see cref="MediaGenError"/> from the closed set. Expected failures are values;
/// <see cref="GetValueOrThrow"/> turns one into a <see cref="MediaGenException"/> carrying the error.
/// </summary>
/// <remarks>
/// <para>
/// Handle every outcome with the per-kind <c>Match</c>/<c>Switch</c> (a handler for the value and one for each error
/// kind; built on <see cref="MediaGenError.AsOneOf"/>, so a new kind breaks the build of code that handles each one),
/// with the two-handler forms (value or any error), or with <see cref="TryGetValue"/>/<see cref="TryGetError"/>.
/// </para>
/// <para>
/// A struct, because every submit, poll and quote returns one. <c>default(Result&lt;T&gt;)</c> is neither a value nor an
/// error: every member that reads an outcome (<see cref="IsSuccess"/>, <see cref="TryGetValue"/>, <see cref="TryGetError"/>,
/// <see cref="GetValueOrThrow"/>, <c>Match</c>, <c>Switch</c>, <see cref="Map{TOut}"/>) throws
/// <see cref="InvalidOperationException"/> rather than report a success that never happened.
/// </para>
/// </remarks>
/// <typeparam name="T">The value type.</typeparam>
public readonly struct Result<T>
{
    private readonly T? _value;
    private readonly MediaGenError? _error;
    private readonly bool _initialized;

    /// <summary>Creates a success.</summary>
    /// <param name="value">The value.</param>
    public Result(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
        _error = null;
        _initialized = true;
    }

    /// <summary>Creates a failure.</summary>
    /// <param name="error">The error.</param>
    public Result(MediaGenError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _value = default;
        _error = error;
        _initialized = true;
    }

    /// <summary>Gets whether this is a success.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess
    {
        get
        {
            EnsureInitialized();
            return _error is null;
        }
    }

    /// <summary>Gets the value, or default when this is a failure.</summary>
    public T? Value => _value;

    /// <summary>Gets the error, or null when this is a success.</summary>
    public MediaGenError? Error => _error;

    /// <summary>Wraps a value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Result<T>(T value) => new(value);

    /// <summary>Wraps an error.</summary>
    /// <param name="error">The error.</param>
    public static implicit operator Result<T>(MediaGenError error) => new(error);

    /// <summary>Gets the value when this is a success; when it returns false, <see cref="Error"/> is not null.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Whether this is a success.</returns>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        EnsureInitialized();
        value = _value;
        return _error is null;
    }

    /// <summary>Gets the error when this is a failure.</summary>
    /// <param name="error">The error.</param>
    /// <returns>Whether this is a failure.</returns>
    [MemberNotNullWhen(true, nameof(Error))]
    [MemberNotNullWhen(false, nameof(Value))]
    public bool TryGetError([NotNullWhen(true)] out MediaGenError? error)
    {
        EnsureInitialized();
        error = _error;
        return _error is not null;
    }

    /// <summary>Returns the value or throws the error as an exception (see <see cref="MediaGenError.ToException"/>).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MediaGenException">The result is a failure; <see cref="MediaGenException.Error"/> is the error.</exception>
    /// <exception cref="OutcomeUnknownException">The error is an <see cref="OutcomeUnknownError"/>: the request may have been billed.</exception>
    public T GetValueOrThrow()
    {
        EnsureInitialized();
        return _error is null ? _value! : throw _error.ToException();
    }

    /// <summary>Maps either side to one result type.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="onSuccess">Called with the value.</param>
    /// <param name="onError">Called with the error.</param>
    /// <returns>The mapped result.</returns>
    public TResult Match<TResult>(Func<T, TResult> onSuccess, Func<MediaGenError, TResult> onError)
    {
        ArgumentNullException.ThrowIfNull(onSuccess);
        ArgumentNullException.ThrowIfNull(onError);
        EnsureInitialized();
        return _error is null ? onSuccess(_value!) : onError(_error);
    }

    /// <summary>Runs one action for either side.</summary>
    /// <param name="onSuccess">Called with the value.</param>
    /// <param name="onError">Called with the error.</param>
    public void Switch(Action<T> onSuccess, Action<MediaGenError> onError)
    {
        ArgumentNullException.ThrowIfNull(onSuccess);
        ArgumentNullException.ThrowIfNull(onError);
        EnsureInitialized();
        if (_error is null)
        {
            onSuccess(_value!);
        }
        else
        {
            onError(_error);
        }
    }

    /// <summary>Calls the handler for the value or for the error's kind (exhaustive over success and every error kind).</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="onSuccess">Called with the value.</param>
    /// <param name="invalidRequest">Handles <see cref="InvalidRequestError"/>.</param>
    /// <param name="unauthorized">Handles <see cref="UnauthorizedError"/>.</param>
    /// <param name="insufficientFunds">Handles <see cref="InsufficientFundsError"/>.</param>
    /// <param name="rateLimited">Handles <see cref="RateLimitedError"/>.</param>
    /// <param name="notFound">Handles <see cref="NotFoundError"/>.</param>
    /// <param name="contentRejected">Handles <see cref="ContentRejectedError"/>.</param>
    /// <param name="providerUnavailable">Handles <see cref="ProviderUnavailableError"/>.</param>
    /// <param name="outcomeUnknown">Handles <see cref="OutcomeUnknownError"/>.</param>
    /// <param name="timedOut">Handles <see cref="TimedOutError"/>.</param>
    /// <param name="noRoute">Handles <see cref="NoRouteError"/>.</param>
    /// <returns>The handler's result.</returns>
    public TResult Match<TResult>(
        Func<T, TResult> onSuccess,
        Func<InvalidRequestError, TResult> invalidRequest,
        Func<UnauthorizedError, TResult> unauthorized,
        Func<InsufficientFundsError, TResult> insufficientFunds,
        Func<RateLimitedError, TResult> rateLimited,
        Func<NotFoundError, TResult> notFound,
        Func<ContentRejectedError, TResult> contentRejected,
        Func<ProviderUnavailableError, TResult> providerUnavailable,
        Func<OutcomeUnknownError, TResult> outcomeUnknown,
        Func<TimedOutError, TResult> timedOut,
        Func<NoRouteError, TResult> noRoute)
    {
        ArgumentNullException.ThrowIfNull(onSuccess);
        ArgumentNullException.ThrowIfNull(invalidRequest);
        ArgumentNullException.ThrowIfNull(unauthorized);
        ArgumentNullException.ThrowIfNull(insufficientFunds);
        ArgumentNullException.ThrowIfNull(rateLimited);
        ArgumentNullException.ThrowIfNull(notFound);
        ArgumentNullException.ThrowIfNull(contentRejected);
        ArgumentNullException.ThrowIfNull(providerUnavailable);
        ArgumentNullException.ThrowIfNull(outcomeUnknown);
        ArgumentNullException.ThrowIfNull(timedOut);
        ArgumentNullException.ThrowIfNull(noRoute);
        EnsureInitialized();
        return _error is null
            ? onSuccess(_value!)
            : _error.Match(invalidRequest, unauthorized, insufficientFunds, rateLimited, notFound, contentRejected, providerUnavailable, outcomeUnknown, timedOut, noRoute);
    }

    /// <summary>Runs the handler for the value or for the error's kind (exhaustive over success and every error kind).</summary>
    /// <param name="onSuccess">Called with the value.</param>
    /// <param name="invalidRequest">Handles <see cref="InvalidRequestError"/>.</param>
    /// <param name="unauthorized">Handles <see cref="UnauthorizedError"/>.</param>
    /// <param name="insufficientFunds">Handles <see cref="InsufficientFundsError"/>.</param>
    /// <param name="rateLimited">Handles <see cref="RateLimitedError"/>.</param>
    /// <param name="notFound">Handles <see cref="NotFoundError"/>.</param>
    /// <param name="contentRejected">Handles <see cref="ContentRejectedError"/>.</param>
    /// <param name="providerUnavailable">Handles <see cref="ProviderUnavailableError"/>.</param>
    /// <param name="outcomeUnknown">Handles <see cref="OutcomeUnknownError"/>.</param>
    /// <param name="timedOut">Handles <see cref="TimedOutError"/>.</param>
    /// <param name="noRoute">Handles <see cref="NoRouteError"/>.</param>
    public void Switch(
        Action<T> onSuccess,
        Action<InvalidRequestError> invalidRequest,
        Action<UnauthorizedError> unauthorized,
        Action<InsufficientFundsError> insufficientFunds,
        Action<RateLimitedError> rateLimited,
        Action<NotFoundError> notFound,
        Action<ContentRejectedError> contentRejected,
        Action<ProviderUnavailableError> providerUnavailable,
        Action<OutcomeUnknownError> outcomeUnknown,
        Action<TimedOutError> timedOut,
        Action<NoRouteError> noRoute)
    {
        ArgumentNullException.ThrowIfNull(onSuccess);
        ArgumentNullException.ThrowIfNull(invalidRequest);
        ArgumentNullException.ThrowIfNull(unauthorized);
        ArgumentNullException.ThrowIfNull(insufficientFunds);
        ArgumentNullException.ThrowIfNull(rateLimited);
        ArgumentNullException.ThrowIfNull(notFound);
        ArgumentNullException.ThrowIfNull(contentRejected);
        ArgumentNullException.ThrowIfNull(providerUnavailable);
        ArgumentNullException.ThrowIfNull(outcomeUnknown);
        ArgumentNullException.ThrowIfNull(timedOut);
        ArgumentNullException.ThrowIfNull(noRoute);
        EnsureInitialized();
        if (_error is null)
        {
            onSuccess(_value!);
        }
        else
        {
            _error.Switch(invalidRequest, unauthorized, insufficientFunds, rateLimited, notFound, contentRejected, providerUnavailable, outcomeUnknown, timedOut, noRoute);
        }
    }

    /// <summary>Transforms the value of a success; errors pass through.</summary>
    /// <typeparam name="TOut">The new value type.</typeparam>
    /// <param name="map">The transformation.</param>
    /// <returns>The mapped result.</returns>
    public Result<TOut> Map<TOut>(Func<T, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        EnsureInitialized();
        return _error is null ? new Result<TOut>(map(_value!)) : new Result<TOut>(_error);
    }

    /// <inheritdoc/>
    public override string ToString() => !_initialized ? "Result(uninitialized)" : _error is null ? $"Success({_value})" : $"Failure({_error})";

    private void EnsureInitialized()
    {
        if (!_initialized)
        {
            throw new InvalidOperationException("This Result was default-initialized; create one with Result.Success or Result.Failure.");
        }
    }
}
