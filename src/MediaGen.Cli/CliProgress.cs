using System.Globalization;

namespace MediaGen.Cli;

/// <summary>
/// Shows job updates on stderr (never stdout, which carries results), each line naming the job's handle, so that whenever
/// the wait is interrupted the handle to resume is on screen: the vendor's percentage when it reports one, otherwise the
/// time since submit against the model's typical time. On a terminal the line is redrawn in place; elsewhere (a pipe, a
/// log file, a test) a line is written per change. In JSON mode it stays silent so stdout holds one document and stderr
/// only errors.
/// </summary>
/// <param name="context">The CLI context (its stderr and clock).</param>
/// <param name="json">Whether the command prints JSON.</param>
/// <param name="generator">Where the job's model is looked up for its typical time (the router); null: elapsed time alone.</param>
internal sealed class CliProgress(CliContext context, bool json, IMediaGenerator? generator = null) : IProgress<GenerationJob>
{
    private const int BarWidth = 20;
    private readonly Lock _gate = new();
    private JobHandle? _announced;
    private DateTimeOffset _firstSeen;
    private Task<ModelCapabilities?>? _model;
    private string? _last;
    private bool _lineOpen;

    public void Report(GenerationJob value)
    {
        if (json)
        {
            return;
        }

        lock (_gate)
        {
            if (_announced != value.Handle)
            {
                _announced = value.Handle;
                _firstSeen = context.TimeProvider.GetUtcNow();
                _model = generator is not null && value.Handle.Model is { } model ? LookUpAsync(generator, value.Handle, model) : null;
                EndLine();
                context.Error.WriteLine($"mediagen: submitted {value.Handle} (Ctrl+C stops waiting; the job is kept)");
            }

            var line = $"mediagen: {value.Handle} {Describe(value)}";
            if (line == _last)
            {
                return;
            }

            _last = line;
            if (context.ErrorIsTerminal)
            {
                // Redraw in place: carriage return, the line, erase what a longer previous line left.
                context.Error.Write($"\r{Fit(line)}\u001b[K");
                _lineOpen = true;
                if (value.IsTerminal)
                {
                    EndLine();
                }
            }
            else
            {
                context.Error.WriteLine(line);
            }
        }
    }

    /// <summary>The status and how far along it is: <c>running [#####……] 25%</c>, <c>running 0:42 of typically 1:30</c>.</summary>
    private string Describe(GenerationJob job)
    {
        var status = CliJson.Status(job.Status);
        if (job.Progress is { } p && !job.IsTerminal)
        {
            var percent = Math.Clamp(p, 0, 100);
            return $"{status} [{new string('#', percent * BarWidth / 100).PadRight(BarWidth, '.')}] {percent}%";
        }

        var elapsed = context.TimeProvider.GetUtcNow() - (job.Handle.SubmittedAt is { } at && at <= context.TimeProvider.GetUtcNow() ? at : _firstSeen);
        if (job.IsTerminal)
        {
            return $"{status} after {Clock(elapsed)}";
        }

        var typical = _model is { IsCompletedSuccessfully: true } found ? found.Result?.TypicalGenerationTime : null;
        return typical is { } t && t > TimeSpan.Zero
            ? $"{status} {Clock(elapsed)} of typically {Clock(t)}{(elapsed > t ? " (taking longer than usual)" : string.Empty)}"
            : $"{status} {Clock(elapsed)}";
    }

    private void EndLine()
    {
        if (_lineOpen)
        {
            context.Error.WriteLine();
            _lineOpen = false;
        }
    }

    private string Fit(string line) => line.Length < context.Width ? line : line[..(context.Width - 1)];

    /// <summary><c>0:42</c>, <c>12:05</c>, <c>1:02:03</c>.</summary>
    internal static string Clock(TimeSpan span)
    {
        var s = (long)Math.Max(0, span.TotalSeconds);
        return s >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{s / 3600}:{s / 60 % 60:00}:{s % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{s / 60}:{s % 60:00}");
    }

    private static async Task<ModelCapabilities?> LookUpAsync(IMediaGenerator generator, JobHandle handle, ModelId model)
    {
        try
        {
            var owner = generator.GetService(typeof(IMediaGenerator), handle.Provider) as IMediaGenerator ?? generator;
            return await owner.FindModelAsync(model).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            return null; // progress falls back to elapsed time alone
        }
    }
}
