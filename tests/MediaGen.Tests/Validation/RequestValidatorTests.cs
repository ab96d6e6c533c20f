namespace MediaGen.Tests.Validation;

public class RequestValidatorTests
{
    private static readonly ModelCapabilities Seedance = new()
    {
        Id = "seedance-2-0",
        Kind = MediaKind.Video,
        AspectRatios = [AspectRatio.Parse("16:9"), AspectRatio.Parse("9:16"), AspectRatio.Parse("1:1")],
        SupportsAutoAspectRatio = true,
        SupportsAdaptiveAspectRatio = true,
        Resolutions = [Resolution.P480, Resolution.P720],
        ResolutionsByTier = new Dictionary<GenerationTier, IReadOnlyList<Resolution>> { [GenerationTier.Pro] = [Resolution.P1080] },
        Durations = DurationOptions.Range(4, 15, 5),
        Tiers = [GenerationTier.Mini, GenerationTier.Fast, GenerationTier.Pro],
        MaxReferenceImages = 5,
        MaxReferenceVideos = 1,
        MaxReferenceAudio = 0,
        ReferenceVideoRequiresDuration = true,
        MaxPromptLength = 100,
    };

    private static readonly ModelCapabilities Image = new()
    {
        Id = "gpt-image-2",
        Kind = MediaKind.Image,
        AspectRatios = [AspectRatio.Square],
        SupportsAutoAspectRatio = false,
        Qualities = ["low", "medium", "high"],
        Modes = ["frame"],
        Styles = ["anime"],
        MaxCount = 4,
        MaxReferenceImages = 1,
        Durations = DurationOptions.OneOf(4, 4, 6, 8),
    };

    private static GenerationRequest Valid() => new("seedance-2-0", "an eagle over a valley");

    private static string OnlyField(GenerationRequest request, ModelCapabilities? capabilities = null)
    {
        var error = RequestValidator.Validate(request, capabilities ?? Seedance, "meigen");
        Assert.NotNull(error);
        Assert.Equal("meigen", error.Provider);
        Assert.True(error.RejectedBeforeBilling);
        return Assert.Single(error.Errors).Field;
    }

    [Fact]
    public void Validate_ValidRequest_ReturnsNull() => Assert.Null(RequestValidator.Validate(Valid(), Seedance, "meigen"));

    [Fact]
    public void Validate_EmptyModel_NamesModel()
    {
        var request = Valid();
        request.Model = default;
        Assert.Equal("Model", OnlyField(request));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Validate_EmptyOrWhitespacePrompt_NamesPrompt(string prompt)
    {
        var request = Valid();
        request.Prompt = prompt;
        Assert.Equal("Prompt", OnlyField(request));
    }

    [Fact]
    public void Validate_PromptTooLong_NamesPromptAndLimit()
    {
        var request = Valid();
        request.Prompt = new string('a', 101);
        var error = RequestValidator.Validate(request, Seedance, "meigen")!;
        var field = Assert.Single(error.Errors);
        Assert.Equal("Prompt", field.Field);
        Assert.Contains("100", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PromptWithNul_NamesPrompt()
    {
        var request = Valid();
        request.Prompt = "a\0b";
        Assert.Equal("Prompt", OnlyField(request));
    }

    [Fact]
    public void Validate_UnicodePromptWithinLimit_IsValid()
    {
        var request = Valid();
        request.Prompt = "灯塔 at dusk 🌅, acuarela";
        Assert.Null(RequestValidator.Validate(request, Seedance, "meigen"));
    }

    [Fact]
    public void Validate_RatioNotOffered_NamesAspectRatioAndListsOffered()
    {
        var request = Valid();
        request.AspectRatio = AspectRatio.Parse("21:9");
        var error = RequestValidator.Validate(request, Seedance, "meigen")!;
        Assert.Equal("AspectRatio", Assert.Single(error.Errors).Field);
        Assert.Contains("16:9", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AutoNotOffered_NamesAspectRatio()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { AspectRatio = AspectRatio.Auto };
        Assert.Equal("AspectRatio", OnlyField(request, Image));
    }

    [Fact]
    public void Validate_AdaptiveNotOffered_NamesAspectRatio()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { AspectRatio = AspectRatio.Adaptive, ReferenceImages = [new Uri("https://example.com/a.png")] };
        Assert.Equal("AspectRatio", OnlyField(request, Image));
    }

    [Fact]
    public void Validate_AdaptiveWithoutReference_NamesAspectRatio()
    {
        var request = Valid();
        request.AspectRatio = AspectRatio.Adaptive;
        Assert.Equal("AspectRatio", OnlyField(request));
    }

    [Fact]
    public void Validate_AdaptiveWithReferenceImage_IsValid()
    {
        var request = Valid();
        request.AspectRatio = AspectRatio.Adaptive;
        request.ReferenceImages.Add(new Uri("https://example.com/first.png"));
        Assert.Null(RequestValidator.Validate(request, Seedance, "meigen"));
    }

    [Fact]
    public void Validate_ResolutionNotOffered_NamesResolution()
    {
        var request = Valid();
        request.Resolution = Resolution.P1080;
        Assert.Equal("Resolution", OnlyField(request));
    }

    [Fact]
    public void Validate_ResolutionOfferedOnlyInOtherTier_UsesTierList()
    {
        var request = Valid();
        request.Tier = GenerationTier.Pro;
        request.Resolution = Resolution.P1080;
        Assert.Null(RequestValidator.Validate(request, Seedance, "meigen"));
        request.Resolution = Resolution.P480;
        Assert.Equal("Resolution", OnlyField(request));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    public void Validate_DurationOutOfRange_NamesDuration(int seconds)
    {
        var request = Valid();
        request.DurationSeconds = seconds;
        Assert.Equal("DurationSeconds", OnlyField(request));
    }

    [Fact]
    public void Validate_DurationNotInSet_NamesDuration()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { DurationSeconds = 5 };
        Assert.Equal("DurationSeconds", OnlyField(request, Image));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_NonPositiveDuration_NamesDuration(int seconds)
    {
        var request = Valid();
        request.DurationSeconds = seconds;
        Assert.Equal("DurationSeconds", OnlyField(request));
    }

    [Fact]
    public void Validate_TierNotOffered_NamesTier()
    {
        var request = Valid();
        request.Tier = new GenerationTier("ultra");
        Assert.Equal("Tier", OnlyField(request));
    }

    [Fact]
    public void Validate_QualityNotOffered_NamesQuality()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { Quality = "ultra" };
        Assert.Equal("Quality", OnlyField(request, Image));
    }

    [Fact]
    public void Validate_WhitespaceQuality_NamesQuality()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { Quality = "  " };
        Assert.Equal("Quality", OnlyField(request, Image));
    }

    [Fact]
    public void Validate_ModeNotOffered_NamesMode()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { Mode = "spicy" };
        Assert.Equal("Mode", OnlyField(request, Image));
    }

    [Fact]
    public void Validate_StyleNotOffered_NamesStyle()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { Style = "comic" };
        Assert.Equal("Style", OnlyField(request, Image));
    }

    [Fact]
    public void Validate_CountAboveMax_NamesCount()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { Count = 5 };
        Assert.Equal("Count", OnlyField(request, Image));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_CountBelowOne_NamesCount(int count)
    {
        var request = new GenerationRequest("gpt-image-2", "x") { Count = count };
        Assert.Equal("Count", OnlyField(request, Image));
    }

    [Fact]
    public void Validate_NegativeSeed_NamesSeed()
    {
        var request = Valid();
        request.Seed = -1;
        Assert.Equal("Seed", OnlyField(request));
    }

    [Fact]
    public void Validate_TooManyReferenceImages_NamesReferenceImages()
    {
        var request = new GenerationRequest("gpt-image-2", "x") { ReferenceImages = [new Uri("https://a.example/1.png"), new Uri("https://a.example/2.png")] };
        Assert.Equal("ReferenceImages", OnlyField(request, Image));
    }

    [Fact]
    public void Validate_TooManyReferenceVideos_NamesReferenceVideos()
    {
        var request = Valid();
        request.ReferenceVideos = [new ReferenceVideo(new Uri("https://a.example/1.mp4"), 3), new ReferenceVideo(new Uri("https://a.example/2.mp4"), 3)];
        Assert.Equal("ReferenceVideos", OnlyField(request));
    }

    [Fact]
    public void Validate_ReferenceAudioNotAccepted_NamesReferenceAudio()
    {
        var request = Valid();
        request.ReferenceAudio = [new Uri("https://a.example/1.mp3")];
        Assert.Equal("ReferenceAudio", OnlyField(request));
    }

    [Theory]
    [InlineData("http://example.com/a.png")]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("file:///etc/passwd")]
    public void Validate_NonHttpsReferenceImage_NamesIndexedField(string url)
    {
        var request = Valid();
        request.ReferenceImages = [new Uri("https://example.com/ok.png"), new Uri(url)];
        Assert.Equal("ReferenceImages[1]", OnlyField(request));
    }

    [Fact]
    public void Validate_RelativeReferenceUrl_NamesIndexedField()
    {
        var request = Valid();
        request.ReferenceImages = [new Uri("images/a.png", UriKind.Relative)];
        Assert.Equal("ReferenceImages[0]", OnlyField(request));
    }

    [Fact]
    public void Validate_ContinuationWithoutReferenceLength_NamesDurationOfThatVideo()
    {
        var request = Valid();
        request.ReferenceVideos = [new ReferenceVideo(new Uri("https://images.meigen.art/generations/eagle-clip.mp4"))];
        Assert.Equal("ReferenceVideos[0].DurationSeconds", OnlyField(request));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-3)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_BadReferenceLength_NamesDurationOfThatVideo(double length)
    {
        var request = Valid();
        request.ReferenceVideos = [new ReferenceVideo(new Uri("https://example.com/a.mp4"), length)];
        Assert.Equal("ReferenceVideos[0].DurationSeconds", OnlyField(request));
    }

    [Fact]
    public void Validate_NonHttpsWebhook_NamesWebhookUrl()
    {
        var request = Valid();
        request.Webhook = new WebhookOptions { Url = new Uri("http://example.com/hook") };
        Assert.Equal("Webhook.Url", OnlyField(request));
    }

    [Fact]
    public void Validate_LoopbackHttpWebhook_IsValid()
    {
        var request = Valid();
        request.Webhook = new WebhookOptions { Url = new Uri("http://127.0.0.1:5000/hook") };
        Assert.Null(RequestValidator.Validate(request, Seedance, "meigen"));
    }

    [Fact]
    public void Validate_OverlongIdempotencyKey_NamesIdempotencyKey()
    {
        var request = Valid();
        request.IdempotencyKey = new string('k', 256);
        Assert.Equal("IdempotencyKey", OnlyField(request));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryFieldAtOnce()
    {
        var request = new GenerationRequest("seedance-2-0", "")
        {
            DurationSeconds = 30,
            Resolution = Resolution.FourK,
            ReferenceImages = [new Uri("http://insecure.example/a.png")],
        };
        var error = RequestValidator.Validate(request, Seedance, "meigen")!;
        Assert.Equal(
            new[] { "DurationSeconds", "Prompt", "ReferenceImages[0]", "Resolution" },
            error.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ValidateBasics_ChecksVendorIndependentRulesOnly()
    {
        var request = new GenerationRequest("anything", "x") { DurationSeconds = 99, Count = 0 };
        var error = RequestValidator.ValidateBasics(request)!;
        Assert.Equal("Count", Assert.Single(error.Errors).Field);
    }
}
