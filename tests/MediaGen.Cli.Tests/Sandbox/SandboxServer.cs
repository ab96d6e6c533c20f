using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

// The folder is named after the command; the namespace stays MediaGen.Cli.Tests so that "Sandbox" keeps naming the CLI's type.
namespace MediaGen.Cli.Tests;

/// <summary>
/// <c>mediagen sandbox</c> as a real process (the built <c>MediaGen.Cli.dll</c> run with <c>dotnet exec</c>), the
/// addresses and keys it prints, its console's JSON API, and <c>mediagen generate</c> run against it as another process.
/// </summary>
internal sealed class SandboxServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Dictionary<string, string> _environment;
    private readonly string _workDir;

    private SandboxServer(Process process, Dictionary<string, string> environment, Uri console)
    {
        _process = process;
        _environment = environment;
        Console = console;
        Http = new HttpClient { BaseAddress = console, Timeout = TimeSpan.FromSeconds(30) };
        _workDir = Directory.CreateTempSubdirectory("mediagen-console-").FullName;
    }

    /// <summary>Gets the console's address (the sandbox's root).</summary>
    public Uri Console { get; }

    /// <summary>Gets a client whose base address is the console's.</summary>
    public HttpClient Http { get; }

    /// <summary>Gets the variables the sandbox printed (<c>MEIGEN_BASE_URL</c>, <c>MEIGEN_API_KEY</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>mediagen sandbox --port 0</c> with <paramref name="args"/> and reads what it prints up to its console line.</summary>
    public static async Task<SandboxServer> StartAsync(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost(), ["exec", CliDll(), "sandbox", "--port", "0", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                string? line = await process.StandardOutput.ReadLineAsync(startup.Token);
                if (line is null)
                {
                    throw new InvalidOperationException("mediagen sandbox ended before it printed its console address: " + await process.StandardError.ReadToEndAsync(startup.Token));
                }

                foreach (string word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    int eq = word.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0 && word[..eq].All(c => char.IsAsciiLetterUpper(c) || c == '_'))
                    {
                        environment[word[..eq]] = word[(eq + 1)..];
                    }
                }

                if (line.StartsWith("Console", StringComparison.Ordinal))
                {
                    var server = new SandboxServer(process, environment, new Uri(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
                    process.ErrorDataReceived += server.OnStderr;
                    process.BeginErrorReadLine();
                    return server;
                }
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>mediagen generate</c> with MeiGen and VeoGen pointed at this sandbox (Apiframe has no key, so it is not used).</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> GenerateAsync(string prompt, params string[] providers)
    {
        List<string> args = ["exec", CliDll(), "generate", prompt, "--model", "nano-banana-2"];
        foreach (string provider in providers)
        {
            args.AddRange(["--provider", provider]);
        }

        var start = new ProcessStartInfo(DotnetHost(), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _workDir,
        };
        foreach (string name in new[] { "MEIGEN", "VEOGEN", "APIFRAME" }.SelectMany(v => new[] { v + "_API_KEY", v + "_BASE_URL", v + "_USD_PER_CREDIT" }).Append("MEDIAGEN_STORE"))
        {
            start.Environment.Remove(name);
        }

        foreach (string name in new[] { "MEIGEN_BASE_URL", "MEIGEN_API_KEY", "VEOGEN_BASE_URL", "VEOGEN_API_KEY" })
        {
            start.Environment[name] = _environment[name];
        }

        start.Environment["XDG_DATA_HOME"] = _workDir;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(CommandLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mediagen generate was still running after {CommandLimit.TotalSeconds} s. stderr so far:\n{Stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Gets a JSON document from the console's API and checks it answered 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>Switches a fault on through the JSON API.</summary>
    public async Task<HttpResponseMessage> PostFaultAsync(string vendor, string kind, int? count = null) =>
        await Http.PostAsJsonAsync("_console/api/faults", new FaultBody(vendor, kind, count), FaultBodyJson.Default.FaultBody);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string CliDll()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MediaGen.Cli.dll");
        Assert.True(File.Exists(dll), $"the built CLI is missing: {dll}");
        return dll;
    }

    private static string DotnetHost() =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void OnStderr(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not null)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        }
    }
}

/// <summary>The body of <c>POST /_console/api/faults</c>.</summary>
internal sealed record FaultBody(string Vendor, string Kind, int? Count);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(FaultBody))]
internal sealed partial class FaultBodyJson : System.Text.Json.Serialization.JsonSerializerContext;
