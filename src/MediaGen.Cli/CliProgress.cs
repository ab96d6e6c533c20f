namespace MediaGen.Cli;

/// <summary>
/// Shows job updates on stderr (never stdout, which carries results): a progress line per change. In JSON mode
/// it stays silent so stdout holds one document and stderr only errors.
/// </summary>
internal sealed class CliProgress(CliContext context, bool json) : IProgress<GenerationJob>
{
    private JobHandle? _announced;

    public void Report(GenerationJob value)
    {
        if (json)
        {
            return;
        }

        if (_announced != value.Handle)
        {
            _announced = value.Handle;
            context.Error.WriteLine($"mediagen: submitted {value.Handle} (Ctrl+C stops waiting; the job is kept)");
        }

        var bar = value.Progress is { } p ? $" [{new string('#', p / 5).PadRight(20, '.')}] {p}%" : string.Empty;
        context.Error.WriteLine($"mediagen: {value.Status.ToString().ToLowerInvariant()}{bar}");
    }
}
