using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MediaGen.PostgreSqlTesting;

/// <summary>One MediaGen.FleetDriver process: its JSON output lines as they arrive, and a way to kill it.</summary>
internal sealed class FleetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<JsonObject> _lines = [];
    private readonly List<string> _stderr = [];
    private readonly SemaphoreSlim _changed = new(0);
    private bool _disposed;

    private FleetProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.StartsWith('{'))
            {
                lock (_lines)
                {
                    _lines.Add(JsonNode.Parse(line)!.AsObject());
                }

                _changed.Release();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public IReadOnlyList<JsonObject> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IReadOnlyList<JsonObject> Results => [.. Lines.Where(l => l.ContainsKey("outcome"))];

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    public static FleetProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(DriverPath);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return new FleetProcess(Process.Start(start)!);
    }

    /// <summary>Waits until a line matches (the process's output is read as it comes; no sleeping).</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Lines.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (_process.HasExited)
            {
                // WaitForExit() without a timeout also waits until the redirected output has been read to its end.
                _process.WaitForExit();
                if (Lines.FirstOrDefault(match) is { } last)
                {
                    return last;
                }

                throw new InvalidOperationException($"The driver exited ({_process.ExitCode}) before the expected line. stderr: {Stderr}");
            }

            try
            {
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching line from driver {Id} within {timeout}. Last lines: {string.Join('\n', Lines.TakeLast(5))}\nstderr: {Stderr}");
            }
        }
    }

    public Task<JsonObject> WaitDoneAsync(TimeSpan timeout) => WaitForAsync(l => l.ContainsKey("done"), timeout);

    /// <summary>SIGKILL (kill -9): the process gets no chance to clean up.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        _changed.Dispose();
    }

    private static string DriverPath
    {
        get
        {
            // <project>/bin/<Configuration>/net10.0/ → tests/MediaGen.FleetDriver/bin/<Configuration>/net10.0/, from the test
            // project or the benchmarks (benchmarks/MediaGen.Benchmarks links this file): the repo root is the first parent
            // holding tests/MediaGen.FleetDriver.
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = bin.Parent!.Name;
            var root = bin.Parent.Parent;
            while (root is not null && !System.IO.Directory.Exists(Path.Combine(root.FullName, "tests", "MediaGen.FleetDriver")))
            {
                root = root.Parent;
            }

            var path = Path.Combine(root?.FullName ?? bin.FullName, "tests", "MediaGen.FleetDriver", "bin", configuration, bin.Name, "MediaGen.FleetDriver.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/MediaGen.FleetDriver first (the test project references it).", path);
        }
    }
}
