namespace MediaGen.Tests.Translation;

public class TranslationReportTests
{
    [Fact]
    public void ToStrictError_NotStrict_ReturnsNullEvenWithChanges()
    {
        var report = new TranslationReport("veogen").Dropped("Style", "anime", "only sora models take a style");
        Assert.Null(report.ToStrictError(strict: false));
        Assert.True(report.HasChanges);
    }

    [Fact]
    public void ToStrictError_StrictWithAdjustedAndDropped_NamesBothFields()
    {
        var report = new TranslationReport("meigen")
            .Applied("Prompt", "x")
            .Adjusted("Resolution", "1K", "2K", "seedream-5.0-lite starts at 2K")
            .Dropped("Seed", 42L, "MeiGen takes no seed");
        var error = report.ToStrictError(strict: true);
        Assert.NotNull(error);
        Assert.Equal(["Resolution", "Seed"], error.Errors.Select(e => e.Field));
        Assert.Contains("1K", error.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("meigen", error.Provider);
    }

    [Fact]
    public void ToStrictError_StrictOnlyApplied_ReturnsNull()
    {
        var report = new TranslationReport("meigen").Applied("Prompt", "x");
        Assert.Null(report.ToStrictError(strict: true));
    }

    [Fact]
    public void Entries_KeepFromAndTo()
    {
        var report = new TranslationReport("meigen").Adjusted("AspectRatio", "16:10", "16:9", "closest offered");
        var entry = Assert.Single(report.Entries);
        Assert.Equal(TranslationAction.Adjusted, entry.Action);
        Assert.Equal("16:10", entry.From);
        Assert.Equal("16:9", entry.To);
        Assert.Equal("AspectRatio: 16:10 → 16:9 (closest offered)", entry.ToString());
    }
}
