namespace MediaGen.Replicate.Tests;

/// <summary>Options: validated at creation, messages name the key, secrets never shown.</summary>
public sealed class ReplicateOptionsTests
{
    [Fact]
    public void Create_WithoutApiKey_ThrowsNamingTheKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReplicateProvider.Create(new ReplicateOptions()));

        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CancelAfterBelowReplicatesMinimum_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReplicateProvider.Create(new ReplicateOptions { ApiKey = "r8_x", ImageCancelAfter = TimeSpan.FromSeconds(2) }));

        Assert.Contains("ImageCancelAfter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PreferWaitAboveSixtySeconds_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReplicateProvider.Create(new ReplicateOptions { ApiKey = "r8_x", PreferWaitSeconds = 61 }));

        Assert.Contains("PreferWaitSeconds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_HidesTheTokenAndTheSigningSecret()
    {
        var text = new ReplicateOptions { ApiKey = "r8_very_secret", WebhookSigningSecret = "whsec_c2VjcmV0" }.ToString();

        Assert.DoesNotContain("r8_very_secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_c2VjcmV0", text, StringComparison.Ordinal);
    }
}
