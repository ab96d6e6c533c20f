using System.Globalization;
using System.Text.Json;

namespace MediaGen.Cli;

/// <summary>
/// Shows job updates on stderr (never stdout, which carries results), each line naming the job's handle, so that whenever
/// the wait is interrupted the handle to resume is on screen: the vendor's percentage when it reports one, otherwise the
/// time since submit against the model's typical time. On a terminal the line is redrawn in place; elsewhere (a pipe, a
/// log file, a test) a line is written per change. The handle is written the moment a vendor accepts a job; in JSON mode
/// stdout holds one document, so stderr carries one compact JSON event per line instead
/// (<c>{"event":"accepted","job":"meigen:…",…}</c>): a script killed meanwhile has the handle.
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
        Accepted(value);
        if (json)
        {
            return;
        }

        lock (_gate)
        {
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

    /// <summary>Writes the handle of a just-accepted job to stderr, once per handle, and flushes it.</summary>
    /// <param name="job">The accepted job.</param>
    public void Accepted(GenerationJob job)
    {
        lock (_gate)
        {
            if (_announced == job.Handle)
            {
                return;
            }

            _announced = job.Handle;
            _firstSeen = context.TimeProvider.GetUtcNow();
            _model = !json && generator is not null && job.Handle.Model is { } model ? LookUpAsync(generator, job.Handle, model) : null;
            if (json)
            {
                context.Error.WriteLine(Event("accepted", w =>
                {
                    w.WriteString("job", job.Handle.ToString());
                    w.WriteString("provider", job.Handle.Provider);
                    if (job.Handle.IdempotencyKey is { } key)
                    {
                        w.WriteString("idempotencyKey", key);
                    }

                    w.WriteString("resume", $"mediagen status {job.Handle} --wait");
                }));
            }
            else
            {
                EndLine();
                context.Error.WriteLine($"mediagen: submitted {job.Handle} (Ctrl+C stops waiting; the job is kept)");
            }

            context.Error.Flush();
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

    /// <summary>One compact JSON event, one line.</summary>
    internal static string Event(string name, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("event", name);
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
