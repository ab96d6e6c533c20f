using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

// The folder is named after the command; the namespace stays MediaGen.Cli.Tests so that "Sandbox" keeps naming the CLI's type.
namespace MediaGen.Cli.Tests;

/// <summary>
/// Runs <c>mediagen sandbox</c> as the real process a person, <c>timeout</c>, systemd or Docker runs, and stops it the
/// way they do: with a signal.
/// </summary>
public class SandboxProcessTests
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Sandbox_Sigterm_ExitsWithinTwoSecondsAndNamesTheJobsInFlight()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // POSIX signals only.
        }

        await using var cli = await CliProcess.StartSandboxAsync();
        string jobId = await cli.SubmitVeoGenJobAsync("a lighthouse at dusk");

        var stopped = await cli.SignalAsync("TERM");

        Assert.True(stopped.Elapsed < StopLimit, $"mediagen sandbox took {stopped.Elapsed.TotalSeconds:0.00} s to stop after SIGTERM. stderr:\n{cli.Stderr}");
        Assert.Equal(0, stopped.ExitCode);
        Assert.Contains("SIGTERM received", cli.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 job was still in flight", cli.Stderr, StringComparison.Ordinal);
        Assert.Contains(jobId, cli.Stderr, StringComparison.Ordinal);
        Assert.Contains("a lighthouse at dusk", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sandbox_Sigint_ExitsWithinTwoSeconds()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        if (CliProcess.SigintIgnoredByParent())
        {
            return; // A child inherits an ignored SIGINT (a shell's background job); then the signal never arrives.
        }

        await using var cli = await CliProcess.StartSandboxAsync();

        var stopped = await cli.SignalAsync("INT");

        Assert.True(stopped.Elapsed < StopLimit, $"mediagen sandbox took {stopped.Elapsed.TotalSeconds:0.00} s to stop after SIGINT. stderr:\n{cli.Stderr}");
        Assert.Equal(0, stopped.ExitCode);
        Assert.Contains("nothing was in flight", cli.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The built CLI (<c>MediaGen.Cli.dll</c> beside the tests) run with <c>dotnet exec</c>.</summary>
    private sealed class CliProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stderr = new();
        private readonly Uri _veoGenBaseUrl;

        private CliProcess(Process process, Uri veoGenBaseUrl)
        {
            _process = process;
            _veoGenBaseUrl = veoGenBaseUrl;
        }

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

        public static async Task<CliProcess> StartSandboxAsync()
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "MediaGen.Cli.dll");
            Assert.True(File.Exists(dll), $"the built CLI is missing: {dll}");
            var start = new ProcessStartInfo(DotnetHost(), ["exec", dll, "sandbox", "--port", "0"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                // The sandbox prints one line per vendor; VeoGen's names its base URL.
                while (true)
                {
                    string? line = await process.StandardOutput.ReadLineAsync(startup.Token);
                    if (line is null)
                    {
                        throw new InvalidOperationException("mediagen sandbox ended before it printed its addresses: " + await process.StandardError.ReadToEndAsync(startup.Token));
                    }

                    const string Marker = "VEOGEN_BASE_URL=";
                    int at = line.IndexOf(Marker, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        string url = line[(at + Marker.Length)..].Split(' ', 2)[0];
                        var cli = new CliProcess(process, new Uri(url.TrimEnd('/') + "/"));
                        process.ErrorDataReceived += cli.OnStderr;
                        process.BeginErrorReadLine();
                        return cli;
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

        public static bool SigintIgnoredByParent()
        {
            // SigIgn in /proc/self/status is a hex mask; bit 1 (value 2) is SIGINT.
            const string Field = "SigIgn:";
            string? line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(Field, StringComparison.Ordinal)) : null;
            return line is not null && (Convert.ToUInt64(line[Field.Length..].Trim(), 16) & 2) != 0;
        }

        /// <summary>Submits a generation the sandbox keeps in flight until someone polls it.</summary>
        public async Task<string> SubmitVeoGenJobAsync(string prompt)
        {
            using var http = new HttpClient { BaseAddress = _veoGenBaseUrl };
            using var request = new HttpRequestMessage(HttpMethod.Post, "generations")
            {
                Content = new StringContent($"{{\"model\": \"gpt-4o-image\", \"prompt\": \"{prompt}\", \"aspect_ratio\": \"16:9\"}}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "YOUR_TOKEN");
            using var response = await http.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.GetProperty("data").GetProperty("id").GetString()!;
        }

        /// <summary>Sends the signal with <c>kill</c>, as a supervisor does, and times how long the process takes to end.</summary>
        public async Task<(TimeSpan Elapsed, int ExitCode)> SignalAsync(string signal)
        {
            var clock = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"mediagen sandbox was still running 10 s after SIG{signal}. stderr:\n{Stderr}");
            }

            TimeSpan elapsed = clock.Elapsed;
            _process.WaitForExit(); // drains the redirected stderr
            return (elapsed, _process.ExitCode);
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
            return ValueTask.CompletedTask;
        }

        private static string DotnetHost() =>
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

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
}
