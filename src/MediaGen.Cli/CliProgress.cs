using System.Text.Json;

namespace MediaGen.Cli;

/// <summary>
/// Shows job updates on stderr (never stdout, which carries results): the handle the moment a vendor accepts a job,
/// then a progress line per change. In JSON mode stdout holds one document, so stderr carries one compact JSON event
/// per line instead (<c>{"event":"accepted","job":"meigen:…",…}</c>): a script killed meanwhile has the handle.
/// </summary>
internal sealed class CliProgress(CliContext context, bool json) : IProgress<GenerationJob>
{
    private JobHandle? _announced;

    public void Report(GenerationJob value)
    {
        Accepted(value);
        if (json)
        {
            return;
        }

        var bar = value.Progress is { } p ? $" [{new string('#', p / 5).PadRight(20, '.')}] {p}%" : string.Empty;
        context.Error.WriteLine($"mediagen: {value.Status.ToString().ToLowerInvariant()}{bar}");
    }

    /// <summary>Writes the handle of a just-accepted job to stderr, once per handle, and flushes it.</summary>
    /// <param name="job">The accepted job.</param>
    public void Accepted(GenerationJob job)
    {
        if (_announced == job.Handle)
        {
            return;
        }

        _announced = job.Handle;
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
            context.Error.WriteLine($"mediagen: submitted {job.Handle} (Ctrl+C stops waiting; the job is kept)");
        }

        context.Error.Flush();
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
