using System.Text.Json;
using MediaGen.Testing;

namespace MediaGen.Cli.Tests;

/// <summary>Runs the CLI's entry point in-process with captured output, a fake clock and a given environment.</summary>
internal sealed class CliRunner
{
    public FakeClock Clock { get; } = new();

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public string WorkingDirectory { get; init; } = Directory.CreateTempSubdirectory("mediagen-cli-").FullName;

    public Action<Sandbox>? OnSandboxStarted { get; set; }

    public Func<WaitOptions, WaitOptions>? ConfigureWait { get; set; }

    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(CancellationToken.None, args);

    public async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        // Keep every run's job store inside the test's directory, never in the user's data directory.
        Environment.TryAdd("XDG_DATA_HOME", Path.Combine(WorkingDirectory, "data"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext
        {
            Out = stdout,
            Error = stderr,
            Environment = Environment,
            WorkingDirectory = WorkingDirectory,
            TimeProvider = Clock,
            OnSandboxStarted = OnSandboxStarted,
            ConfigureWait = ConfigureWait,
        };
        var code = await Clock.DriveAsync(CliApp.RunAsync(args, context, cancellationToken), TimeSpan.FromHours(2));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
    }
}
