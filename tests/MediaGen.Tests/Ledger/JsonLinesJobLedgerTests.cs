using System.Text;
using System.Text.Json;
using MediaGen.Testing;

namespace MediaGen.Tests.Ledger;

public sealed class JsonLinesJobLedgerTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly TempDirectory _dir = new();
    private readonly string _path;

    public JsonLinesJobLedgerTests()
    {
        _path = _dir.File("jobs.ledger.jsonl");
    }

    public void Dispose() => _dir.Dispose();

    private JsonLinesJobLedger NewLedger() => new(_path, _clock);

    private string[] Lines() => File.ReadAllLines(_path).Where(l => l.Length > 0).ToArray();

    [Fact]
    public async Task RecordSubmittedAsync_WritesOneJsonLinePerEvent()
    {
        var ledger = NewLedger();

        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Succeeded, "done");

        var lines = Lines();
        Assert.Equal(2, lines.Length);
        using var submitted = JsonDocument.Parse(lines[0]);
        Assert.Equal("submitted", submitted.RootElement.GetProperty("event").GetString());
        Assert.Equal("meigen", submitted.RootElement.GetProperty("handle").GetProperty("provider").GetString());
        Assert.Equal("key-job-1", submitted.RootElement.GetProperty("handle").GetProperty("idempotencyKey").GetString());
        using var finished = JsonDocument.Parse(lines[1]);
        Assert.Equal("finished", finished.RootElement.GetProperty("event").GetString());
        Assert.Equal("succeeded", finished.RootElement.GetProperty("status").GetString());
        Assert.True(File.ReadAllBytes(_path)[^1] == (byte)'\n');
    }

    [Fact]
    public async Task ReadAsync_FinishedAndAbandoned_RoundTripStatusNoteAndTimes()
    {
        var ledger = NewLedger();
        var submittedAt = _clock.GetUtcNow();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-2"));
        _clock.Advance(TimeSpan.FromMinutes(2));

        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Failed, "content policy");
        await ledger.RecordAbandonedAsync(LedgerTestData.Handle("job-2"), "vendor account closed");

        var snapshot = await NewLedger().ReadAsync();
        Assert.Equal(0, snapshot.SkippedLines);
        Assert.Empty(snapshot.Unfinished);
        var failed = snapshot.Entries[0];
        Assert.Equal(GenerationStatus.Failed, failed.Status);
        Assert.Equal("content policy", failed.Note);
        Assert.Equal(submittedAt, failed.RecordedAt);
        Assert.Equal(_clock.GetUtcNow(), failed.FinishedAt);
        var abandoned = snapshot.Entries[1];
        Assert.True(abandoned.IsAbandoned);
        Assert.Null(abandoned.Status);
        Assert.Equal("vendor account closed", abandoned.Note);
    }

    [Fact]
    public async Task ListUnfinishedAsync_MissingFile_EmptyAndCreatesNothing()
    {
        var ledger = new JsonLinesJobLedger(_dir.File("sub/dir/none.jsonl"), _clock);

        Assert.Empty(await ledger.ListUnfinishedAsync());
        Assert.Equal(new JobLedgerCompaction(0, 0, 0), await ledger.CompactAsync());
        Assert.False(Directory.Exists(_dir.File("sub")));
    }

    [Fact]
    public async Task RecordSubmittedAsync_MissingDirectory_CreatesIt()
    {
        var ledger = new JsonLinesJobLedger(_dir.File("state/ledger/jobs.jsonl"), _clock);

        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));

        Assert.Single(await new JsonLinesJobLedger(_dir.File("state/ledger/jobs.jsonl"), _clock).ListUnfinishedAsync());
    }

    [Fact]
    public async Task ReadAsync_TornLastLine_SkippedAndCountedNeverThrows()
    {
        var ledger = NewLedger();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-2"));
        var fullLine = Lines()[1];
        await File.AppendAllTextAsync(_path, fullLine[..(fullLine.Length / 2)].Replace("job-2", "job-3", StringComparison.Ordinal)); // the crash cut it

        var snapshot = await NewLedger().ReadAsync();

        Assert.Equal(1, snapshot.SkippedLines);
        Assert.Equal(["job-1", "job-2"], snapshot.Unfinished.Select(e => e.Handle.VendorJobId));
    }

    [Fact]
    public async Task RecordSubmittedAsync_AfterTornLastLine_StartsOnAFreshLine()
    {
        var ledger = NewLedger();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        await File.AppendAllTextAsync(_path, "{\"v\":1,\"event\":\"submitted\",\"at\":\"2026-01-01T00:00:00+00:00\",\"handle\":{\"provider\":\"mei");

        var restarted = NewLedger();
        await restarted.RecordSubmittedAsync(LedgerTestData.Handle("job-2"));
        await restarted.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Succeeded, null);

        var snapshot = await NewLedger().ReadAsync();
        Assert.Equal(1, snapshot.SkippedLines);
        Assert.Equal("job-2", Assert.Single(snapshot.Unfinished).Handle.VendorJobId);
    }

    [Fact]
    public async Task ReadAsync_GarbageLines_SkippedAndCounted()
    {
        var ledger = NewLedger();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        string[] garbage =
        [
            "not json at all",
            "{}",
            "[1,2,3]",
            "null",
            "\"submitted\"",
            "{\"event\":\"exploded\",\"handle\":\"meigen:job-9\"}",            // unknown event
            "{\"event\":\"submitted\"}",                                      // no handle
            "{\"event\":\"submitted\",\"handle\":\"no-colon\"}",              // not a handle
            "{\"event\":\"submitted\",\"handle\":{\"provider\":\"a:b\",\"vendorJobId\":\"x\"}}", // provider with ':'
            "{\"event\":\"submitted\",\"handle\":{\"provider\":\"meigen\",\"vendorJobId\":\"x\",\"submittedAt\":\"yesterday\"}}",
            "{\"event\":\"submitted\",\"handle\":{\"provider\":\"meigen\",\"vendorJobId\":5}}",
            "{\"event\":\"submitted\",\"at\":42,\"handle\":\"meigen:job-8\"}",
            "{\"event\":\"submitted\",\"handle\":\"meigen:job-7\"",             // unclosed
        ];
        await File.AppendAllLinesAsync(_path, garbage);
        await File.AppendAllTextAsync(_path, "\n   \n\r\n"); // blank lines are not garbage
        await using (var stream = new FileStream(_path, FileMode.Append))
        {
            stream.Write([0xFF, 0xFE, 0x00, 0xC3, 0x28, (byte)'\n']); // invalid UTF-8
        }

        await File.AppendAllTextAsync(_path, "{\"v\":1,\"event\":\"submitted\",\"at\":\"2026-01-01T00:00:00+00:00\",\"handle\":\"meigen:job-2\",\"future\":{\"x\":1}}\n");
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-3"));

        var snapshot = await NewLedger().ReadAsync();

        Assert.Equal(garbage.Length + 1, snapshot.SkippedLines);
        Assert.Equal(["job-1", "job-2", "job-3"], snapshot.Unfinished.Select(e => e.Handle.VendorJobId));
    }

    [Fact]
    public async Task ReadAsync_FinishWithUnknownStatus_StillSettlesTheJob()
    {
        var ledger = NewLedger();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        await File.AppendAllTextAsync(_path, "{\"v\":2,\"event\":\"finished\",\"at\":\"2026-01-01T00:00:00+00:00\",\"handle\":\"meigen:job-1\",\"status\":\"refunded\"}\n");

        var snapshot = await NewLedger().ReadAsync();

        Assert.Equal(0, snapshot.SkippedLines);
        Assert.Empty(snapshot.Unfinished);
        Assert.Null(Assert.Single(snapshot.Entries).Status);
    }

    [Fact]
    public async Task RecordAsync_ConcurrentWritersOverTwoInstances_FileReadableWithEveryEntry()
    {
        var a = NewLedger();
        var b = NewLedger(); // same file, same process: the instances share one lock
        const int Jobs = 200;

        await Task.WhenAll(Enumerable.Range(0, Jobs).Select(i => Task.Run(async () =>
        {
            var ledger = i % 2 == 0 ? a : b;
            await ledger.RecordSubmittedAsync(LedgerTestData.Handle($"job-{i}"));
            if (i % 3 == 0)
            {
                await (i % 2 == 0 ? b : a).RecordFinishedAsync(LedgerTestData.Handle($"job-{i}"), GenerationStatus.Succeeded, null);
            }
        })));

        var snapshot = await NewLedger().ReadAsync();
        Assert.Equal(0, snapshot.SkippedLines);
        Assert.Equal(Jobs, snapshot.Entries.Count);
        Assert.Equal(Jobs - ((Jobs + 2) / 3), snapshot.Unfinished.Count);
        var lines = Lines();
        Assert.Equal(Jobs + ((Jobs + 2) / 3), lines.Length);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public async Task CompactAsync_KeepsOnlyUnfinishedEntries()
    {
        var ledger = NewLedger();
        var recordedAt = new Dictionary<string, DateTimeOffset>();
        for (var i = 1; i <= 5; i++)
        {
            recordedAt[$"job-{i}"] = _clock.GetUtcNow();
            await ledger.RecordSubmittedAsync(LedgerTestData.Handle($"job-{i}"));
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Succeeded, null);
        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-3"), GenerationStatus.Failed, "x");
        await ledger.RecordAbandonedAsync(LedgerTestData.Handle("job-4"), "gave up");
        await File.AppendAllTextAsync(_path, "garbage\n");

        var compaction = await ledger.CompactAsync();

        Assert.Equal(new JobLedgerCompaction(Kept: 2, Removed: 3, SkippedLines: 1), compaction);
        var lines = Lines();
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"submitted\"", l, StringComparison.Ordinal));
        var unfinished = await NewLedger().ListUnfinishedAsync();
        Assert.Equal(["job-2", "job-5"], unfinished.Select(e => e.Handle.VendorJobId));
        Assert.All(unfinished, e =>
        {
            Assert.Equal(recordedAt[e.Handle.VendorJobId], e.RecordedAt);
            Assert.Equal($"key-{e.Handle.VendorJobId}", e.Handle.IdempotencyKey);
            Assert.Equal(MediaKind.Video, e.Handle.Kind);
        });
        Assert.Equal([_path], Directory.GetFiles(_dir.Path)); // no temp file left behind
    }

    [Fact]
    public async Task CompactAsync_ThenRecord_AppendsToCompactedFile()
    {
        var ledger = NewLedger();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-2"));
        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Succeeded, null);
        await ledger.CompactAsync();

        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-3"));
        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-2"), GenerationStatus.Succeeded, null);

        Assert.Equal("job-3", Assert.Single(await NewLedger().ListUnfinishedAsync()).Handle.VendorJobId);
        Assert.Equal(3, Lines().Length);
    }

    [Fact]
    public async Task CompactAsync_AllFinished_LeavesEmptyFile()
    {
        var ledger = NewLedger();
        await ledger.RecordSubmittedAsync(LedgerTestData.Handle("job-1"));
        await ledger.RecordFinishedAsync(LedgerTestData.Handle("job-1"), GenerationStatus.Canceled, null);

        Assert.Equal(new JobLedgerCompaction(0, 1, 0), await ledger.CompactAsync());

        Assert.Equal(0, new FileInfo(_path).Length);
    }

    [Fact]
    public void Parse_HandleAsStringForm_Accepted()
    {
        var snapshot = JsonLinesJobLedger.Parse(Encoding.UTF8.GetBytes("{\"event\":\"submitted\",\"at\":\"2026-01-01T00:00:00Z\",\"handle\":\"veogen:abc\"}"));

        Assert.Equal(new JobHandle("veogen", "abc"), Assert.Single(snapshot.Unfinished).Handle);
        Assert.Equal(0, snapshot.SkippedLines);
    }
}
