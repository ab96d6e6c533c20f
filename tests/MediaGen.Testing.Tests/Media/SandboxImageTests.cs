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

    [Fact]
    public void CreatePng_Gradient_IsNotASingleColour()
    {
        byte[] raw = Pixels(SandboxImage.CreatePng("gradient", 64, 64));

        Assert.True(raw.Distinct().Count() > 8);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(SandboxImage.MaxDimension + 1, 10)]
    public void CreatePng_InvalidSize_Throws(int width, int height)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SandboxImage.CreatePng("x", width, height));
    }

    [Fact]
    public void CreateVideoPlaceholder_StartsWithFtypBoxAndIsDeterministic()
    {
        byte[] video = SandboxMedia.CreateVideoPlaceholder("a cat video");

        Assert.Equal(SandboxMedia.VideoPlaceholderLength, video.Length);
        int ftypSize = BinaryPrimitives.ReadInt32BigEndian(video);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(video, 4, 4));
        Assert.Equal("isom", Encoding.ASCII.GetString(video, 8, 4));
        Assert.Equal(video.Length - ftypSize, BinaryPrimitives.ReadInt32BigEndian(video.AsSpan(ftypSize)));
        Assert.Equal("free", Encoding.ASCII.GetString(video, ftypSize + 4, 4));
        Assert.Equal(video, SandboxMedia.CreateVideoPlaceholder("a cat video"));
        Assert.NotEqual(video, SandboxMedia.CreateVideoPlaceholder("a dog video"));
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
