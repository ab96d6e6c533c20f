namespace MediaGen;

/// <summary>How reference images are interpreted (Midjourney on MeiGen).</summary>
public enum ReferenceMode
{
    /// <summary>Use the reference as subject matter.</summary>
    Content,

    /// <summary>Extract only the visual style of the reference.</summary>
    Style,
}
