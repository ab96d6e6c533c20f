using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MediaGen.Testing.Tests.Media;

/// <summary>Sandbox videos are real MP4s: the box structure, the timing and the H.264 parameter sets a player reads.</summary>
public class SandboxMediaTests
{
    [Fact]
    public void CreateVideo_Any_IsFtypMoovMdatWithOneVideoTrack()
    {
        byte[] mp4 = SandboxMedia.CreateVideo("MeiGen", "seedance-2-0", "an eagle over a valley", "16:9", TimeSpan.FromSeconds(5));

        List<Mp4Box> boxes = Mp4Box.ReadFile(mp4);

        Assert.Equal(["ftyp", "moov", "mdat"], boxes.Select(b => b.Type));
        Assert.Equal("isom", Encoding.ASCII.GetString(boxes[0].Payload[..4]));
        Assert.Equal("vide", Encoding.ASCII.GetString(Mp4Box.Find(boxes, "moov/trak/mdia/hdlr").Payload[8..12]));
        foreach (string path in (string[])["moov/mvhd", "moov/trak/tkhd", "moov/trak/mdia/mdhd", "moov/trak/mdia/minf/vmhd", "moov/trak/mdia/minf/dinf/dref",
            "moov/trak/mdia/minf/stbl/stsd/avc1/avcC", "moov/trak/mdia/minf/stbl/stts", "moov/trak/mdia/minf/stbl/stss", "moov/trak/mdia/minf/stbl/stsc",
            "moov/trak/mdia/minf/stbl/stsz", "moov/trak/mdia/minf/stbl/stco"])
        {
            Mp4Box.Find(boxes, path);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(15)]
    public void CreateVideo_Duration_IsTheRequestedLengthWithFpsTimesDurationSamples(int seconds)
    {
        List<Mp4Box> boxes = Mp4Box.ReadFile(SandboxMedia.CreateVideo("VeoGen Studio", "veo-3.1-fast", "a wave", "16:9", TimeSpan.FromSeconds(seconds)));

        Mp4Box mvhd = Mp4Box.Find(boxes, "moov/mvhd");
        Mp4Box mdhd = Mp4Box.Find(boxes, "moov/trak/mdia/mdhd");
        Mp4Box stts = Mp4Box.Find(boxes, "moov/trak/mdia/minf/stbl/stts");
        Mp4Box stsz = Mp4Box.Find(boxes, "moov/trak/mdia/minf/stbl/stsz");
        Assert.Equal(seconds, (double)mvhd.U32(16) / mvhd.U32(12));   // version 0: duration / timescale
        Assert.Equal(seconds, (double)mdhd.U32(16) / mdhd.U32(12));
        Assert.Equal(seconds, (double)Mp4Box.Find(boxes, "moov/trak/tkhd").U32(20) / mvhd.U32(12));
        uint samples = stsz.U32(8);
        Assert.Equal(SandboxMedia.VideoFramesPerSecond * seconds, (int)samples);

        long sampleTime = 0, sampleCount = 0;
        for (int i = 0; i < stts.U32(4); i++)
        {
            sampleCount += stts.U32(8 + (8 * i));
            sampleTime += (long)stts.U32(8 + (8 * i)) * stts.U32(12 + (8 * i));
        }

        Assert.Equal(samples, sampleCount);
        Assert.Equal(mdhd.U32(16), sampleTime);
    }

    [Theory]
    [InlineData("16:9", 16.0 / 9)]
    [InlineData("9:16", 9.0 / 16)]
    [InlineData("1:1", 1.0)]
    [InlineData("4:3", 4.0 / 3)]
    [InlineData("3:4", 3.0 / 4)]
    [InlineData("21:9", 21.0 / 9)]
    [InlineData("adaptive", 1.0)]
    public void CreateVideo_AspectRatio_TrackAndStreamAreThatRatioAt320OnTheLongSide(string ratio, double expected)
    {
        List<Mp4Box> boxes = Mp4Box.ReadFile(SandboxMedia.CreateVideo("Apiframe", "kling-2.6", "a cat", ratio, TimeSpan.FromSeconds(5)));

        Mp4Box tkhd = Mp4Box.Find(boxes, "moov/trak/tkhd");
        int width = (int)(tkhd.U32(76) >> 16);
        int height = (int)(tkhd.U32(80) >> 16);
        Mp4Box avc1 = Mp4Box.Find(boxes, "moov/trak/mdia/minf/stbl/stsd/avc1");
        var (_, spsWidth, spsHeight) = SpsReader.Read(Sps(boxes));

        Assert.Equal(SandboxMedia.VideoLongSide, Math.Max(width, height));
        Assert.Equal(expected, (double)width / height, 0.01 * expected);
        Assert.Equal((width, height), ((int)avc1.U16(24), (int)avc1.U16(26)));
        Assert.Equal((width, height), (spsWidth, spsHeight)); // the stream's cropped size is the track's
    }

    [Fact]
    public void CreateVideo_Samples_FirstIsTheOnlySyncSampleAndAnIdrPictureTheRestPPictures()
    {
        byte[] mp4 = SandboxMedia.CreateVideo("MeiGen", "veo-3.1", "rain", "9:16", TimeSpan.FromSeconds(4));
        List<Mp4Box> boxes = Mp4Box.ReadFile(mp4);

        Mp4Box stss = Mp4Box.Find(boxes, "moov/trak/mdia/minf/stbl/stss");
        Mp4Box stsz = Mp4Box.Find(boxes, "moov/trak/mdia/minf/stbl/stsz");
        Mp4Box stco = Mp4Box.Find(boxes, "moov/trak/mdia/minf/stbl/stco");
        Mp4Box mdat = Assert.Single(boxes, b => b.Type == "mdat");
        Assert.Equal((1u, 1u), (stss.U32(4), stss.U32(8)));
        Assert.Equal(1u, stco.U32(4));
        int offset = (int)stco.U32(8);
        Assert.Equal(mdat.PayloadStart, offset);
        var nalTypes = new List<int>();
        for (int i = 0; i < stsz.U32(8); i++)
        {
            int size = (int)stsz.U32(12 + (4 * i));
            int nalLength = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan(offset));
            Assert.Equal(size, 4 + nalLength); // one length-prefixed NAL unit a sample
            nalTypes.Add(mp4[offset + 4] & 0x1F);
            offset += size;
        }

        Assert.Equal(mdat.Start + mdat.Size, offset);
        Assert.Equal(5, nalTypes[0]);
        Assert.All(nalTypes.Skip(1), t => Assert.Equal(1, t));
    }

    [Fact]
    public void CreateVideo_AvcC_CarriesOneBaselineSpsAndOnePps()
    {
        List<Mp4Box> boxes = Mp4Box.ReadFile(SandboxMedia.CreateVideo("MeiGen", "seedance-2-0", "x", "16:9", TimeSpan.FromSeconds(5)));

        ReadOnlySpan<byte> avcC = Mp4Box.Find(boxes, "moov/trak/mdia/minf/stbl/stsd/avc1/avcC").Payload;
        Assert.Equal(1, avcC[0]);                 // configurationVersion
        Assert.Equal(66, avcC[1]);                // Baseline
        Assert.Equal(3, avcC[4] & 0x03);          // 4-byte NAL lengths
        Assert.Equal(1, avcC[5] & 0x1F);          // one SPS
        int spsLength = (avcC[6] << 8) | avcC[7];
        Assert.Equal(7, avcC[8] & 0x1F);
        int pps = 8 + spsLength;
        Assert.Equal(1, avcC[pps]);               // one PPS
        Assert.Equal(8, avcC[pps + 3] & 0x1F);
        Assert.Equal(66, SpsReader.Read(Sps(boxes)).Profile);
    }

    [Fact]
    public void CreateVideo_SameArguments_GiveIdenticalBytesAndAreSmall()
    {
        byte[] a = SandboxMedia.CreateVideo("MeiGen", "veo-3.1", "same", "16:9", TimeSpan.FromSeconds(8));

        Assert.Equal(a, SandboxMedia.CreateVideo("MeiGen", "veo-3.1", "same", "16:9", TimeSpan.FromSeconds(8)));
        Assert.NotEqual(a, SandboxMedia.CreateVideo("MeiGen", "veo-3.1", "other", "16:9", TimeSpan.FromSeconds(8)));
        Assert.InRange(a.Length, 320 * 180, 320 * 192 * 2); // one uncompressed 4:2:0 picture, then a few bytes a frame
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(601)]
    public void CreateVideo_DurationOutOfRange_Throws(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SandboxMedia.CreateVideo("MeiGen", "veo-3.1", "x", "16:9", TimeSpan.FromSeconds(seconds)));
    }

    /// <summary>Where ffprobe is installed (not in CI), a real decoder reads every frame at the size and length asked for.</summary>
    [Theory]
    [InlineData("16:9", 5)]
    [InlineData("9:16", 4)]
    public async Task CreateVideo_WithFfprobeInstalled_DecodesEveryFrame(string ratio, int seconds)
    {
        string? ffprobe = Tool("ffprobe");
        if (ffprobe is null)
        {
            return;
        }

        string file = Path.Combine(Directory.CreateTempSubdirectory("mediagen-video-").FullName, "clip.mp4");
        await File.WriteAllBytesAsync(file, SandboxMedia.CreateVideo("MeiGen", "seedance-2-0", "an eagle", ratio, TimeSpan.FromSeconds(seconds)));
        var (width, height) = SandboxMedia.VideoSizeFor(ratio);

        var start = new ProcessStartInfo(ffprobe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["-v", "error", "-count_frames", "-show_entries", "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "json", file])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0 && errors.Length == 0, errors);
        using var json = JsonDocument.Parse(output);
        JsonElement stream = json.RootElement.GetProperty("streams")[0];
        Assert.Equal("h264", stream.GetProperty("codec_name").GetString());
        Assert.Equal(width, stream.GetProperty("width").GetInt32());
        Assert.Equal(height, stream.GetProperty("height").GetInt32());
        Assert.Equal((SandboxMedia.VideoFramesPerSecond * seconds).ToString(CultureInfo.InvariantCulture), stream.GetProperty("nb_read_frames").GetString());
        Assert.Equal(seconds, double.Parse(json.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture), 0.01);
    }

    private static byte[] Sps(List<Mp4Box> boxes)
    {
        ReadOnlySpan<byte> avcC = Mp4Box.Find(boxes, "moov/trak/mdia/minf/stbl/stsd/avc1/avcC").Payload;
        int length = (avcC[6] << 8) | avcC[7];
        return avcC.Slice(8, length).ToArray();
    }

    private static string? Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
