using System.Collections.Concurrent;
using System.Text.Json;
using MediaGen.Ledger;

namespace MediaGen;

/// <summary>
/// The embedded <see cref="IJobLedger"/>: an append-only file of JSON lines, one event per line
/// (<c>submitted</c> or <c>finished</c>), each flushed to disk (<see cref="FileStream.Flush(bool)"/> with
/// <see langword="true"/>) before the call returns.
/// </summary>
/// <remarks>
/// <para>
/// Reading tolerates what a crash or a stray editor leaves behind: a torn (partial) last line and lines that are not
/// ledger events are skipped and counted (<see cref="JobLedgerSnapshot.SkippedLines"/>), never thrown. The next append
/// after a torn line starts on a fresh line, so the torn line cannot swallow it.
/// </para>
/// <para>
/// Every instance over the same file in one process shares one lock, so concurrent use within a process is safe, even
/// through several instances. Several <em>processes</em> appending to one file are not coordinated (and
/// <see cref="CompactAsync"/> while another process appends may lose its event): give each process its own file, or use a
/// database-backed <see cref="IJobLedger"/>.
/// </para>
/// <para>The file grows with every job; <see cref="CompactAsync"/> rewrites it with only the unfinished jobs.</para>
/// </remarks>
public sealed class JsonLinesJobLedger : IJobLedger
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates =
        new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate;
    private readonly TimeProvider _time;

    /// <summary>Opens (or, on the first record, creates) a ledger file.</summary>
    /// <param name="filePath">The file, e.g. <c>jobs.ledger.jsonl</c>; its directory is created when missing.</param>
    /// <param name="timeProvider">The clock for record times (default: the system clock).</param>
    public JsonLinesJobLedger(string filePath, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        FilePath = Path.GetFullPath(filePath);
        _time = timeProvider ?? TimeProvider.System;
        _gate = Gates.GetOrAdd(FilePath, static _ => new SemaphoreSlim(1, 1));
    }

    /// <summary>Gets the full path of the ledger file.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public Task RecordSubmittedAsync(JobHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return AppendAsync(new LedgerEvent { Event = LedgerEvent.Submitted, Handle = handle }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordFinishedAsync(JobHandle handle, GenerationStatus? status, string? note, CancellationToken cancellationToken = default)
    {
        JobLedgerState.ValidateFinish(handle, status, note);
        return AppendAsync(
            new LedgerEvent { Event = LedgerEvent.Finished, Handle = handle, Status = status?.ToString().ToLowerInvariant(), Note = note },
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JobLedgerEntry>> ListUnfinishedAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false)).Unfinished;

    /// <summary>Reads the whole file: every job, finished or not, and how many lines were skipped.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot (empty when the file does not exist yet).</returns>
    public async Task<JobLedgerSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(await ReadBytesAsync(cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Rewrites the file with only the unfinished jobs (one <c>submitted</c> line each, with its original record time),
    /// dropping finished jobs and unreadable lines. The new file is written and flushed beside the old one, then
    /// atomically replaces it, so a crash during compaction leaves either the old file or the new one.
    /// </summary>
    /// <param name="cancellationToken">Cancels before the replace.</param>
    /// <returns>What was kept and removed.</returns>
    public async Task<JobLedgerCompaction> CompactAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var bytes = await ReadBytesAsync(cancellationToken).ConfigureAwait(false);
            var snapshot = Parse(bytes);
            var unfinished = snapshot.Unfinished;
            var result = new JobLedgerCompaction(unfinished.Count, snapshot.Entries.Count - unfinished.Count, snapshot.SkippedLines);
            if (bytes.Length == 0)
            {
                return result;
            }

            var temp = $"{FilePath}.{Guid.NewGuid():N}.tmp";
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    foreach (var entry in unfinished)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var line = Serialize(new LedgerEvent { Event = LedgerEvent.Submitted, Handle = entry.Handle, At = entry.RecordedAt!.Value }, leadingNewline: false);
                        stream.Write(line);
                    }

                    stream.Flush(flushToDisk: true);
                }

                cancellationToken.ThrowIfCancellationRequested();
                File.Move(temp, FilePath, overwrite: true);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Parses ledger lines, skipping (and counting) the unreadable ones.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <returns>The snapshot.</returns>
    internal static JobLedgerSnapshot Parse(ReadOnlySpan<byte> data)
    {
        var state = new JobLedgerState();
        var skipped = 0;
        while (!data.IsEmpty)
        {
            var end = data.IndexOf((byte)'\n');
            var line = end < 0 ? data : data[..end];
            data = end < 0 ? [] : data[(end + 1)..];
            line = line.Trim(" \t\r"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            if (!TryApply(state, line))
            {
                skipped++;
            }
        }

        return new JobLedgerSnapshot(state.All(), skipped);
    }

    private static bool TryApply(JobLedgerState state, ReadOnlySpan<byte> line)
    {
        LedgerEvent? e;
        try
        {
            e = JsonSerializer.Deserialize(line, LedgerJsonContext.Default.LedgerEvent);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return false; // torn or garbage line: the handle converter and the reader throw these on malformed input
        }

        if (e?.Handle is not { } handle)
        {
            return false;
        }

        switch (e.Event)
        {
            case LedgerEvent.Submitted:
                state.ApplySubmitted(handle, e.At);
                return true;
            case LedgerEvent.Finished:
                // A finish whose status this version does not know still settles the job.
                state.ApplyFinished(handle, e.At, ParseTerminal(e.Status), e.Note);
                return true;
            default:
                return false;
        }
    }

    private static GenerationStatus? ParseTerminal(string? status) =>
        status is not null
        && !char.IsAsciiDigit(status.FirstOrDefault())
        && Enum.TryParse<GenerationStatus>(status, ignoreCase: true, out var s)
        && s is GenerationStatus.Succeeded or GenerationStatus.Failed or GenerationStatus.Canceled
            ? s
            : null;

    private static byte[] Serialize(LedgerEvent e, bool leadingNewline)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(e, LedgerJsonContext.Default.LedgerEvent);
        var offset = leadingNewline ? 1 : 0;
        var line = new byte[json.Length + offset + 1];
        if (leadingNewline)
        {
            line[0] = (byte)'\n';
        }

        json.CopyTo(line, offset);
        line[^1] = (byte)'\n';
        return line;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // best effort: a stray temp file is harmless
        }
    }

    private async Task AppendAsync(LedgerEvent e, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // From here on the token is not observed: a record is written and flushed whole, or the call throws.
            e.At = _time.GetUtcNow();
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            using var stream = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            var tornTail = false;
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                tornTail = stream.ReadByte() != '\n'; // a crash cut the last line: start on a fresh one
            }

            stream.Seek(0, SeekOrigin.End);
            stream.Write(Serialize(e, tornTail));
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<byte[]> ReadBytesAsync(CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream(checked((int)stream.Length));
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}
