using System.Buffers.Binary;
using System.Text;
using MediaGen.Testing.Internal;

namespace MediaGen.Testing;

/// <summary>Creates sandbox media other than images (see <see cref="SandboxImage"/> for PNGs).</summary>
public static class SandboxMedia
{
    /// <summary>The media type emulators should serve video placeholders with: <c>video/mp4</c>.</summary>
    public const string VideoContentType = "video/mp4";

    /// <summary>The size in bytes of every video placeholder: 4096.</summary>
    public const int VideoPlaceholderLength = 4096;

    /// <summary>
    /// Creates a deterministic video <em>placeholder</em>: an ISO-BMFF <c>ftyp</c> box (brand <c>isom</c>) followed by a
    /// <c>free</c> box of bytes derived from a stable hash of <paramref name="prompt"/>.
    /// </summary>
    /// <param name="prompt">The prompt. The same prompt always gives identical bytes.</param>
    /// <returns><see cref="VideoPlaceholderLength"/> bytes.</returns>
    /// <remarks>
    /// The bytes sniff as MP4 (they start with a valid <c>ftyp</c> box header and the file is a valid sequence of boxes)
    /// but contain no <c>moov</c> or <c>mdat</c> box: no player can play them. They are for download and
    /// content-type tests only.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    public static byte[] CreateVideoPlaceholder(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var bytes = new byte[VideoPlaceholderLength];
        Span<byte> span = bytes;

        // ftyp: size, type, major brand, minor version, compatible brands.
        const int FtypLength = 28;
        BinaryPrimitives.WriteInt32BigEndian(span, FtypLength);
        Encoding.ASCII.GetBytes("ftypisom", span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], 0x200);
        Encoding.ASCII.GetBytes("isomiso2mp41", span[16..]);

        // free: the rest of the file, filled from a xorshift64 stream seeded by the prompt's hash.
        Span<byte> free = span[FtypLength..];
        BinaryPrimitives.WriteInt32BigEndian(free, free.Length);
        Encoding.ASCII.GetBytes("free", free[4..]);
        ulong state = StableHash.Fnv1a64(prompt) | 1;
        for (int i = 8; i < free.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            free[i] = (byte)state;
        }

        return bytes;
    }
}
