namespace MediaGen;

/// <summary>How reference images are interpreted, for models that read them more than one way (Midjourney).</summary>
public enum ReferenceMode
{
    /// <summary>Use the reference as subject matter.</summary>
    Content,

    /// <summary>Extract only the visual style of the reference.</summary>
    Style,
}
