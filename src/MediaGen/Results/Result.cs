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
/// <see cref="GetValueOrThrow"/> turns one into its typed <see cref="MediaGenException"/>.
/// </summary>
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

    /// <summary>Gets the value when this is a success.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Whether this is a success.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        EnsureInitialized();
        value = _value;
        return _error is null;
    }

    /// <summary>Gets the error when this is a failure.</summary>
    /// <param name="error">The error.</param>
    /// <returns>Whether this is a failure.</returns>
    public bool TryGetError([NotNullWhen(true)] out MediaGenError? error)
    {
        EnsureInitialized();
        error = _error;
        return _error is not null;
    }

    /// <summary>Returns the value or throws the error's typed exception.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="MediaGenException">The result is a failure (a subtype per <see cref="ErrorKind"/>).</exception>
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
