using System.Globalization;

namespace MediaGen.Testing;

/// <summary>Creates the sandbox's videos (see <see cref="SandboxImage"/> for its images).</summary>
public static class SandboxMedia
{
    /// <summary>The media type of the videos this class creates: <c>video/mp4</c>.</summary>
    public const string VideoContentType = "video/mp4";

    /// <summary>The frame rate of sandbox videos: 8 frames a second.</summary>
    public const int VideoFramesPerSecond = 8;

    /// <summary>The long side, in pixels, of sandbox videos: 320.</summary>
    public const int VideoLongSide = 320;

    /// <summary>The longest video this class creates: 10 minutes.</summary>
    public static readonly TimeSpan MaxVideoDuration = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Creates a real, playable MP4 (H.264 Constrained Baseline in an ISO base media file) of
    /// <paramref name="duration"/> in <paramref name="aspectRatio"/>, <see cref="VideoLongSide"/> pixels on its long side
    /// at <see cref="VideoFramesPerSecond"/>, showing the same card as <see cref="SandboxImage"/>: "SANDBOX", the vendor,
    /// the model, the prompt, and the clip's ratio, size and length.
    /// </summary>
    /// <param name="vendor">The vendor, such as <c>meigen</c>.</param>
    /// <param name="model">The model, such as <c>seedance-2-0</c>.</param>
    /// <param name="prompt">The prompt.</param>
    /// <param name="aspectRatio">The ratio, such as <c>16:9</c>; <see langword="null"/> or a word such as <c>auto</c> gives a square.</param>
    /// <param name="duration">The length, more than zero and at most <see cref="MaxVideoDuration"/>; rounded to whole milliseconds.</param>
    /// <returns>The MP4 file. The same arguments always give identical bytes.</returns>
    /// <remarks>
    /// The first frame is an IDR picture stored uncompressed (I_PCM macroblocks); every later frame repeats it (P_Skip),
    /// so the file is small: about 1.5 bytes a pixel once, plus a few bytes a frame. The size is rounded to even numbers
    /// (as 4:2:0 video requires); the stream codes whole 16-pixel macroblocks and crops to it.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="vendor"/>, <paramref name="model"/> or <paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not more than zero or is over <see cref="MaxVideoDuration"/>.</exception>
    public static byte[] CreateVideo(string vendor, string model, string prompt, string? aspectRatio, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        int milliseconds = (int)Math.Round(duration.TotalMilliseconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(milliseconds, 1, nameof(duration));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaxVideoDuration);

        var (width, height) = VideoSizeFor(aspectRatio);
        string length = (milliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + " s";
        string ratio = SandboxImage.Ratio(aspectRatio) is null ? string.Empty : aspectRatio!;
        SandboxCanvas card = SandboxCard.Render(vendor, model, prompt, SandboxCard.Footer(ratio, width, height, length), width, height);
        var picture = YuvPicture.From(card);

        // Frames at the frame rate; the last one lasts whatever makes the total exactly the requested length.
        const int FrameMilliseconds = 1000 / VideoFramesPerSecond;
        int frames = Math.Max(1, (int)Math.Round(milliseconds / (double)FrameMilliseconds));
        var durations = Enumerable.Repeat(FrameMilliseconds, frames - 1).Append(milliseconds - (FrameMilliseconds * (frames - 1))).ToArray();
        var samples = new List<byte[]>(frames) { SandboxH264.IdrPicture(picture) };
        int macroblocks = picture.MacroblockColumns * picture.MacroblockRows;
        for (int i = 1; i < frames; i++)
        {
            samples.Add(SandboxH264.SkipPicture(i, macroblocks));
        }

        return SandboxMp4.Write(width, height, SandboxH264.SequenceParameterSet(width, height), SandboxH264.PictureParameterSet(), samples, durations);
    }

    /// <summary>Gets the size of a sandbox video of <paramref name="aspectRatio"/>: <see cref="VideoLongSide"/> on the long side, both sides even.</summary>
    /// <param name="aspectRatio">The ratio, such as <c>16:9</c>; <see langword="null"/> or anything else gives a square.</param>
    /// <returns>The width and height.</returns>
    public static (int Width, int Height) VideoSizeFor(string? aspectRatio)
    {
        var (width, height) = SandboxImage.SizeFor(aspectRatio, VideoLongSide);
        return (Math.Max(2, (width + 1) / 2 * 2), Math.Max(2, (height + 1) / 2 * 2));
    }
}
