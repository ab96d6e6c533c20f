namespace MediaGen.Telemetry;

/// <summary>What the instrumentation records.</summary>
public sealed class MediaGenTelemetryOptions
{
    /// <summary>Gets or sets whether prompts (and output URLs) are added to spans and Trace logs. Off by default: prompts can be personal data.</summary>
    /// <value>The default is false.</value>
    public bool EnableSensitiveData { get; set; }
}
