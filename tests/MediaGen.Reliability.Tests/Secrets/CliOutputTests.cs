using MediaGen.Cli;
using MediaGen.Reliability.Tests.Support;
using MediaGen.Testing;
using Xunit.Abstractions;

namespace MediaGen.Reliability.Tests.Secrets;

/// <summary>
/// The <c>mediagen</c> CLI, run in-process with its API keys in the environment and the vendors' emulators as the
/// base URLs: nothing it prints — tables, JSON, progress, errors for refused keys, dropped connections, vendor 5xx,
/// bad input — shows a key.
/// </summary>
public sealed class CliOutputTests(ITestOutputHelper output) : IDisposable
{
    private const string WrongSuffix = "-WRONG-KEY-5f4e3d2c1b0a";
    private readonly string _directory = Directory.CreateTempSubdirectory("mediagen-cli-secrets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Cli_EveryCommandAndFailure_NeverPrintsAnApiKey()
    {
        var time = new FakeClock();
        var hosts = new Dictionary<string, EmulatorHost>();
        foreach (var vendor in Vendor.All)
        {
            hosts[vendor.Name] = await EmulatorHost.StartAsync(vendor.NewEmulator(), new EmulatorHostOptions { TimeProvider = time });
        }

        var transcripts = new List<(string Command, int Exit, string Text)>();
        try
        {
            var environment = Environment(hosts, suffix: string.Empty);
            async Task Run(IReadOnlyDictionary<string, string?> env, params string[] args)
            {
                var stdout = new StringWriter();
                var stderr = new StringWriter();
                // The job store goes into this test's directory, never the user's ~/.local/share/mediagen.
                var isolated = new Dictionary<string, string?>(env, StringComparer.Ordinal) { ["XDG_DATA_HOME"] = _directory };
                var context = new CliContext { Out = stdout, Error = stderr, Environment = isolated, WorkingDirectory = _directory, TimeProvider = time };
                var exit = await time.DriveAsync(CliApp.RunAsync(args, context), TimeSpan.FromHours(2));
                transcripts.Add((string.Join(' ', args), exit, stdout + "\n" + stderr));
            }

            await Run(environment, "models");
            await Run(environment, "models", "--json");
            await Run(environment, "quote", "--model", "nano-banana-2");
            await Run(environment, "quote", "--model", "nano-banana-2", "--json");
            foreach (var vendor in Vendor.All)
            {
                await Run(environment, "generate", $"A red fox via {vendor.Name}", "--model", "nano-banana-2", "--provider", vendor.Name, "--out", Path.Combine(_directory, vendor.Name));
                await Run(environment, "generate", $"A red fox via {vendor.Name}, json", "--model", "nano-banana-2", "--provider", vendor.Name, "--json", "--out", Path.Combine(_directory, vendor.Name));
                hosts[vendor.Name].Faults.On(HttpMethod.Post, vendor.SubmitPath).Once().DropConnectionAfterHandler();
                await Run(environment, "generate", $"A red fox via {vendor.Name}, dropped", "--model", "nano-banana-2", "--provider", vendor.Name, "--no-wait", "--json");
                hosts[vendor.Name].Faults.On(HttpMethod.Post, vendor.SubmitPath).Times(10).RespondWith(500, """{"error":"Internal Server Error"}""");
                await Run(environment, "generate", $"A red fox via {vendor.Name}, 500", "--model", "nano-banana-2", "--provider", vendor.Name);
                hosts[vendor.Name].Faults.Clear();
                await Run(environment, "status", $"{vendor.Name}:00000000-0000-4000-8000-00000000dead");
                await Run(environment, "status", $"{vendor.Name}:00000000-0000-4000-8000-00000000dead", "--json");
            }

            var wrong = Environment(hosts, WrongSuffix);
            await Run(wrong, "generate", "A red fox, refused keys", "--model", "nano-banana-2");
            await Run(wrong, "generate", "A red fox, refused keys", "--model", "nano-banana-2", "--json");
            await Run(environment, "generate", string.Empty, "--model", "nano-banana-2");
            await Run(environment, "generate", "x", "--model", "nano-banana-2", "--reference-image", "http://example.com/a.png", "--json");
            await Run(environment, "status", "not-a-handle");
        }
        finally
        {
            foreach (var host in hosts.Values)
            {
                await host.DisposeAsync();
            }
        }

        var secrets = Vendor.All.SelectMany(v => new[] { v.ApiKey, v.ApiKey + WrongSuffix }).ToArray();
        var leaks = transcripts.SelectMany(t => secrets.Where(s => t.Text.Contains(s, StringComparison.Ordinal)).Select(s => $"`mediagen {t.Command}` printed a key")).ToList();
        var figures = new Figures("cli", "Secrets — the mediagen CLI's output");
        figures.Line($"- commands run: {transcripts.Count} (models, quote, generate with tables and --json at each vendor, a dropped submit, vendor 500s, unknown jobs, refused keys, bad input); exit codes: {string.Join(", ", transcripts.GroupBy(t => t.Exit).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}"))}");
        figures.Line($"- characters of output scanned: {transcripts.Sum(t => t.Text.Length):N0}; secrets looked for: {secrets.Length}; occurrences: {leaks.Count}");
        figures.Publish(output);

        Assert.True(leaks.Count == 0, string.Join(System.Environment.NewLine, leaks));
        Assert.Contains(transcripts, t => t.Exit == 0 && t.Command.StartsWith("generate", StringComparison.Ordinal));
        Assert.Contains(transcripts, t => t.Exit == 0 && t.Command.StartsWith("quote", StringComparison.Ordinal));
        Assert.Contains(transcripts, t => t.Exit != 0 && t.Text.Contains("refused the API key", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Environment(Dictionary<string, EmulatorHost> hosts, string suffix) => new(StringComparer.Ordinal)
    {
        ["MEIGEN_API_KEY"] = Vendor.Get("meigen").ApiKey + suffix,
        ["MEIGEN_BASE_URL"] = new Uri(hosts["meigen"].BaseAddress, "api/").AbsoluteUri,
        ["VEOGEN_API_KEY"] = Vendor.Get("veogen").ApiKey + suffix,
        ["VEOGEN_BASE_URL"] = new Uri(hosts["veogen"].BaseAddress, "api/v1/").AbsoluteUri,
        ["APIFRAME_API_KEY"] = Vendor.Get("apiframe").ApiKey + suffix,
        ["APIFRAME_BASE_URL"] = hosts["apiframe"].BaseAddress.AbsoluteUri,
        ["MEIGEN_USD_PER_CREDIT"] = "0.012",
        ["APIFRAME_USD_PER_CREDIT"] = "0.01",
    };
}
