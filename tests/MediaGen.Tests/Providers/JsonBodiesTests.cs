using System.Text;
using System.Text.Json.Nodes;
using MediaGen.Providers;

namespace MediaGen.Tests.Providers;

/// <summary>Request bodies written straight to UTF-8 are the bytes <c>ToJsonString</c> of the changed body would send.</summary>
public class JsonBodiesTests
{
    [Fact]
    public void ToUtf8_NewMember_AddedLastAndBodyUnchanged()
    {
        var body = new JsonObject { ["prompt"] = "a lighthouse at dawn — é \"quoted\" <tag>", ["n"] = 2, ["opts"] = new JsonObject { ["a"] = null, ["b"] = new JsonArray(1, "x") } };
        var before = body.ToJsonString();

        var bytes = JsonBodies.ToUtf8(body, "idempotencyKey", "key-1");

        var expected = (JsonObject)body.DeepClone();
        expected["idempotencyKey"] = "key-1";
        Assert.Equal(expected.ToJsonString(), Encoding.UTF8.GetString(bytes));
        Assert.Equal(before, body.ToJsonString());
    }

    [Fact]
    public void ToUtf8_ExistingMember_ReplacedInPlace()
    {
        var body = new JsonObject { ["idempotencyKey"] = "old", ["prompt"] = "p" };

        var bytes = JsonBodies.ToUtf8(body, "idempotencyKey", "new");

        Assert.Equal("""{"idempotencyKey":"new","prompt":"p"}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ToUtf8_NoMember_SameAsToJsonString()
    {
        var body = new JsonObject { ["prompt"] = "ü", ["nested"] = new JsonObject { ["x"] = 1.5 } };

        Assert.Equal(body.ToJsonString(), Encoding.UTF8.GetString(JsonBodies.ToUtf8(body)));
        Assert.Equal(body.ToJsonString(), Encoding.UTF8.GetString(JsonBodies.ToUtf8(body))); // the reused buffer starts clean
    }

    [Fact]
    public void Content_Bytes_LabelledJsonUtf8()
    {
        using var content = JsonBodies.Content([(byte)'{', (byte)'}']);

        Assert.Equal("application/json; charset=utf-8", content.Headers.ContentType!.ToString());
    }
}
