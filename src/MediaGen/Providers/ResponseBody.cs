using System.Buffers;
using System.Text;

namespace MediaGen.Providers;

/// <summary>
/// A vendor response body read by <see cref="HttpResponseReader.ReadBodyUtf8Async"/>: bounded, credentials redacted,
/// as UTF-8 bytes in a pooled buffer (for the JSON reader) and as text only when asked (for error messages).
/// Dispose it when done with <see cref="Utf8"/>; the bytes are not to be kept past that.
/// </summary>
/// <remarks>Part of the provider-authoring kit (the <c>MediaGen.Providers</c> namespace): for vendor adapters, not for callers. Not thread-safe.</remarks>
public sealed class ResponseBody : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;
    private readonly bool _pooled;
    private string? _text;

    internal ResponseBody(byte[] buffer, int length, bool truncated, string? text, bool pooled = true)
    {
        _buffer = buffer;
        _length = length;
        _pooled = pooled;
        _text = text;
        Truncated = truncated;
    }

    /// <summary>Gets whether the body was longer than the read's limit (cut there).</summary>
    public bool Truncated { get; }

    /// <summary>Gets the number of bytes read (after the cut).</summary>
    public int Length => _length;

    /// <summary>Gets the body's bytes (valid until <see cref="Dispose"/>).</summary>
    /// <exception cref="ObjectDisposedException">The body was disposed.</exception>
    public ReadOnlySpan<byte> Utf8
    {
        get
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>Gets the body as text, decoded on first use (what <see cref="HttpResponseReader.ReadBodyAsync"/> returns).</summary>
    /// <exception cref="ObjectDisposedException">The body was disposed before its text was made.</exception>
    public string Text => _text ??= Encoding.UTF8.GetString(Utf8);

    /// <summary>Returns the pooled buffer; <see cref="Text"/> stays readable if it was made.</summary>
    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            if (_pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
