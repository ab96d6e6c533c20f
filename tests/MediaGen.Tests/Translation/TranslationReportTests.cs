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

    [Fact]
    public void Certainty_EachAction_IsOneOfTheThreeLevelsWithItsMarker()
    {
        var report = new TranslationReport("apiframe")
            .Applied("Model", "flux-2-pro")
            .Adjusted("Count", 2, 4, "always four")
            .SentUndocumented("AspectRatio", "16:9", "wanParams.aspect_ratio", "every documented family spells it so")
            .Dropped("Tier", "pro", "no tiers");

        Assert.Equal(
            [TranslationCertainty.Documented, TranslationCertainty.Documented, TranslationCertainty.Undocumented, TranslationCertainty.NotSent],
            report.Entries.Select(e => e.Certainty));
        Assert.Equal(["✓", "✓", "?", "✗"], report.Entries.Select(e => e.Marker));
        Assert.Equal("wanParams.aspect_ratio", report.Entries[2].WireField);
        Assert.Equal("? AspectRatio = 16:9 on undocumented wanParams.aspect_ratio (every documented family spells it so)", report.Describe().ElementAt(2));
        Assert.True(report.HasUndocumented);
    }

    [Fact]
    public void ToStrictError_StrictWithUndocumentedField_RefusesNamingTheWireFieldAndTheOptIn()
    {
        var report = new TranslationReport("apiframe").SentUndocumented("AspectRatio", "16:9", "wanParams.aspect_ratio", "convention");

        var error = report.ToStrictError(strict: true);

        var field = Assert.Single(error!.Errors);
        Assert.Equal("AspectRatio", field.Field);
        Assert.Contains("wanParams.aspect_ratio", field.Message, StringComparison.Ordinal);
        Assert.Contains("AllowUndocumentedFields", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStrictError_RequestOptsInForThatVendorOnly_AcceptsItsGuessesButNotAnotherVendors()
    {
        var report = new TranslationReport("apiframe").SentUndocumented("AspectRatio", "16:9", "wanParams.aspect_ratio", "convention");
        var optedIn = new GenerationRequest("wan-image-2.6", "x") { Strict = true, AllowUndocumentedFields = { "Apiframe" } };
        var otherVendor = new GenerationRequest("wan-image-2.6", "x") { Strict = true, AllowUndocumentedFields = { "meigen" } };

        Assert.Null(report.ToStrictError(optedIn));
        Assert.NotNull(report.ToStrictError(otherVendor));
        Assert.Contains("apiframe", optedIn.Clone().AllowUndocumentedFields);
    }

    [Fact]
    public void ToStrictError_OptedInButAlsoDropped_StillRefusesTheDrop()
    {
        var report = new TranslationReport("apiframe")
            .SentUndocumented("AspectRatio", "16:9", "wanParams.aspect_ratio", "convention")
            .Dropped("Tier", "pro", "no tiers");

        var error = report.ToStrictError(strict: true, allowUndocumented: true);

        Assert.Equal(["Tier"], error!.Errors.Select(e => e.Field));
    }
}
