using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using MediaGen.Http;

namespace MediaGen.Providers;

/// <summary>Reads vendor responses safely: bounded bodies, <c>Retry-After</c>, JSON content detection.</summary>
public static class HttpResponseReader
{
    /// <summary>The most characters of an error body kept for messages.</summary>
    public const int MaxErrorBodyChars = 2048;

    /// <summary>The most bytes read from any vendor JSON response.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>Reads the body as text, up to <paramref name="maxBytes"/>; a longer body is cut (never buffered whole).</summary>
    /// <param name="response">The response.</param>
    /// <param name="maxBytes">The most bytes to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The text and whether it was cut.</returns>
    public static async Task<(string Text, bool Truncated)> ReadBodyAsync(HttpResponseMessage response, int maxBytes = MaxBodyBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var body = await ReadBodyUtf8Async(response, maxBytes, cancellationToken).ConfigureAwait(false);
        return (body.Text, body.Truncated);
    }

    /// <summary>
    /// Reads the body as UTF-8 bytes, up to <paramref name="maxBytes"/>, into a pooled buffer (dispose the result to return
    /// it): the bytes a JSON reader parses without a string in between. The credentials the request carried are searched
    /// for in the bytes; only when one is there, or when the bytes are not valid UTF-8, is the body decoded (invalid bytes
    /// become U+FFFD, as in any string read), redacted as <see cref="RedactCredentials"/> does and encoded again, so what
    /// the bytes and <see cref="ResponseBody.Text"/> say never holds a key and a JSON reader never meets invalid UTF-8.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="maxBytes">The most bytes to read; a longer body is cut.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body; dispose it when done with its bytes.</returns>
    public static async Task<ResponseBody> ReadBodyUtf8Async(HttpResponseMessage response, int maxBytes = MaxBodyBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var length = response.Content.Headers.ContentLength;
        var size = length is > 0 and < int.MaxValue ? (int)Math.Min(length.Value + 1, (long)maxBytes + 1) : 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(size, maxBytes + 1));
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var count = 0;
                while (true)
                {
                    if (count == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(count, Math.Min(buffer.Length, maxBytes + 1) - count), cancellationToken).ConfigureAwait(false);
                    var truncated = read != 0 && count + read > maxBytes;
                    if (read == 0 || truncated)
                    {
                        var kept = truncated ? maxBytes : count;
                        // Bytes that are not valid UTF-8 (a vendor's broken encoding, a cut in the middle of a character)
                        // take the text path too: decoding replaces them with U+FFFD, as reading a string always did, so a
                        // JSON reader never meets them and throws.
                        if (System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, kept)) && !ContainsCredential(buffer.AsSpan(0, kept), response.RequestMessage))
                        {
                            var body = new ResponseBody(buffer, kept, truncated, text: null);
                            buffer = null; // the body returns it
                            return body;
                        }

                        var redacted = RedactCredentials(Encoding.UTF8.GetString(buffer, 0, kept), response.RequestMessage);
                        var bytes = Encoding.UTF8.GetBytes(redacted);
                        return new ResponseBody(bytes, bytes.Length, truncated, redacted, pooled: false);
                    }

                    count += read;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Whether the UTF-8 bytes hold any credential <see cref="RedactCredentials"/> would replace (no allocation).</summary>
    private static bool ContainsCredential(ReadOnlySpan<byte> utf8, HttpRequestMessage? request)
    {
        if (request is null || utf8.IsEmpty)
        {
            return false;
        }

        if (request.Headers.Authorization?.Parameter is { Length: >= MinSecretLength } token && Contains(utf8, token))
        {
            return true;
        }

        if (request.Options.TryGetValue(MediaGenHttpRequest.SecretHeaders, out var secretHeaders))
        {
            for (var i = 0; i < secretHeaders.Count; i++) // by index: no boxed enumerator per response
            {
                if (!request.Headers.NonValidated.TryGetValues(secretHeaders[i], out var values))
                {
                    continue;
                }

                foreach (var value in values)
                {
                    if (value.Length >= MinSecretLength && Contains(utf8, value))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool Contains(ReadOnlySpan<byte> utf8, string secret)
    {
        var most = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = null;
        var scratch = most <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(most));
        try
        {
            var written = Encoding.UTF8.GetBytes(secret, scratch);
            return utf8.IndexOf(scratch[..written]) >= 0;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Replaces the credentials the request carried (the <c>Authorization</c> parameter and every header the provider
    /// declared secret with <see cref="MediaGenHttpRequest.AddSecretHeader"/>) wherever a vendor echoed them in its
    /// response (a debug error page that prints request headers), so a key cannot travel from a response body into an
    /// error message, a log or an exception.
    /// </summary>
    /// <param name="text">The body text.</param>
    /// <param name="request">The request the body answers.</param>
    /// <returns>The text with every credential replaced by <c>***</c>.</returns>
    public static string RedactCredentials(string text, HttpRequestMessage? request)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (request is null || text.Length == 0)
        {
            return text;
        }

        if (request.Headers.Authorization?.Parameter is { Length: >= MinSecretLength } token)
        {
            text = text.Replace(token, "***", StringComparison.Ordinal);
        }

        if (request.Options.TryGetValue(MediaGenHttpRequest.SecretHeaders, out var secretHeaders))
        {
            foreach (var header in secretHeaders)
            {
                if (!request.Headers.TryGetValues(header, out var values))
                {
                    continue;
                }

                foreach (var value in values)
                {
                    if (value.Length >= MinSecretLength)
                    {
                        text = text.Replace(value, "***", StringComparison.Ordinal);
                    }
                }
            }
        }

        return text;
    }

    /// <summary>Shorter header values are not treated as secrets (replacing them would mangle ordinary text).</summary>
    private const int MinSecretLength = 8;

    /// <summary>Reads <c>Retry-After</c> (seconds or an HTTP date) as a delay from now.</summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock for HTTP-date values.</param>
    /// <returns>The delay, or null when absent or unreadable.</returns>
    public static TimeSpan? GetRetryAfter(HttpResponseMessage response, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        return GetRetryAfter(response.Headers.RetryAfter, timeProvider);
    }

    /// <summary>Reads a <c>Retry-After</c> header value as a delay from now.</summary>
    /// <param name="header">The header.</param>
    /// <param name="timeProvider">The clock for HTTP-date values.</param>
    /// <returns>The delay, or null.</returns>
    public static TimeSpan? GetRetryAfter(RetryConditionHeaderValue? header, TimeProvider? timeProvider = null)
    {
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - (timeProvider ?? TimeProvider.System).GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Parses a <c>Retry-After</c> text value (seconds).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The delay, or null.</returns>
    public static TimeSpan? ParseRetryAfterSeconds(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds))
            : null;

    /// <summary>Gets whether the response declares a JSON body.</summary>
    /// <param name="response">The response.</param>
    /// <returns>Whether the content type is JSON (or absent).</returns>
    public static bool IsJson(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return mediaType is null || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Shortens a body for an error message (never includes request headers, so never a key).</summary>
    /// <param name="body">The body.</param>
    /// <returns>At most <see cref="MaxErrorBodyChars"/> characters.</returns>
    public static string Excerpt(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return "(empty body)";
        }

        var trimmed = body.Trim();
        return trimmed.Length <= MaxErrorBodyChars ? trimmed : string.Concat(trimmed.AsSpan(0, MaxErrorBodyChars), "…");
    }
}
