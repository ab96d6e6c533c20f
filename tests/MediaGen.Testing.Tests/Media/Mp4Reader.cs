using System.Buffers.Binary;
using System.Text;

namespace MediaGen.Testing.Tests.Media;

/// <summary>An ISO base media file read as a tree of boxes, written for the tests from ISO/IEC 14496-12 (not from the writer).</summary>
internal sealed class Mp4Box
{
    private static readonly HashSet<string> Containers = ["moov", "trak", "mdia", "minf", "dinf", "stbl", "edts"];

    private Mp4Box(string type, byte[] file, int start, int size, int headerSize)
    {
        Type = type;
        File = file;
        Start = start;
        Size = size;
        HeaderSize = headerSize;
    }

    public string Type { get; }

    public byte[] File { get; }

    public int Start { get; }

    public int Size { get; }

    public int HeaderSize { get; }

    public int PayloadStart => Start + HeaderSize;

    public ReadOnlySpan<byte> Payload => File.AsSpan(PayloadStart, Size - HeaderSize);

    public List<Mp4Box> Children { get; } = [];

    public static List<Mp4Box> ReadFile(byte[] file)
    {
        var boxes = Read(file, 0, file.Length);
        Assert.Equal(file.Length, boxes.Sum(b => b.Size));
        return boxes;
    }

    /// <summary>The one box at a path of types such as <c>moov/trak/mdia/mdhd</c>.</summary>
    public static Mp4Box Find(IReadOnlyList<Mp4Box> boxes, string path)
    {
        Mp4Box? box = null;
        IReadOnlyList<Mp4Box> level = boxes;
        foreach (string type in path.Split('/'))
        {
            box = Assert.Single(level, b => b.Type == type);
            level = box.Children;
        }

        return box!;
    }

    public uint U32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(Payload[offset..]);

    public ushort U16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(Payload[offset..]);

    private static List<Mp4Box> Read(byte[] file, int start, int end)
    {
        var boxes = new List<Mp4Box>();
        int offset = start;
        while (offset < end)
        {
            Assert.True(end - offset >= 8, $"a truncated box header at {offset}");
            int size = checked((int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset)));
            string type = Encoding.ASCII.GetString(file, offset + 4, 4);
            Assert.True(size >= 8 && offset + size <= end, $"box '{type}' at {offset} has size {size} past its parent's end {end}");
            var box = new Mp4Box(type, file, offset, size, 8);
            if (Containers.Contains(type))
            {
                box.Children.AddRange(Read(file, offset + 8, offset + size));
            }
            else if (type is "dref" or "stsd")
            {
                // Full box header (4) and an entry count (4), then boxes.
                box.Children.AddRange(Read(file, offset + 16, offset + size));
            }
            else if (type == "avc1")
            {
                // The visual sample entry's 78 bytes of fields, then its boxes (avcC).
                box.Children.AddRange(Read(file, offset + 8 + 78, offset + size));
            }

            boxes.Add(box);
            offset += size;
        }

        return boxes;
    }
}

/// <summary>Reads the fields of an H.264 sequence parameter set that give the picture size (ITU-T H.264 §7.3.2.1.1).</summary>
internal static class SpsReader
{
    public static (int Profile, int Width, int Height) Read(ReadOnlySpan<byte> nal)
    {
        Assert.Equal(7, nal[0] & 0x1F);
        var rbsp = new List<byte>();
        for (int i = 1; i < nal.Length; i++)
        {
            // Drop emulation-prevention bytes (00 00 03).
            if (i >= 3 && nal[i] == 3 && nal[i - 1] == 0 && nal[i - 2] == 0)
            {
                continue;
            }

            rbsp.Add(nal[i]);
        }

        var bits = new Bits([.. rbsp]);
        int profile = bits.Read(8);
        bits.Read(16); // constraint flags, level
        bits.Ue();     // seq_parameter_set_id
        Assert.True(profile is 66 or 77 or 88, "the reader handles the profiles without chroma_format_idc only");
        bits.Ue();     // log2_max_frame_num_minus4
        uint pocType = bits.Ue();
        if (pocType == 0)
        {
            bits.Ue();
        }
        else if (pocType == 1)
        {
            bits.Read(1);
            bits.Se();
            bits.Se();
            uint cycle = bits.Ue();
            for (int i = 0; i < cycle; i++)
            {
                bits.Se();
            }
        }

        bits.Ue();     // max_num_ref_frames
        bits.Read(1);  // gaps_in_frame_num_value_allowed_flag
        int mbWidth = (int)bits.Ue() + 1;
        int mapHeight = (int)bits.Ue() + 1;
        int frameMbsOnly = bits.Read(1);
        if (frameMbsOnly == 0)
        {
            bits.Read(1);
        }

        bits.Read(1);  // direct_8x8_inference_flag
        int width = mbWidth * 16;
        int height = (2 - frameMbsOnly) * mapHeight * 16;
        if (bits.Read(1) == 1)
        {
            int left = (int)bits.Ue(), right = (int)bits.Ue(), top = (int)bits.Ue(), bottom = (int)bits.Ue();
            width -= 2 * (left + right);
            height -= 2 * (2 - frameMbsOnly) * (top + bottom);
        }

        return (profile, width, height);
    }

    private sealed class Bits(byte[] data)
    {
        private int _position;

        public int Read(int count)
        {
            int value = 0;
            for (int i = 0; i < count; i++, _position++)
            {
                value = (value << 1) | ((data[_position >> 3] >> (7 - (_position & 7))) & 1);
            }

            return value;
        }

        public uint Ue()
        {
            int zeros = 0;
            while (Read(1) == 0)
            {
                zeros++;
            }

            return (uint)((1 << zeros) - 1 + Read(zeros));
        }

        public int Se()
        {
            uint k = Ue();
            return (k & 1) == 1 ? (int)((k + 1) / 2) : -(int)(k / 2);
        }
    }
}
