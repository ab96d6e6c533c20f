using System.CommandLine;
using MediaGen.PostgreSql;
using MediaGen.Sqlite;

namespace MediaGen.Cli;

/// <summary>
/// Where the CLI keeps its job store: <c>--store</c>, else <c>MEDIAGEN_STORE</c>, else <c>jobs.db</c> in the user's data
/// directory (<c>$XDG_DATA_HOME/mediagen</c>, else <c>~/.local/share/mediagen</c>, else LocalApplicationData/mediagen). A
/// path (or <c>sqlite:</c> path) opens the SQLite store; a <c>postgresql://</c> URL or an Npgsql connection string goes to
/// <see cref="PostgreSql"/>, the one seam where the MediaGen.PostgreSql package plugs in.
/// </summary>
internal static class StoreSetup
{
    /// <summary>The file name of the default store.</summary>
    public const string FileName = "jobs.db";

    /// <summary>
    /// Opens a PostgreSQL store from a URL or connection string: <see cref="PostgreSqlJobStore.OpenAsync(string, TimeProvider?, CancellationToken)"/>
    /// (schema created or migrated at open). Null in a build without MediaGen.PostgreSql.
    /// </summary>
    public static Func<string, CancellationToken, Task<IJobStore>>? PostgreSql { get; set; } =
        static async (connectionString, cancellationToken) => await PostgreSqlJobStore.OpenAsync(connectionString, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Creates the <c>--store</c> option.</summary>
    /// <returns>The option.</returns>
    public static Option<string> CreateOption() => new("--store")
    {
        Description = "The job store: a SQLite file path, a postgresql:// URL or an Npgsql connection string (default: MEDIAGEN_STORE, else $XDG_DATA_HOME/mediagen/jobs.db).",
    };

    /// <summary>Gets the default store path for this user.</summary>
    /// <param name="context">The CLI context (its environment).</param>
    /// <returns>The path.</returns>
    public static string DefaultPath(CliContext context)
    {
        var data = context.Env("XDG_DATA_HOME")
            ?? (context.Env("HOME") is { } home ? Path.Combine(home, ".local", "share") : null)
            ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(data, "mediagen", FileName);
    }

    /// <summary>Opens the store the options and environment choose.</summary>
    /// <param name="context">The CLI context.</param>
    /// <param name="option">The <c>--store</c> value, or null.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The store.</returns>
    /// <exception cref="CliUsageException">A PostgreSQL store was asked for and the package is not referenced.</exception>
    public static async Task<IJobStore> OpenAsync(CliContext context, string? option, CancellationToken cancellationToken)
    {
        var value = !string.IsNullOrWhiteSpace(option) ? option.Trim() : context.Env("MEDIAGEN_STORE") ?? DefaultPath(context);
        if (IsPostgreSql(value))
        {
            return PostgreSql is { } open
                ? await open(value, cancellationToken).ConfigureAwait(false)
                : throw new CliUsageException("The store is a PostgreSQL database (a postgresql:// URL or a connection string), which needs the MediaGen.PostgreSql package; this mediagen build does not include it. Use a SQLite file path instead, or a build that references MediaGen.PostgreSql.");
        }

        var path = value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? value["sqlite:".Length..] : value;
        return await SqliteJobStore.OpenAsync(Path.GetFullPath(path, context.WorkingDirectory), context.TimeProvider, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Wraps a generator so every job is recorded in the store and a key is submitted once.</summary>
    /// <param name="generator">The router.</param>
    /// <param name="store">The store.</param>
    /// <param name="context">The CLI context (its clock).</param>
    /// <returns>The wrapped generator (disposing it does not dispose the router, which its setup owns).</returns>
    public static IMediaGenerator Wrap(IMediaGenerator generator, IJobStore store, CliContext context) =>
        new JobStoreMediaGenerator(new Unowned(generator), store, new JobStoreOptions { Owner = OwnerId(), TimeProvider = context.TimeProvider });

    /// <summary>This process's owner id: <c>host/pid/random</c> (what <see cref="IsDeadLocalOwner"/> reads back).</summary>
    /// <returns>The id.</returns>
    public static string OwnerId() => JobLease.NewOwnerId();

    /// <summary>Whether a lease owner id names a process on this machine that is no longer running (its lease can be released at once).</summary>
    /// <param name="owner">The owner id.</param>
    /// <returns>Whether the owner is dead.</returns>
    public static bool IsDeadLocalOwner(string? owner)
    {
        var parts = owner?.Split('/');
        if (parts is not { Length: 3 } || !string.Equals(parts[0], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>
    /// The idempotency key a <c>--idempotency-key</c> value sends: a UUID as given; any other text as the UUID derived from it
    /// (SHA-256, version 8), since some vendors (MeiGen) take only UUIDs. The same text always gives the same key.
    /// </summary>
    /// <param name="text">The value given.</param>
    /// <returns>The key, or null when none was given.</returns>
    public static string? RequestKey(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (Guid.TryParse(text, out var given))
        {
            return given.ToString();
        }

        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("mediagen-idempotency-key:" + text))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    /// <summary>
    /// Applies <c>MEDIAGEN_POLL_INTERVAL</c> (a TimeSpan, e.g. <c>00:00:00.200</c>) as the first-poll delay and poll interval:
    /// for emulators and tests that run real mediagen processes, where a real model's schedule would only make them slow.
    /// </summary>
    /// <param name="context">The CLI context.</param>
    /// <param name="options">The wait options to change.</param>
    public static void ApplyPollInterval(CliContext context, WaitOptions options)
    {
        if (context.Env("MEDIAGEN_POLL_INTERVAL") is { } text)
        {
            var interval = TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero
                ? parsed
                : throw new CliUsageException($"MEDIAGEN_POLL_INTERVAL must be a positive time span such as 00:00:00.200; got '{text}'.");
            options.FirstPollDelay = interval;
            options.PollInterval = interval;
        }
    }

    private static bool IsPostgreSql(string value) =>
        value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || (value.Contains('=', StringComparison.Ordinal) && value.Contains("host", StringComparison.OrdinalIgnoreCase) && value.Contains(';', StringComparison.Ordinal));

    private sealed class Unowned(IMediaGenerator inner) : DelegatingMediaGenerator(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The router belongs to VendorSetup, which disposes it.
            base.Dispose(false);
        }
    }
}
