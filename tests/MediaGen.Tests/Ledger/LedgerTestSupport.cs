using MediaGen.Testing;

namespace MediaGen.Tests.Ledger;

/// <summary>A temporary directory, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mediagen-ledger-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that records synchronously (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class RecordingProgress : IProgress<GenerationJob>
{
    private readonly List<GenerationJob> _updates = [];

    public IReadOnlyList<GenerationJob> Updates
    {
        get
        {
            lock (_updates)
            {
                return [.. _updates];
            }
        }
    }

    public void Report(GenerationJob value)
    {
        lock (_updates)
        {
            _updates.Add(value);
        }
    }
}

internal static class LedgerTestData
{
    public static readonly ModelCapabilities ImageModel = new()
    {
        Id = "model-a",
        Kind = MediaKind.Image,
        TypicalGenerationTime = TimeSpan.FromSeconds(20),
    };

    public static JobHandle Handle(string id, string provider = "meigen") => new(provider, id)
    {
        Model = "nanobanana-2",
        IdempotencyKey = $"key-{id}",
        SubmittedAt = FakeClock.DefaultStartTime.AddSeconds(-5),
        Kind = MediaKind.Video,
    };

    public static FakeMediaGenerator Vendor(FakeClock clock, string name = "meigen") =>
        new FakeMediaGenerator(name, timeProvider: clock).AddModel(ImageModel, 5);

    public static async Task<JobHandle> SubmitAsync(IMediaGenerator generator, string prompt = "a lighthouse") =>
        (await generator.SubmitAsync(new GenerationRequest("model-a", prompt))).GetValueOrThrow().Handle;
}
