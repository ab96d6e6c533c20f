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

    public string? Env(string name) => Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public static CliContext FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        Environment = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal),
    };
}
