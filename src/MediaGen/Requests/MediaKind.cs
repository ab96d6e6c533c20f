namespace MediaGen;

/// <summary>The kind of media a model produces or an output holds.</summary>
public enum MediaKind
{
    /// <summary>A still image.</summary>
    Image,

    /// <summary>A video clip.</summary>
    Video,

    /// <summary>An audio track.</summary>
    Audio,
}
