using System.Buffers.Binary;
using System.Text;

namespace MediaGen.Testing;

/// <summary>
/// Writes one H.264 video track as an ISO base media file (MP4): <c>ftyp</c>, then <c>moov</c> (so players can start
/// before the whole file arrives), then <c>mdat</c> with the samples in one chunk.
/// </summary>
internal static class SandboxMp4
{
    /// <summary>The timescale of the movie and of the track: milliseconds.</summary>
    public const int Timescale = 1000;

    private static readonly int[] Matrix = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

    /// <param name="width">The displayed width.</param>
    /// <param name="height">The displayed height.</param>
    /// <param name="sps">The sequence parameter set NAL unit.</param>
    /// <param name="pps">The picture parameter set NAL unit.</param>
    /// <param name="samples">Each sample's NAL units; the first is the sync (IDR) sample.</param>
    /// <param name="durations">Each sample's duration in <see cref="Timescale"/> units.</param>
    public static byte[] Write(int width, int height, byte[] sps, byte[] pps, IReadOnlyList<byte[]> samples, IReadOnlyList<int> durations)
    {
        long total = durations.Sum(d => (long)d);
        var sizes = samples.Select(s => s.Length + 4).ToArray(); // each NAL unit behind a 4-byte length
        using var file = new BoxWriter();

        using (file.Box("ftyp"))
        {
            file.Ascii("isom");
            file.U32(0x200);
            file.Ascii("isomiso2avc1mp41");
        }

        int chunkOffsetAt;
        using (file.Box("moov"))
        {
            using (file.FullBox("mvhd", 0, 0))
            {
                file.U32(0); // creation_time
                file.U32(0); // modification_time
                file.U32(Timescale);
                file.U32((uint)total);
                file.U32(0x00010000); // rate 1.0
                file.U16(0x0100);     // volume 1.0
                file.Zeros(10);
                file.Matrix(Matrix);
                file.Zeros(24);       // pre_defined
                file.U32(2);          // next_track_ID
            }

            using (file.Box("trak"))
            {
                using (file.FullBox("tkhd", 0, 0x3)) // enabled, in movie
                {
                    file.U32(0);
                    file.U32(0);
                    file.U32(1); // track_ID
                    file.U32(0);
                    file.U32((uint)total);
                    file.Zeros(8);
                    file.U16(0); // layer
                    file.U16(0); // alternate_group
                    file.U16(0); // volume: a video track has none
                    file.U16(0);
                    file.Matrix(Matrix);
                    file.U32((uint)width << 16);
                    file.U32((uint)height << 16);
                }

                using (file.Box("mdia"))
                {
                    using (file.FullBox("mdhd", 0, 0))
                    {
                        file.U32(0);
                        file.U32(0);
                        file.U32(Timescale);
                        file.U32((uint)total);
                        file.U16(0x55C4); // language "und"
                        file.U16(0);
                    }

                    using (file.FullBox("hdlr", 0, 0))
                    {
                        file.U32(0);
                        file.Ascii("vide");
                        file.Zeros(12);
                        file.Ascii("MediaGen sandbox video\0");
                    }

                    using (file.Box("minf"))
                    {
                        using (file.FullBox("vmhd", 0, 1))
                        {
                            file.Zeros(8); // graphicsmode, opcolor
                        }

                        using (file.Box("dinf"))
                        using (file.FullBox("dref", 0, 0))
                        {
                            file.U32(1);
                            using (file.FullBox("url ", 0, 1)) // the media is in this file
                            {
                            }
                        }

                        using (file.Box("stbl"))
                        {
                            using (file.FullBox("stsd", 0, 0))
                            {
                                file.U32(1);
                                using (file.Box("avc1"))
                                {
                                    file.Zeros(6);
                                    file.U16(1);          // data_reference_index
                                    file.Zeros(16);       // pre_defined, reserved
                                    file.U16((ushort)width);
                                    file.U16((ushort)height);
                                    file.U32(0x00480000); // 72 dpi
                                    file.U32(0x00480000);
                                    file.U32(0);
                                    file.U16(1);          // frame_count
                                    file.CompressorName("MediaGen sandbox");
                                    file.U16(0x0018);     // depth: colour
                                    file.U16(0xFFFF);     // pre_defined -1
                                    using (file.Box("avcC"))
                                    {
                                        file.U8(1);       // configurationVersion
                                        file.U8(SandboxH264.Profile);
                                        file.U8(SandboxH264.Compatibility);
                                        file.U8(SandboxH264.LevelIndication);
                                        file.U8(0xFF);    // lengthSizeMinusOne = 3
                                        file.U8(0xE1);    // one SPS
                                        file.U16((ushort)sps.Length);
                                        file.Raw(sps);
                                        file.U8(1);       // one PPS
                                        file.U16((ushort)pps.Length);
                                        file.Raw(pps);
                                    }
                                }
                            }

                            using (file.FullBox("stts", 0, 0))
                            {
                                var runs = Runs(durations);
                                file.U32((uint)runs.Count);
                                foreach (var (count, delta) in runs)
                                {
                                    file.U32((uint)count);
                                    file.U32((uint)delta);
                                }
                            }

                            using (file.FullBox("stss", 0, 0))
                            {
                                file.U32(1);
                                file.U32(1); // only the first sample is a sync sample
                            }

                            using (file.FullBox("stsc", 0, 0))
                            {
                                file.U32(1);
                                file.U32(1);                     // first_chunk
                                file.U32((uint)samples.Count);   // samples_per_chunk
                                file.U32(1);                     // sample_description_index
                            }

                            using (file.FullBox("stsz", 0, 0))
                            {
                                file.U32(0); // sizes differ
                                file.U32((uint)samples.Count);
                                foreach (int size in sizes)
                                {
                                    file.U32((uint)size);
                                }
                            }

                            using (file.FullBox("stco", 0, 0))
                            {
                                file.U32(1);
                                chunkOffsetAt = file.Position;
                                file.U32(0); // patched below, once the mdat's place is known
                            }
                        }
                    }
                }
            }
        }

        using (file.Box("mdat"))
        {
            file.Patch(chunkOffsetAt, (uint)file.Position);
            foreach (byte[] sample in samples)
            {
                file.U32((uint)sample.Length);
                file.Raw(sample);
            }
        }

        return file.ToArray();
    }

    private static List<(int Count, int Delta)> Runs(IReadOnlyList<int> durations)
    {
        var runs = new List<(int Count, int Delta)>();
        foreach (int d in durations)
        {
            if (runs.Count > 0 && runs[^1].Delta == d)
            {
                runs[^1] = (runs[^1].Count + 1, d);
            }
            else
            {
                runs.Add((1, d));
            }
        }

        return runs;
    }

    /// <summary>A big-endian writer of nested boxes; disposing a box's scope writes its size.</summary>
    private sealed class BoxWriter : IDisposable
    {
        private readonly MemoryStream _stream = new();

        public int Position => (int)_stream.Position;

        public Scope Box(string type)
        {
            int start = Position;
            U32(0);
            Ascii(type);
            return new Scope(this, start);
        }

        public Scope FullBox(string type, byte version, uint flags)
        {
            Scope scope = Box(type);
            U32(((uint)version << 24) | flags);
            return scope;
        }

        public void U8(byte value) => _stream.WriteByte(value);

        public void U16(ushort value)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(b, value);
            _stream.Write(b);
        }

        public void U32(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(b, value);
            _stream.Write(b);
        }

        public void Zeros(int count)
        {
            for (int i = 0; i < count; i++)
            {
                _stream.WriteByte(0);
            }
        }

        public void Ascii(string text) => _stream.Write(Encoding.ASCII.GetBytes(text));

        public void Raw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

        public void Matrix(int[] values)
        {
            foreach (int v in values)
            {
                U32((uint)v);
            }
        }

        /// <summary>A 32-byte Pascal string, as the visual sample entry's compressorname is.</summary>
        public void CompressorName(string name)
        {
            U8((byte)name.Length);
            Ascii(name);
            Zeros(31 - name.Length);
        }

        public void Patch(int at, uint value)
        {
            long here = _stream.Position;
            _stream.Position = at;
            U32(value);
            _stream.Position = here;
        }

        public byte[] ToArray() => _stream.ToArray();

        public void Dispose() => _stream.Dispose();

        public readonly struct Scope(BoxWriter writer, int start) : IDisposable
        {
            public void Dispose() => writer.Patch(start, (uint)(writer.Position - start));
        }
    }
}
