namespace MediaGen.Testing.Internal;

/// <summary>
/// The emulator whose endpoint is handling the current request (set by the host's middleware), so charges and jobs an
/// emulator records directly on the shared ledger and scripts are attributed to it without passing its name.
/// </summary>
internal static class EmulatorScope
{
    private static readonly AsyncLocal<string?> CurrentName = new();

    public static string? Current
    {
        get => CurrentName.Value;
        set => CurrentName.Value = value;
    }
}
