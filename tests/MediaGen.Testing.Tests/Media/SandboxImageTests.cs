using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MediaGen.Testing.Tests.Media;

public class SandboxImageTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void CreatePng_Default_StartsWithPngSignature()
    {
        byte[] png = SandboxImage.CreatePng("a fox");

        Assert.Equal(PngSignature, png[..8]);
    }

    [Fact]
    public void CreatePng_Size_IhdrDescribes8BitRgb()
    {
        List<Chunk> chunks = ReadChunks(SandboxImage.CreatePng("a fox", 37, 21));

        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        byte[] ihdr = chunks[0].Data;
        Assert.Equal(13, ihdr.Length);
        Assert.Equal(37, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(21, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(8, ihdr[8]);  // bit depth
        Assert.Equal(2, ihdr[9]);  // colour type RGB
        Assert.Equal([0, 0, 0], ihdr[10..13]);
        Assert.Empty(chunks[2].Data);
    }

    [Fact]
    public void CreatePng_EveryChunk_HasValidCrc()
    {
        List<Chunk> chunks = ReadChunks(SandboxImage.CreatePng("crc check", 64, 48));

        Assert.All(chunks, c => Assert.Equal(ReferenceCrc32([.. Encoding.ASCII.GetBytes(c.Type), .. c.Data]), c.Crc));
    }

    [Fact]
    public void CreatePng_KnownCrc_MatchesPublishedIendValue()
    {
        // Every PNG ends with the same IEND chunk: its CRC is the well-known AE 42 60 82.
        byte[] png = SandboxImage.CreatePng("anything", 1, 1);

        Assert.Equal([0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82], png[^12..]);
    }

    [Fact]
    public void CreatePng_Idat_InflatesToOneFilterBytePlusRgbPerRow()
    {
        byte[] raw = Inflate(ReadChunks(SandboxImage.CreatePng("inflate me", 30, 20)).Single(c => c.Type == "IDAT").Data);

        Assert.Equal(20 * (1 + (30 * 3)), raw.Length);
        for (int row = 0; row < 20; row++)
        {
            Assert.Equal(0, raw[row * 91]);
        }
    }

    [Fact]
    public void CreatePng_DifferentPrompts_GiveDifferentPixels()
    {
        byte[] a = Pixels(SandboxImage.CreatePng("a red fox", 32, 32));
        byte[] b = Pixels(SandboxImage.CreatePng("a blue whale", 32, 32));

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void CreatePng_SamePrompt_GivesIdenticalBytes()
    {
        Assert.Equal(SandboxImage.CreatePng("same", 40, 30), SandboxImage.CreatePng("same", 40, 30));
    }

    [Theory]
    [InlineData("16:9", 512, 288)]
    [InlineData("9:16", 288, 512)]
    [InlineData("1:1", 512, 512)]
    [InlineData("4:3", 512, 384)]
    [InlineData("21:9", 512, 219)]
    [InlineData("1024x1536", 341, 512)]
    [InlineData("auto", 512, 512)]
    [InlineData(null, 512, 512)]
    public void CreatePng_AspectRatio_Is512OnTheLongSideInThatRatio(string? ratio, int width, int height)
    {
        byte[] ihdr = ReadChunks(SandboxImage.CreatePng("MeiGen", "nanobanana-2", "a red fox", ratio))[0].Data;

        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
    }

    [Theory]
    [InlineData("16:9")]
    [InlineData("9:16")]
    [InlineData("21:9")]
    public void CreatePng_Card_ShowsThePromptAndTheVendorAndModelInTheFont(string ratio)
    {
        byte[] png = SandboxImage.CreatePng("MeiGen", "nanobanana-2", "a red fox at dawn", ratio);
        var (width, height) = SandboxImage.SizeFor(ratio);
        byte[] raw = Pixels(png);

        Assert.True(Shows(raw, width, height, "a red fox at dawn", Ink), "the prompt is not drawn in the font");
        Assert.True(Shows(raw, width, height, "MeiGen / nanobanana-2", Label), "the vendor and model are not drawn in the font");
    }

    [Fact]
    public void CreatePng_NonAsciiPrompt_IsFoldedToTheFontsCharacters()
    {
        byte[] raw = Pixels(SandboxImage.CreatePng("Apiframe", "flux-2-pro", "Crème brûlée — “dessert”", "1:1"));

        Assert.True(Shows(raw, 512, 512, "Creme brulee - \"dessert\"", Ink));
    }

    [Fact]
    public void CreatePng_LongPrompt_IsWrappedAndCutWithAnEllipsisInsideThePicture()
    {
        string prompt = string.Join(' ', Enumerable.Repeat("lighthouse", 400));

        byte[] png = SandboxImage.CreatePng("VeoGen Studio", "gpt-4o-image", prompt, "16:9");

        Assert.Equal(288, BinaryPrimitives.ReadInt32BigEndian(ReadChunks(png)[0].Data.AsSpan(4)));
        List<string> lines = SandboxCard.Wrap(prompt, 20, 3);
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.True(l.Length <= 20, l));
        Assert.EndsWith("...", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void CreatePng_A512PixelCard_TakesWellUnderAFrameOfTime()
    {
        SandboxImage.CreatePng("MeiGen", "warm-up", "warm up", "1:1");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            SandboxImage.CreatePng("MeiGen", "nanobanana-2", "speed " + i, "1:1");
        }

        // Emulators make one per finished job; a reliability run finishes a thousand.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"20 cards took {clock.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(SandboxImage.MaxDimension + 1, 10)]
    public void CreatePng_InvalidSize_Throws(int width, int height)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SandboxImage.CreatePng("x", width, height));
    }

    private static readonly SandboxColor Ink = new(245, 245, 245);
    private static readonly SandboxColor Label = new(140, 220, 255);

    /// <summary>
    /// Whether <paramref name="text"/> is drawn in <paramref name="color"/> as the first line of that colour: the
    /// pixels of that colour in the line's band equal the font's rendering of the text, at some scale.
    /// </summary>
    private static bool Shows(byte[] raw, int width, int height, string text, SandboxColor color)
    {
        var actual = Mask(raw, width, height, color);
        if (actual.Count == 0)
        {
            return false;
        }

        for (int scale = 1; scale <= 6; scale++)
        {
            var reference = new SandboxCanvas(SandboxFont.Measure(text, scale) + 2, SandboxFont.CellHeight * scale);
            SandboxFont.Draw(reference, 0, 0, text, scale, color);
            var expected = Mask(reference, color);
            int top = actual.Min(p => p.Y);
            var line = actual.Where(p => p.Y < top + (SandboxFont.CellHeight * scale)).ToList();
            if (Normalize(line).SetEquals(Normalize(expected)))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<(int X, int Y)> Normalize(List<(int X, int Y)> points)
    {
        int left = points.Min(p => p.X);
        int top = points.Min(p => p.Y);
        return [.. points.Select(p => (p.X - left, p.Y - top))];
    }

    private static List<(int X, int Y)> Mask(byte[] raw, int width, int height, SandboxColor color)
    {
        var points = new List<(int X, int Y)>();
        int stride = 1 + (width * 3);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int p = (y * stride) + 1 + (x * 3);
                if (raw[p] == color.R && raw[p + 1] == color.G && raw[p + 2] == color.B)
                {
                    points.Add((x, y));
                }
            }
        }

        return points;
    }

    private static List<(int X, int Y)> Mask(SandboxCanvas canvas, SandboxColor color)
    {
        var points = new List<(int X, int Y)>();
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                if (canvas[x, y] == color)
                {
                    points.Add((x, y));
                }
            }
        }

        return points;
    }

    private sealed record Chunk(string Type, byte[] Data, uint Crc);

    private static List<Chunk> ReadChunks(byte[] png)
    {
        var chunks = new List<Chunk>();
        int offset = 8;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            byte[] data = png[(offset + 8)..(offset + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            chunks.Add(new Chunk(type, data, crc));
            offset += 12 + length;
        }

        Assert.Equal(png.Length, offset);
        return chunks;
    }

    private static byte[] Pixels(byte[] png) => Inflate(ReadChunks(png).Single(c => c.Type == "IDAT").Data);

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    // Bit-by-bit CRC-32 (no table), independent of the library's table-driven implementation.
    private static uint ReferenceCrc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
