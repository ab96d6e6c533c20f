using System.Text.Json;
using MediaGen.Jobs.Store;

namespace MediaGen;

/// <summary>
/// One JSON form of a <see cref="StoredJob"/> for stores that keep a job as a document (a text or <c>jsonb</c> column), so
/// every store writes the same shape: source-generated (AOT-safe), versioned (<c>"v":1</c>), unknown fields ignored.
/// </summary>
public static class JobStoreJson
{
    /// <summary>Writes a job as JSON.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(StoredJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return JsonSerializer.Serialize(StoredJobDocument.From(job), JobStoreJsonContext.Default.StoredJobDocument);
    }

    /// <summary>Reads a job written by <see cref="Serialize"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The job.</returns>
    /// <exception cref="JsonException">The text is not a stored job.</exception>
    public static StoredJob Deserialize(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        var document = JsonSerializer.Deserialize(json, JobStoreJsonContext.Default.StoredJobDocument)
            ?? throw new JsonException("A stored job's JSON is null.");
        return document.ToStoredJob();
    }
}
