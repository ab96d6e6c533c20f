using System.Drawing;
using System.Globalization;

namespace MediaGen.Extensions.AI.Internal;

/// <summary>Converts between MEAI pixel sizes and MediaGen aspect ratios and resolution classes.</summary>
internal static class ImageSizes
{
    private const int MaxRatioPart = 100;

    // MediaGen's image resolution classes by the long side in pixels.
    private static readonly (Resolution Resolution, int LongSide)[] Classes =
    [
        (Resolution.HalfK, 512),
        (Resolution.OneK, 1024),
        (Resolution.TwoK, 2048),
        (Resolution.ThreeK, 3072),
        (Resolution.FourK, 4096),
    ];

    /// <summary>Formats a size as <c>WxH</c>.</summary>
    public static string Format(Size size) => string.Create(CultureInfo.InvariantCulture, $"{size.Width}x{size.Height}");

    /// <summary>
    /// The exact ratio of a size reduced by the gcd; when a part exceeds what MediaGen accepts (100), the nearest
    /// ratio with small parts, flagged as approximate.
    /// </summary>
    public static (AspectRatio Ratio, bool Exact) ToAspectRatio(Size size)
    {
        var gcd = Gcd(size.Width, size.Height);
        var w = size.Width / gcd;
        var h = size.Height / gcd;
        if (w <= MaxRatioPart && h <= MaxRatioPart)
        {
            return (Ratio(w, h), true);
        }

        var (aw, ah) = Approximate((double)size.Width / size.Height);
        return (Ratio(aw, ah), false);
    }

    /// <summary>The resolution class whose long side equals the size's long side exactly, or null.</summary>
    public static Resolution? ToResolution(Size size)
    {
        var longSide = Math.Max(size.Width, size.Height);
        foreach (var (resolution, side) in Classes)
        {
            if (side == longSide)
            {
                return resolution;
            }
        }

        return null;
    }

    /// <summary>The long side in pixels of an image resolution class (<c>0.5K</c>…<c>4K</c>), or null for others (e.g. <c>720p</c>).</summary>
    public static int? LongSide(Resolution resolution)
    {
        foreach (var (r, side) in Classes)
        {
            if (r == resolution)
            {
                return side;
            }
        }

        return null;
    }

    /// <summary>The pixel size of an explicit ratio at a long side (the short side rounded to whole pixels).</summary>
    public static Size FromRatio(AspectRatio ratio, int longSide)
    {
        if (ratio.Width >= ratio.Height)
        {
            return new Size(longSide, (int)Math.Round((double)longSide * ratio.Height / ratio.Width, MidpointRounding.AwayFromZero));
        }

        return new Size((int)Math.Round((double)longSide * ratio.Width / ratio.Height, MidpointRounding.AwayFromZero), longSide);
    }

    private static AspectRatio Ratio(int w, int h) => AspectRatio.Parse(string.Create(CultureInfo.InvariantCulture, $"{w}:{h}"));

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    // The closest fraction w/h to the value with both parts at most MaxRatioPart (smallest error; ties to smaller parts).
    private static (int W, int H) Approximate(double value)
    {
        var best = (W: 1, H: 1);
        var bestError = double.MaxValue;
        for (var h = 1; h <= MaxRatioPart; h++)
        {
            var w = (int)Math.Round(value * h, MidpointRounding.AwayFromZero);
            if (w < 1 || w > MaxRatioPart)
            {
                continue;
            }

            var error = Math.Abs(((double)w / h) - value);
            if (error < bestError - 1e-12)
            {
                best = (w, h);
                bestError = error;
            }
        }

        var gcd = Gcd(best.W, best.H);
        return (best.W / gcd, best.H / gcd);
    }
}
