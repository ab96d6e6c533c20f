using System.Text.Json.Nodes;

namespace MediaGen.MeiGen;

/// <summary>
/// Midjourney parameters, sent as the <c>niji7Options</c> object (MeiGen kept the old field name). Every property is
/// optional: null leaves MeiGen's default. Ranges are checked before any network call.
/// </summary>
/// <remarks>
/// Set them with <see cref="MeiGenRequestExtensions.WithMeiGenMidjourneyOptions"/>; they travel in the request's
/// <c>meigen</c> provider options, so they survive failover to other vendors untouched. MeiGen ignores them for
/// models other than Midjourney, and MediaGen drops them there (reported in the translation).
/// </remarks>
public sealed class MeiGenMidjourneyOptions
{
    /// <summary>Gets or sets the stylization strength, 0–1000.</summary>
    /// <value>MeiGen's default is 100.</value>
    public int? Stylize { get; set; }

    /// <summary>Gets or sets how varied the 4 candidates are, 0–100.</summary>
    /// <value>MeiGen's default is 5.</value>
    public int? Chaos { get; set; }

    /// <summary>Gets or sets raw mode (less automatic beautification).</summary>
    /// <value>MeiGen's default is false.</value>
    public bool? Raw { get; set; }

    /// <summary>Gets or sets the image weight of the reference image, 0–2.</summary>
    /// <value>MeiGen's default is 1.</value>
    public double? ImageWeight { get; set; }

    /// <summary>Gets or sets the style reference: a URL or text (<c>sref</c>).</summary>
    public string? StyleReference { get; set; }

    /// <summary>Gets or sets the style weight, 0–1000 (<c>sw</c>).</summary>
    /// <value>MeiGen's default is 100.</value>
    public int? StyleWeight { get; set; }

    /// <summary>Gets or sets the quality: <c>1</c> or <c>4</c> (4× compute, no extra cost).</summary>
    /// <value>MeiGen's default is 4.</value>
    public string? Quality { get; set; }

    /// <summary>Gets or sets weirdness, 0–3000 (older docs; accepted only by the legacy <c>midjourney-v7</c> / <c>midjourney-niji7</c> ids).</summary>
    public int? Weird { get; set; }

    /// <summary>Gets or sets the style version, 1–4 (older docs; accepted only by the legacy <c>midjourney-v7</c> / <c>midjourney-niji7</c> ids).</summary>
    public int? StyleVersion { get; set; }

    /// <summary>Writes the wire object (<c>niji7Options</c>) with only the properties that are set.</summary>
    /// <returns>The object.</returns>
    public JsonObject ToJsonObject()
    {
        var json = new JsonObject();
        Put(json, "stylize", Stylize);
        Put(json, "chaos", Chaos);
        if (Raw is { } raw)
        {
            json["raw"] = raw;
        }

        if (ImageWeight is { } iw)
        {
            json["iw"] = iw;
        }

        if (StyleReference is not null)
        {
            json["sref"] = StyleReference;
        }

        Put(json, "sw", StyleWeight);
        if (Quality is not null)
        {
            json["quality"] = Quality;
        }

        Put(json, "weird", Weird);
        Put(json, "sv", StyleVersion);
        return json;
    }

    private static void Put(JsonObject json, string name, int? value)
    {
        if (value is { } v)
        {
            json[name] = v;
        }
    }
}
