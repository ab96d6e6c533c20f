using System.Text.Json;
using MediaGen.Serialization;

namespace MediaGen.Tests.Jobs;

public class JobHandleTests
{
    [Fact]
    public void ToString_ThenParse_RoundTrips()
    {
        var handle = new JobHandle("meigen", "550e8400-e29b-41d4-a716-446655440000");
        var text = handle.ToString();
        Assert.Equal("meigen:550e8400-e29b-41d4-a716-446655440000", text);
        Assert.Equal(handle, JobHandle.Parse(text));
    }

    [Fact]
    public void Parse_VendorIdContainingColon_KeepsRest()
    {
        var handle = JobHandle.Parse("apiframe:job:42");
        Assert.Equal("apiframe", handle.Provider);
        Assert.Equal("job:42", handle.VendorJobId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("meigen")]
    [InlineData(":abc")]
    [InlineData("meigen:")]
    [InlineData("   :  ")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(JobHandle.TryParse(text, out _));
        Assert.Throws<FormatException>(() => JobHandle.Parse(text));
    }

    [Fact]
    public void Json_AllFields_RoundTrip()
    {
        var handle = new JobHandle("veogen", "01928abc-def0-7123-b456-789012345678")
        {
            Model = "seedance-2.0",
            IdempotencyKey = "k-1",
            SubmittedAt = new DateTimeOffset(2026, 11, 21, 10, 30, 0, TimeSpan.Zero),
            Kind = MediaKind.Video,
            Variant = "1080p/10s",
        };

        var json = JsonSerializer.Serialize(handle, MediaGenJsonContext.Default.JobHandle);
        var back = JsonSerializer.Deserialize(json, MediaGenJsonContext.Default.JobHandle)!;

        Assert.Equal(handle, back);
        Assert.Equal(handle.Model, back.Model);
        Assert.Equal("k-1", back.IdempotencyKey);
        Assert.Equal(handle.SubmittedAt, back.SubmittedAt);
        Assert.Equal(MediaKind.Video, back.Kind);
        Assert.Equal("1080p/10s", back.Variant);
    }

    [Fact]
    public void Json_StringForm_IsAccepted()
    {
        var back = JsonSerializer.Deserialize("\"meigen:abc-123\"", MediaGenJsonContext.Default.JobHandle);
        Assert.Equal(new JobHandle("meigen", "abc-123"), back);
    }

    [Fact]
    public void Json_MissingProvider_ThrowsJsonException()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"vendorJobId\":\"x\"}", MediaGenJsonContext.Default.JobHandle));
    }

    [Fact]
    public void Constructor_ProviderWithColon_Throws()
    {
        Assert.Throws<ArgumentException>(() => new JobHandle("a:b", "x"));
    }
}
