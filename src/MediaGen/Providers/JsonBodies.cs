using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGen.Providers;

/// <summary>
/// Request bodies written straight to UTF-8: a translated <see cref="JsonObject"/> (and the one field a send adds, such as
/// an idempotency key) becomes the exact bytes sent, through a reused per-thread buffer, with no JSON string, no tree copy
/// and no second encoding on the way (what <c>ToJsonString</c> then <see cref="StringContent"/> cost).
/// </summary>
public static class JsonBodies
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>Serializes the body, with <paramref name="name"/> set to <paramref name="value"/> when a name is given.</summary>
    /// <param name="body">The body (not changed).</param>
    /// <param name="name">A top-level member to set: it keeps its place when the body has it, else it is added last (as <c>body[name] = value</c> would).</param>
    /// <param name="value">The member's string value.</param>
    /// <returns>The UTF-8 JSON, exactly as <c>ToJsonString()</c> of the changed body would encode it.</returns>
    public static byte[] ToUtf8(JsonObject body, string? name = null, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = _writer;
        if (writer is null)
        {
            _writer = writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        try
        {
            writer.WriteStartObject();
            var written = name is null;
            foreach (var (key, node) in body)
            {
                writer.WritePropertyName(key);
                if (!written && string.Equals(key, name, StringComparison.Ordinal))
                {
                    writer.WriteStringValue(value);
                    written = true;
                }
                else if (node is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    node.WriteTo(writer);
                }
            }

            if (!written)
            {
                writer.WritePropertyName(name!);
                writer.WriteStringValue(value);
            }

            writer.WriteEndObject();
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > 64 * 1024)
            {
                _buffer = null; // an unusually large body is not kept alive by the thread
            }
        }
    }

    /// <summary>The content for a UTF-8 JSON body: <c>application/json; charset=utf-8</c>, as <see cref="StringContent"/> labels it.</summary>
    /// <param name="utf8Json">The bytes (sent as they are; a resend may reuse them).</param>
    /// <returns>The content.</returns>
    public static ByteArrayContent Content(byte[] utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        var content = new ByteArrayContent(utf8Json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
