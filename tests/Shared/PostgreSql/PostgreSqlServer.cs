using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MediaGen.PostgreSqlTesting;

/// <summary>
/// A throwaway PostgreSQL server for tests, from the OS packages: finds <c>initdb</c> (on PATH or under
/// /usr/lib/postgresql/*/bin), installs Debian's <c>postgresql</c> with apt-get when it is missing and we are root, runs
/// <c>initdb</c> in a temp directory (as the <c>postgres</c> user when we are root: the server refuses root), starts it with
/// <c>pg_ctl</c> on a free loopback port with its unix socket in the temp directory, and stops and deletes it on dispose.
/// Compiled into each test project that needs one from tests/Shared/PostgreSql. It never skips: when the server cannot
/// start, creating it throws, so the tests fail (in CI and elsewhere) with the reason.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _data;
    private readonly bool _asPostgresUser;
    private int _databases;

    private PostgreSqlServer(string bin, string dir, int port, bool asPostgresUser)
    {
        _bin = bin;
        Directory = dir;
        _data = Path.Combine(dir, "data");
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>Gets the temp directory holding the cluster, its log and its socket.</summary>
    public string Directory { get; }

    /// <summary>Gets the loopback TCP port.</summary>
    public int Port { get; }

    /// <summary>Gets the superuser's connection string to the maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>Starts a server.</summary>
    /// <returns>The running server.</returns>
    public static async Task<PostgreSqlServer> StartAsync()
    {
        var bin = FindBin() ?? await InstallAsync();
        var root = Environment.UserName == "root" || (OperatingSystem.IsLinux() && File.Exists("/proc/self/status") && File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0"));
        var dir = Path.Combine(Path.GetTempPath(), "mediagen-pg-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        if (root)
        {
            await RunAsync("chown", ["postgres:postgres", dir]);
        }

        var server = new PostgreSqlServer(bin, dir, FreePort(), root);
        try
        {
            await server.PgAsync("initdb", ["-D", server._data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
            await server.PgAsync("pg_ctl", [
                "-D", server._data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60",
                "-o", $"-p {server.Port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c shared_buffers=32MB", "start"]);
        }
        catch (Exception e)
        {
            var log = Path.Combine(dir, "server.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no server log)";
            await server.DisposeAsync();
            throw new InvalidOperationException($"The throwaway PostgreSQL server did not start: {e.Message}\n{tail}", e);
        }

        return server;
    }

    /// <summary>Gets a connection string to a database of this server.</summary>
    /// <param name="database">The database.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Timeout = 30, CommandTimeout = 60 }.ConnectionString;

    /// <summary>Creates a fresh, empty database.</summary>
    /// <param name="prefix">A name prefix.</param>
    /// <returns>Its connection string.</returns>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (immediately) and deletes its directory.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
            {
                await PgAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]);
            }
        }
        catch (InvalidOperationException)
        {
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string? FindBin()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        return System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static async Task<string> InstallAsync()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
        {
            throw new InvalidOperationException("PostgreSQL's initdb was not found (PATH, /usr/lib/postgresql/*/bin) and it cannot be installed here (apt-get as root); install the OS package 'postgresql' (Debian/Ubuntu: apt-get install -y postgresql) and run the tests again.");
        }

        try
        {
            await RunAsync("apt-get", ["install", "-y", "-qq", "postgresql"]);
        }
        catch (InvalidOperationException)
        {
            await RunAsync("apt-get", ["update", "-qq"]);
            await RunAsync("apt-get", ["install", "-y", "-qq", "postgresql"]);
        }

        return FindBin() ?? throw new InvalidOperationException("apt-get installed postgresql but initdb is still not found under /usr/lib/postgresql/*/bin.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task PgAsync(string tool, string[] args) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
        }
    }
}
