using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGen.Replicate.Internal;

namespace MediaGen.Replicate.Tests.Internal;

/// <summary>Replicate's durations (R0 Cancel-After), event names, the list match, and 429 delays.</summary>
public sealed class ReplicateTranslatorTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1h30m45s", 5445)]
    public void ParseDuration_DocumentedForms_AreSeconds(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ReplicateTranslator.ParseDuration(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("5d")]
    public void ParseDuration_Other_IsNull(string text)
    {
        Assert.Null(ReplicateTranslator.ParseDuration(text));
    }

    [Theory]
    [InlineData("completed", "completed")]
    [InlineData("failed", "completed")]
    [InlineData("progress", "output")]
    [InlineData("start", "start")]
    [InlineData("logs", "logs")]
    [InlineData("bogus", null)]
    public void EventOf_MediaGenAndReplicateNames_MapToReplicates(string name, string? expected)
    {
        Assert.Equal(expected, ReplicateTranslator.EventOf(name));
    }

    [Fact]
    public void InputMatches_ListedInputWithDefaultsAdded_Matches()
    {
        using var listed = JsonDocument.Parse("""{"prompt":"a","duration":5.0,"resolution":"720p"}""");

        Assert.True(ReplicateSettlement.InputMatches(listed.RootElement, new JsonObject { ["prompt"] = "a", ["duration"] = 5 }));
        Assert.False(ReplicateSettlement.InputMatches(listed.RootElement, new JsonObject { ["prompt"] = "b" }));
        Assert.False(ReplicateSettlement.InputMatches(listed.RootElement, new JsonObject { ["prompt"] = "a", ["seed"] = 1 }));
    }

    [Fact]
    public void RetryAfterFromBody_RetryAfterField_WinsOverTheText()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), ReplicateErrors.RetryAfterFromBody(429, ReplicateDocs.ThrottledLowCredit));
        Assert.Equal(TimeSpan.FromSeconds(30), ReplicateErrors.RetryAfterFromBody(429, ReplicateDocs.Throttled));
        Assert.Null(ReplicateErrors.RetryAfterFromBody(500, ReplicateDocs.Throttled));
    }
}
