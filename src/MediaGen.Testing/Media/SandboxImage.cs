using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using MediaGen.Testing.Internal;

namespace MediaGen.Testing;

/// <summary>
/// Creates the sandbox's images: real PNGs a person can open, showing "SANDBOX", the vendor, the model and the prompt,
/// in the requested aspect ratio.
/// </summary>
public static class SandboxImage
{
    /// <summary>The media type of the images this class creates: <c>image/png</c>.</summary>
    public const string ContentType = "image/png";

    /// <summary>The largest accepted width or height, in pixels.</summary>
    public const int MaxDimension = 4096;

    /// <summary>The long side, in pixels, of the images <see cref="CreatePng(string, string, string, string?)"/> creates: 512.</summary>
    public const int LongSide = 512;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Creates a PNG of <paramref name="width"/>×<paramref name="height"/> showing "SANDBOX" and <paramref name="prompt"/>
    /// on a background tinted by a stable hash of the prompt.
    /// </summary>
    /// <param name="prompt">The prompt. The same prompt and size always give identical bytes; different prompts give different pixels.</param>
    /// <param name="width">The width in pixels, 1 to <see cref="MaxDimension"/>. The default is 512.</param>
    /// <param name="height">The height in pixels, 1 to <see cref="MaxDimension"/>. The default is 512.</param>
    /// <returns>The complete PNG file: signature, IHDR, IDAT (zlib) and IEND chunks with valid CRC-32s, 8-bit RGB.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is outside 1 to <see cref="MaxDimension"/>.</exception>
    public static byte[] CreatePng(string prompt, int width = 512, int height = 512)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        CheckDimension(width);
        CheckDimension(height);
        return Encode(SandboxCard.Render(string.Empty, string.Empty, prompt, SandboxCard.Footer(null, width, height), width, height));
    }

    /// <summary>
    /// Creates the PNG a sandbox generation returns: <see cref="LongSide"/> pixels on its long side, in
    /// <paramref name="aspectRatio"/>, showing "SANDBOX", the vendor, the model, the prompt and the ratio.
    /// </summary>
    /// <param name="vendor">The vendor, such as <c>meigen</c>.</param>
    /// <param name="model">The model, such as <c>nanobanana-2</c>.</param>
    /// <param name="prompt">The prompt.</param>
    /// <param name="aspectRatio">The ratio, such as <c>16:9</c> or <c>1024x1536</c>; <see langword="null"/> or a word such as <c>auto</c> gives a square.</param>
    /// <returns>The PNG file. The same arguments always give identical bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/>, <paramref name="model"/> or <paramref name="prompt"/> is <see langword="null"/>.</exception>
    public static byte[] CreatePng(string vendor, string model, string prompt, string? aspectRatio)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        var (width, height) = SizeFor(aspectRatio, LongSide);
        return Encode(SandboxCard.Render(vendor, model, prompt, SandboxCard.Footer(Ratio(aspectRatio) is null ? null : aspectRatio, width, height), width, height));
    }

    /// <summary>Gets the size of an image of <paramref name="aspectRatio"/> whose long side is <paramref name="longSide"/>.</summary>
    /// <param name="aspectRatio">The ratio, such as <c>16:9</c>, <c>9:16</c> or <c>1024x1536</c>; <see langword="null"/> or anything else gives a square.</param>
    /// <param name="longSide">The long side in pixels, 1 to <see cref="MaxDimension"/>.</param>
    /// <returns>The width and height; the short side is rounded to the nearest pixel (at least 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="longSide"/> is outside 1 to <see cref="MaxDimension"/>.</exception>
    public static (int Width, int Height) SizeFor(string? aspectRatio, int longSide = LongSide)
    {
        CheckDimension(longSide);
        if (Ratio(aspectRatio) is not { } ratio)
        {
            return (longSide, longSide);
        }

        var (w, h) = ratio;
        return w >= h
            ? (longSide, Math.Max(1, (int)Math.Round(longSide * h / w)))
            : (Math.Max(1, (int)Math.Round(longSide * w / h)), longSide);
    }

    /// <summary>Reads <c>W:H</c> or <c>WxH</c>; <see langword="null"/> for anything else (<c>auto</c>, <c>adaptive</c>, a typo).</summary>
    internal static (double Width, double Height)? Ratio(string? aspectRatio)
    {
        string[] parts = (aspectRatio ?? string.Empty).Trim().Split(':', 'x', 'X');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double w)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double h)
            && w > 0 && h > 0 && w / h is > 0.05 and < 20
            ? (w, h)
            : null;
    }

    private static void CheckDimension(int pixels, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(pixels))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 1, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixels, MaxDimension, name);
    }

    private static byte[] Encode(SandboxCanvas canvas)
    {
        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, canvas.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], canvas.Height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: truecolour (RGB)
        ihdr[10] = 0; // compression: deflate
        ihdr[11] = 0; // filter method 0
        ihdr[12] = 0; // no interlace
        WriteChunk(output, "IHDR", ihdr);
        WriteChunk(output, "IDAT", Compress(canvas));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] Compress(SandboxCanvas canvas)
    {
        int stride = canvas.Width * 3;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            ReadOnlySpan<byte> none = [0]; // each scanline: filter type None, then the row
            for (int y = 0; y < canvas.Height; y++)
            {
                zlib.Write(none);
                zlib.Write(canvas.Pixels.AsSpan(y * stride, stride));
            }
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
