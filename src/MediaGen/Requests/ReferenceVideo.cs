namespace MediaGen;

/// <summary>A reference video: its public HTTPS URL and, for continuation, its length.</summary>
/// <param name="Url">The public HTTPS URL of the video.</param>
/// <param name="DurationSeconds">The length of the reference video in seconds; required for continuation billing.</param>
public sealed record ReferenceVideo(Uri Url, double? DurationSeconds = null);
