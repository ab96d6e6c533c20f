using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MediaGen.Samples.Tests.WebhookReceiver;

/// <summary>
/// One webhook receiver sample running as its own process (<c>dotnet exec</c> of the sample's build output, its
/// appsettings.json as shipped), on a free loopback port; its output is kept for failure messages.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private SampleProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the sample with these command-line arguments plus <c>--port</c>.</summary>
    public static SampleProcess Start(int port, params string[] args)
    {
        var dir = SampleDirectory;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(dir, "MediaGen.Samples.WebhookReceiver.dll"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["MEDIAGEN_STORE"] = null;
        return new SampleProcess(Process.Start(start)!, port);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <c>GET /</c> until the app answers (or the process exits, or the timeout passes).</summary>
    public async Task WaitReadyAsync(HttpClient client, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"The sample exited ({_process.ExitCode}) before answering. Output:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(BaseAddress);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"The sample on port {Port} did not answer within {timeout}. Output:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    private static string SampleDirectory
    {
        get
        {
            // tests/MediaGen.Samples.Tests/bin/<Configuration>/net10.0/ → samples/MediaGen.Samples.WebhookReceiver/bin/<Configuration>/net10.0/
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = bin.Parent!.Name;
            var root = bin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            var dir = Path.Combine(root, "samples", "MediaGen.Samples.WebhookReceiver", "bin", configuration, bin.Name);
            return File.Exists(Path.Combine(dir, "MediaGen.Samples.WebhookReceiver.dll"))
                ? dir
                : throw new FileNotFoundException("Build samples/MediaGen.Samples.WebhookReceiver first (the test project references it).", dir);
        }
    }
}
