using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.Tests.Providers;

/// <summary>The shared readers every provider uses: loose JSON, output addresses, failure texts and status tables.</summary>
public sealed class ProviderKitReadersTests
{
    [Theory]
    [InlineData("0.30", 0.30)]
    [InlineData("\"0.30\"", 0.30)]
    [InlineData("\"1e2\"", 100.0)]
    [InlineData("42", 42.0)]
    [InlineData("null", null)]
    [InlineData("true", null)]
    [InlineData("\"abc\"", null)]
    [InlineData("1e400", null)]
    public void Number_LooseValue_ReadsExactDecimalsFromNumbersAndNumericText(string json, double? expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected is { } e ? (decimal)e : null, LooseJson.Number(document.RootElement));
        Assert.Equal(expected is { } n ? (decimal)n : null, LooseJson.Number(JsonNode.Parse(json)));
    }

    [Fact]
    public void Number_TextWhenOnlyNumbersAreAccepted_IsNull()
    {
        Assert.Null(LooseJson.Number(JsonNode.Parse("\"5\""), acceptText: false));
        Assert.Equal(5m, LooseJson.Number(JsonNode.Parse("5"), acceptText: false));
    }

    [Theory]
    [InlineData("true", true, true)]
    [InlineData("\"false\"", false, null)]
    [InlineData("1", null, null)]
    public void Bool_LooseValue_AcceptsBooleanTextOnlyWhenAsked(string json, bool? loose, bool? strict)
    {
        Assert.Equal(loose, LooseJson.Bool(JsonNode.Parse(json)));
        Assert.Equal(strict, LooseJson.Bool(JsonNode.Parse(json), acceptText: false));
    }

    [Theory]
    [InlineData("\"text\"", "text", "text")]
    [InlineData("42", null, "42")]
    [InlineData("{\"a\":1}", null, "{\"a\":1}")]
    [InlineData("null", null, null)]
    public void TextAndDisplay_AnyJsonType_TextReadsOnlyStringsDisplayReadsEverything(string json, string? text, string? display)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(text, LooseJson.Text(document.RootElement));
        Assert.Equal(display, LooseJson.Display(document.RootElement));
        Assert.Equal(text, LooseJson.Text(JsonNode.Parse(json)));
        Assert.Equal(display, LooseJson.Display(JsonNode.Parse(json)));
    }

    [Theory]
    [InlineData("https://cdn.example.com/a.png", true)]
    [InlineData("http://cdn.example.com/a.mp4", true)]
    [InlineData("/tmp/a.png", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("ftp://example.com/a.png", false)]
    [InlineData("not a url", false)]
    [InlineData(null, false)]
    public void TryWebUrl_VendorText_AcceptsOnlyHttpAddressesWithAHost(string? text, bool accepted)
    {
        Assert.Equal(accepted, MediaOutputs.TryWebUrl(text, out var url));
        Assert.Equal(accepted, url is not null);
    }

    [Theory]
    [InlineData("https://x.test/a.PNG", "image/png", MediaKind.Image)]
    [InlineData("https://x.test/a.mov?sig=1", "video/quicktime", MediaKind.Video)]
    [InlineData("https://x.test/a.mp3", "audio/mpeg", MediaKind.Audio)]
    [InlineData("https://x.test/a", null, null)]
    public void ContentTypeOf_Extension_NamesTheTypeAndKind(string url, string? type, MediaKind? kind)
    {
        Assert.Equal(type, MediaOutputs.ContentTypeOf(new Uri(url)));
        Assert.Equal(kind, MediaOutputs.KindOf(type));
    }

    [Theory]
    [InlineData("Content policy violation", null, FailureReason.ContentPolicy)]
    [InlineData("Output blocked: prohibited content", null, FailureReason.ContentPolicy)]
    [InlineData("Rejected by moderation", null, FailureReason.ContentPolicy)]
    [InlineData("Blocked by safety system", null, FailureReason.ContentPolicy)]
    [InlineData("failed", "CONTENT_POLICY", FailureReason.ContentPolicy)]
    [InlineData("The result link expired", null, FailureReason.Expired)]
    [InlineData("Upstream model timed out", null, FailureReason.ProviderError)]
    [InlineData(null, null, FailureReason.ProviderError)]
    public void Classify_VendorFailureText_OneAnswerForEveryVendor(string? message, string? code, FailureReason expected)
    {
        Assert.Equal(expected, FailureClassifier.Classify(message, code));
    }

    [Fact]
    public void TryMap_DocumentedStatusAnyCaseOrPadding_MapsAndUndocumentedDoesNot()
    {
        var map = new VendorStatusMap([new("QUEUED", GenerationStatus.Queued), new("COMPLETED", GenerationStatus.Succeeded)])
        {
            PollIntervals = new Dictionary<MediaKind, TimeSpan> { [MediaKind.Video] = TimeSpan.FromSeconds(5) },
        };

        Assert.True(map.TryMap(" queued ", out var queued));
        Assert.Equal(GenerationStatus.Queued, queued);
        Assert.False(map.TryMap("PAUSED", out _));
        Assert.False(map.TryMap(null, out _));
        Assert.Equal("QUEUED or COMPLETED", map.Documented);
        Assert.Equal(TimeSpan.FromSeconds(5), map.PollAfter(GenerationStatus.Queued, MediaKind.Video));
        Assert.Null(map.PollAfter(GenerationStatus.Queued, MediaKind.Image));
        Assert.Null(map.PollAfter(GenerationStatus.Succeeded, MediaKind.Video));
    }
}
