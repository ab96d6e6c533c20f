using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MediaGen.Testing.Internal;

namespace MediaGen.Testing;

/// <summary>Creates real, valid PNG images for sandbox and emulator responses.</summary>
public static class SandboxImage
{
    /// <summary>The media type of the images this class creates: <c>image/png</c>.</summary>
    public const string ContentType = "image/png";

    /// <summary>The largest accepted width or height, in pixels.</summary>
    public const int MaxDimension = 4096;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Creates a PNG (8-bit RGB, not interlaced) showing a gradient whose colours derive from a stable hash of
    /// <paramref name="prompt"/>.
    /// </summary>
    /// <param name="prompt">The prompt. The same prompt and size always give identical bytes; different prompts give different pixels.</param>
    /// <param name="width">The width in pixels, 1 to <see cref="MaxDimension"/>. The default is 512.</param>
    /// <param name="height">The height in pixels, 1 to <see cref="MaxDimension"/>. The default is 512.</param>
    /// <returns>The complete PNG file: signature, IHDR, IDAT (zlib) and IEND chunks with valid CRC-32s.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is outside 1 to <see cref="MaxDimension"/>.</exception>
    public static byte[] CreatePng(string prompt, int width = 512, int height = 512)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);

        ulong hash = StableHash.Fnv1a64(prompt);
        // Two corner colours from the hash; the third channel mix keeps neighbouring prompts visibly different.
        (byte R, byte G, byte B) from = ((byte)hash, (byte)(hash >> 8), (byte)(hash >> 16));
        (byte R, byte G, byte B) to = ((byte)(hash >> 24), (byte)(hash >> 32), (byte)(hash >> 40));

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: truecolour (RGB)
        ihdr[10] = 0; // compression: deflate
        ihdr[11] = 0; // filter method 0
        ihdr[12] = 0; // no interlace
        WriteChunk(output, "IHDR", ihdr);

        WriteChunk(output, "IDAT", Compress(BuildScanlines(width, height, from, to)));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] BuildScanlines(int width, int height, (byte R, byte G, byte B) from, (byte R, byte G, byte B) to)
    {
        int stride = 1 + (width * 3);
        var raw = new byte[stride * height];
        int xSpan = Math.Max(width - 1, 1);
        int ySpan = Math.Max(height - 1, 1);
        for (int y = 0; y < height; y++)
        {
            int row = y * stride;
            raw[row] = 0; // filter type None
            for (int x = 0; x < width; x++)
            {
                int p = row + 1 + (x * 3);
                raw[p] = Lerp(from.R, to.R, x, xSpan);                         // red: horizontal
                raw[p + 1] = Lerp(from.G, to.G, y, ySpan);                     // green: vertical
                raw[p + 2] = Lerp(from.B, to.B, x + y, xSpan + ySpan);         // blue: diagonal
            }
        }

        return raw;
    }

    private static byte Lerp(byte a, byte b, int step, int steps) => (byte)(a + ((b - a) * step / steps));

    private static byte[] Compress(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(data);

        uint crc = Crc32.Append(Crc32.Compute(header[4..]), data);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }
}
