using System.Drawing;
using MediaGen.Extensions.AI.Internal;

namespace MediaGen.Extensions.AI.Tests.Internal;

public sealed class ImageSizesTests
{
    [Theory]
    [InlineData(1024, 1024, "1:1", true)]
    [InlineData(1920, 1080, "16:9", true)]
    [InlineData(1080, 1920, "9:16", true)]
    [InlineData(1536, 1024, "3:2", true)]
    [InlineData(1000, 999, "1:1", false)]
    [InlineData(1024, 683, "3:2", false)]
    public void ToAspectRatio_Size_ReducedOrNearest(int width, int height, string expected, bool exact)
    {
        var (ratio, isExact) = ImageSizes.ToAspectRatio(new Size(width, height));

        Assert.Equal(AspectRatio.Parse(expected), ratio);
        Assert.Equal(exact, isExact);
    }

    [Theory]
    [InlineData(512, 512, "0.5K")]
    [InlineData(1024, 576, "1K")]
    [InlineData(2048, 2048, "2K")]
    [InlineData(2160, 3072, "3K")]
    [InlineData(4096, 2304, "4K")]
    [InlineData(1920, 1080, null)]
    public void ToResolution_LongSide_MapsOnlyExactClasses(int width, int height, string? expected)
    {
        Assert.Equal(expected is null ? (Resolution?)null : new Resolution(expected), ImageSizes.ToResolution(new Size(width, height)));
    }

    [Theory]
    [InlineData("16:9", 1024, 1024, 576)]
    [InlineData("9:16", 2048, 1152, 2048)]
    [InlineData("3:2", 1024, 1024, 683)]
    public void FromRatio_LongSide_ShortSideRounded(string ratio, int longSide, int width, int height)
    {
        Assert.Equal(new Size(width, height), ImageSizes.FromRatio(AspectRatio.Parse(ratio), longSide));
    }
}
