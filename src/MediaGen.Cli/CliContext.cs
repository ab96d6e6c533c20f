namespace MediaGen.Cli;

/// <summary>Everything the CLI touches outside itself, so tests can run it in-process.</summary>
internal sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets options applied to every wait (tests shorten the sandbox schedule through it).</summary>
    public Func<WaitOptions, WaitOptions>? ConfigureWait { get; init; }

    /// <summary>Gets a callback told when a sandbox started (tests use it to inject faults).</summary>
    public Action<Sandbox>? OnSandboxStarted { get; init; }

    /// <summary>Gets a value indicating whether stderr is a terminal (progress redraws one line in place there).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Gets the width of the terminal stdout is, or null when stdout is not a terminal (tests, pipes, files).</summary>
    public int? TerminalWidth { get; init; }

    /// <summary>
    /// Gets the width tables and help are laid out in: <c>COLUMNS</c> when set to a positive number, else the terminal's
    /// width, else 80 (a pipe, a file, an unknown terminal).
    /// </summary>
    public int Width => Env("COLUMNS") is { } text && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns) && columns > 0
        ? Math.Max(columns, MinimumWidth)
        : TerminalWidth is > 0 and var w ? Math.Max(w, MinimumWidth) : DefaultWidth;

    /// <summary>The width used when the terminal's is unknown.</summary>
    public const int DefaultWidth = 80;

    /// <summary>The narrowest layout (below it lines wrap anyway).</summary>
    public const int MinimumWidth = 40;

    public string? Env(string name) => Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public static CliContext FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        TerminalWidth = Console.IsOutputRedirected ? null : SafeWindowWidth(),
        ErrorIsTerminal = !Console.IsErrorRedirected,
        Environment = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal),
    };

    private static int? SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
