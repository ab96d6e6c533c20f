namespace MediaGen.Testing;

/// <summary>
/// The smallest H.264 encoder that gives a real, playable stream (ITU-T H.264, Constrained Baseline profile, CAVLC): one
/// IDR picture whose macroblocks are all I_PCM (the samples stored as they are, no transform), then P pictures made
/// entirely of P_Skip macroblocks (each repeats the picture before it). Every decoder plays it; it shows a still card.
/// </summary>
internal static class SandboxH264
{
    private const int MacroblockSize = 16;
    private const int Log2MaxFrameNum = 16;
    private const byte ProfileBaseline = 66;
    private const byte ConstraintFlags = 0xC0; // constraint_set0 + set1: Constrained Baseline, decodable by Main decoders
    private const byte Level = 30;             // 3.0: up to 1,620 macroblocks a picture, so 320x320 and larger fit

    public static byte Profile => ProfileBaseline;

    public static byte Compatibility => ConstraintFlags;

    public static byte LevelIndication => Level;

    /// <summary>The sequence parameter set NAL unit (no start code), for the picture's size with cropping to it.</summary>
    public static byte[] SequenceParameterSet(int width, int height)
    {
        int mbWidth = (width + MacroblockSize - 1) / MacroblockSize;
        int mbHeight = (height + MacroblockSize - 1) / MacroblockSize;
        var bits = new BitWriter();
        bits.Bits(ProfileBaseline, 8);
        bits.Bits(ConstraintFlags, 8);
        bits.Bits(Level, 8);
        bits.Ue(0);                        // seq_parameter_set_id
        bits.Ue(Log2MaxFrameNum - 4);      // log2_max_frame_num_minus4
        bits.Ue(2);                        // pic_order_cnt_type 2: output order = decoding order (no B pictures)
        bits.Ue(1);                        // max_num_ref_frames
        bits.Bit(false);                   // gaps_in_frame_num_value_allowed_flag
        bits.Ue((uint)(mbWidth - 1));      // pic_width_in_mbs_minus1
        bits.Ue((uint)(mbHeight - 1));     // pic_height_in_map_units_minus1
        bits.Bit(true);                    // frame_mbs_only_flag
        bits.Bit(true);                    // direct_8x8_inference_flag
        int cropRight = (mbWidth * MacroblockSize) - width;
        int cropBottom = (mbHeight * MacroblockSize) - height;
        bool crop = cropRight != 0 || cropBottom != 0;
        bits.Bit(crop);                    // frame_cropping_flag
        if (crop)
        {
            // In 4:2:0 the crop offsets count pairs of samples.
            bits.Ue(0);
            bits.Ue((uint)(cropRight / 2));
            bits.Ue(0);
            bits.Ue((uint)(cropBottom / 2));
        }

        bits.Bit(false);                   // vui_parameters_present_flag
        bits.Trailing();
        return Nal(3, 7, bits);
    }

    /// <summary>The picture parameter set NAL unit (no start code).</summary>
    public static byte[] PictureParameterSet()
    {
        var bits = new BitWriter();
        bits.Ue(0);        // pic_parameter_set_id
        bits.Ue(0);        // seq_parameter_set_id
        bits.Bit(false);   // entropy_coding_mode_flag: CAVLC
        bits.Bit(false);   // bottom_field_pic_order_in_frame_present_flag
        bits.Ue(0);        // num_slice_groups_minus1
        bits.Ue(0);        // num_ref_idx_l0_default_active_minus1
        bits.Ue(0);        // num_ref_idx_l1_default_active_minus1
        bits.Bit(false);   // weighted_pred_flag
        bits.Bits(0, 2);   // weighted_bipred_idc
        bits.Se(0);        // pic_init_qp_minus26
        bits.Se(0);        // pic_init_qs_minus26
        bits.Se(0);        // chroma_qp_index_offset
        bits.Bit(true);    // deblocking_filter_control_present_flag
        bits.Bit(false);   // constrained_intra_pred_flag
        bits.Bit(false);   // redundant_pic_cnt_present_flag
        bits.Trailing();
        return Nal(3, 8, bits);
    }

    /// <summary>
    /// The IDR picture: every macroblock I_PCM, taken from the 4:2:0 planes (sizes padded to whole macroblocks).
    /// </summary>
    public static byte[] IdrPicture(YuvPicture picture)
    {
        var bits = new BitWriter();
        bits.Ue(0);                        // first_mb_in_slice
        bits.Ue(7);                        // slice_type: I (every slice of the picture)
        bits.Ue(0);                        // pic_parameter_set_id
        bits.Bits(0, Log2MaxFrameNum);     // frame_num
        bits.Ue(0);                        // idr_pic_id
        bits.Bit(false);                   // no_output_of_prior_pics_flag
        bits.Bit(false);                   // long_term_reference_flag
        bits.Se(0);                        // slice_qp_delta
        bits.Ue(1);                        // disable_deblocking_filter_idc: off (PCM needs none)
        for (int mbY = 0; mbY < picture.MacroblockRows; mbY++)
        {
            for (int mbX = 0; mbX < picture.MacroblockColumns; mbX++)
            {
                bits.Ue(25);               // mb_type: I_PCM
                bits.AlignWithZeros();     // pcm_alignment_zero_bit
                bits.Bytes(picture.Macroblock(mbX, mbY));
            }
        }

        bits.Trailing();
        return Nal(3, 5, bits);
    }

    /// <summary>A P picture that repeats the one before it: one run of P_Skip over every macroblock.</summary>
    public static byte[] SkipPicture(int frameNumber, int macroblocks)
    {
        var bits = new BitWriter();
        bits.Ue(0);                                                  // first_mb_in_slice
        bits.Ue(5);                                                  // slice_type: P (every slice of the picture)
        bits.Ue(0);                                                  // pic_parameter_set_id
        bits.Bits((uint)(frameNumber % (1 << Log2MaxFrameNum)), Log2MaxFrameNum); // frame_num
        bits.Bit(false);                                             // num_ref_idx_active_override_flag
        bits.Bit(false);                                             // ref_pic_list_modification_flag_l0
        bits.Bit(false);                                             // adaptive_ref_pic_marking_mode_flag: sliding window
        bits.Se(0);                                                  // slice_qp_delta
        bits.Ue(1);                                                  // disable_deblocking_filter_idc
        bits.Ue((uint)macroblocks);                                  // mb_skip_run: the whole picture
        bits.Trailing();
        return Nal(2, 1, bits);                                      // a reference picture, so frame_num counts up
    }

    /// <summary>Wraps an RBSP in a NAL unit header and inserts emulation-prevention bytes.</summary>
    private static byte[] Nal(int refIdc, int type, BitWriter rbsp)
    {
        ReadOnlySpan<byte> payload = rbsp.ToArray();
        var nal = new List<byte>(payload.Length + (payload.Length / 64) + 1) { (byte)((refIdc << 5) | type) };
        int zeros = 0;
        foreach (byte b in payload)
        {
            if (zeros == 2 && b <= 3)
            {
                nal.Add(3);
                zeros = 0;
            }

            nal.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }

        return [.. nal];
    }

    /// <summary>An MSB-first bit writer with Exp-Golomb codes.</summary>
    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _current;
        private int _used;

        public void Bit(bool value) => Bits(value ? 1u : 0u, 1);

        public void Bits(uint value, int count)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                _current = (_current << 1) | (int)((value >> i) & 1);
                if (++_used == 8)
                {
                    _bytes.Add((byte)_current);
                    _current = 0;
                    _used = 0;
                }
            }
        }

        /// <summary>ue(v): unsigned Exp-Golomb.</summary>
        public void Ue(uint value)
        {
            ulong coded = (ulong)value + 1;
            int length = 64 - System.Numerics.BitOperations.LeadingZeroCount(coded);
            Bits(0, length - 1);
            for (int i = length - 1; i >= 0; i--)
            {
                Bit(((coded >> i) & 1) != 0);
            }
        }

        /// <summary>se(v): signed Exp-Golomb.</summary>
        public void Se(int value) => Ue(value > 0 ? (uint)((2 * value) - 1) : (uint)(-2 * value));

        public void AlignWithZeros()
        {
            if (_used != 0)
            {
                Bits(0, 8 - _used);
            }
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            if (_used != 0)
            {
                throw new InvalidOperationException("Bytes are written on a byte boundary only.");
            }

            foreach (byte b in bytes)
            {
                _bytes.Add(b);
            }
        }

        /// <summary>rbsp_trailing_bits: a one, then zeros to the byte boundary.</summary>
        public void Trailing()
        {
            Bit(true);
            AlignWithZeros();
        }

        public byte[] ToArray() => _used == 0 ? [.. _bytes] : throw new InvalidOperationException("The RBSP does not end on a byte boundary.");
    }
}

/// <summary>A picture in 4:2:0 YCbCr (BT.601, studio range), padded to whole macroblocks by repeating its edges.</summary>
internal sealed class YuvPicture
{
    private readonly byte[] _y;
    private readonly byte[] _cb;
    private readonly byte[] _cr;
    private readonly int _lumaStride;
    private readonly int _chromaStride;

    private YuvPicture(int columns, int rows)
    {
        MacroblockColumns = columns;
        MacroblockRows = rows;
        _lumaStride = columns * 16;
        _chromaStride = columns * 8;
        _y = new byte[_lumaStride * rows * 16];
        _cb = new byte[_chromaStride * rows * 8];
        _cr = new byte[_chromaStride * rows * 8];
    }

    public int MacroblockColumns { get; }

    public int MacroblockRows { get; }

    public static YuvPicture From(SandboxCanvas canvas)
    {
        var picture = new YuvPicture((canvas.Width + 15) / 16, (canvas.Height + 15) / 16);
        int paddedHeight = picture.MacroblockRows * 16;
        for (int y = 0; y < paddedHeight; y++)
        {
            for (int x = 0; x < picture._lumaStride; x++)
            {
                var c = canvas[Math.Min(x, canvas.Width - 1), Math.Min(y, canvas.Height - 1)];
                picture._y[(y * picture._lumaStride) + x] = Clamp(16 + (((66 * c.R) + (129 * c.G) + (25 * c.B) + 128) >> 8));
            }
        }

        for (int y = 0; y < paddedHeight / 2; y++)
        {
            for (int x = 0; x < picture._chromaStride; x++)
            {
                int r = 0, g = 0, b = 0;
                for (int i = 0; i < 4; i++)
                {
                    var c = canvas[Math.Min((2 * x) + (i & 1), canvas.Width - 1), Math.Min((2 * y) + (i >> 1), canvas.Height - 1)];
                    r += c.R;
                    g += c.G;
                    b += c.B;
                }

                r = (r + 2) / 4;
                g = (g + 2) / 4;
                b = (b + 2) / 4;
                picture._cb[(y * picture._chromaStride) + x] = Clamp(128 + (((-38 * r) - (74 * g) + (112 * b) + 128) >> 8));
                picture._cr[(y * picture._chromaStride) + x] = Clamp(128 + (((112 * r) - (94 * g) - (18 * b) + 128) >> 8));
            }
        }

        return picture;
    }

    /// <summary>The 384 PCM samples of one macroblock, in the order I_PCM stores them: 16×16 Y, 8×8 Cb, 8×8 Cr.</summary>
    public byte[] Macroblock(int mbX, int mbY)
    {
        var samples = new byte[384];
        for (int row = 0; row < 16; row++)
        {
            _y.AsSpan((((mbY * 16) + row) * _lumaStride) + (mbX * 16), 16).CopyTo(samples.AsSpan(row * 16));
        }

        for (int row = 0; row < 8; row++)
        {
            _cb.AsSpan((((mbY * 8) + row) * _chromaStride) + (mbX * 8), 8).CopyTo(samples.AsSpan(256 + (row * 8)));
            _cr.AsSpan((((mbY * 8) + row) * _chromaStride) + (mbX * 8), 8).CopyTo(samples.AsSpan(320 + (row * 8)));
        }

        return samples;
    }

    // Studio range 16–235 (luma) / 16–240 (chroma) keeps every sample nonzero, as early decoders require of PCM.
    private static byte Clamp(int value) => (byte)Math.Clamp(value, 16, 240);
}
