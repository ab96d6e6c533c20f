namespace MediaGen.Cli.Tests;

public class SecretMaskTests
{
    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("x-api-key", true)]
    [InlineData("X-Goog-Api-Key", true)]
    [InlineData("api_key", true)]
    [InlineData("apiKey", true)]
    [InlineData("access_token", true)]
    [InlineData("webhook_secret", true)]
    [InlineData("Cookie", true)]
    [InlineData("Idempotency-Key", false)]
    [InlineData("idempotency_key", false)]
    [InlineData("Content-Type", false)]
    [InlineData("prompt", false)]
    public void IsSecretName_Name_SaysWhetherItCarriesACredential(string name, bool secret) =>
        Assert.Equal(secret, SecretMask.IsSecretName(name));

    [Fact]
    public void Body_JsonWithKeysInFieldsAndText_HidesEveryKeyAndKeepsTheRest()
    {
        const string Key = "afk_live_0123456789abcdef";
        IReadOnlyList<string> secrets = SecretMask.SecretsOf(new Dictionary<string, string> { ["X-API-Key"] = Key }, "?token=abc12345");

        string shown = SecretMask.Body(
            "{\"prompt\":\"a fox\",\"apiKey\":\"whatever-1234\",\"list\":[{\"secret\":\"s3cr3t-value\"},\"echo " + Key + "\"],\"other\":\"sk-proj-ABCDEFGH123\",\"n\":3,\"t\":\"abc12345\"}",
            secrets);

        Assert.DoesNotContain(Key, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("whatever-1234", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("ABCDEFGH123", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("abc12345", shown, StringComparison.Ordinal);
        Assert.Contains("\"prompt\": \"a fox\"", shown, StringComparison.Ordinal);
        Assert.Contains("\"n\": 3", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_NotJson_HidesKeyShapedText()
    {
        string shown = SecretMask.Body("key=meigen_sk_abcdef123456&prompt=fox", []);

        Assert.Equal("key=meigen_sk_••••&prompt=fox", shown);
    }

    [Fact]
    public void Header_BearerToken_KeepsOnlyTheScheme() =>
        Assert.Equal("Bearer ••••", SecretMask.Header("Authorization", "Bearer veogen-test-token", []));

    [Fact]
    public void Query_SecretParameter_IsHiddenOthersKept() =>
        Assert.Equal("?api_key=••••&page=2", SecretMask.Query("?api_key=zzz999&page=2", []));
}
