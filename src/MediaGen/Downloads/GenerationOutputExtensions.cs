using System.Buffers;
using System.Diagnostics;
using MediaGen.Telemetry;
using System.Globalization;

namespace MediaGen;

/// <summary>Streams outputs to a stream or file, never buffering them whole, with a size cap.</summary>
public static class GenerationOutputExtensions
{
    /// <summary>The default size cap: 512 MiB.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>Streams an output into <paramref name="destination"/>.</summary>
    /// <param name="output">The output.</param>
    /// <param name="httpClient">The client to download with.</param>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="maxBytes">The size cap.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="MediaDownloadException">The server failed or the output exceeds <paramref name="maxBytes"/> (reading stops at the cap).</exception>
    public static async Task<long> DownloadToAsync(this GenerationOutput output, HttpClient httpClient, Stream destination, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);

        using var activity = MediaGenTelemetry.ActivitySource.StartActivity("download", ActivityKind.Client);
        activity?.SetTag(MediaGenTelemetry.OutputType, output.Kind.ToString().ToLowerInvariant());
        using var response = await httpClient.GetAsync(output.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new MediaDownloadException(output.Url, DownloadFailure.HttpError, $"Downloading {output.Url} failed with HTTP {(int)response.StatusCode}.");
        }

        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw TooLarge(output.Url, maxBytes, declared);
        }

        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw TooLarge(output.Url, maxBytes, null);
                    }

                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                activity?.SetTag("mediagen.download.bytes", total);
                return total;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Streams an output into a file. The bytes go to a temporary file beside it that is renamed on success and
    /// deleted on any failure, so a partial file is never left at <paramref name="path"/>.
    /// </summary>
    /// <param name="output">The output.</param>
    /// <param name="httpClient">The client to download with.</param>
    /// <param name="path">The file to create (overwritten when it exists).</param>
    /// <param name="maxBytes">The size cap.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    public static async Task<long> DownloadToFileAsync(this GenerationOutput output, HttpClient httpClient, string path, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".partial";
        try
        {
            long written;
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                written = await output.DownloadToAsync(httpClient, file, maxBytes, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite: true);
            return written;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static MediaDownloadException TooLarge(Uri url, long max, long? declared) => new(
        url,
        DownloadFailure.TooLarge,
        string.Create(CultureInfo.InvariantCulture, $"{url} is larger than the {max:N0}-byte download cap{(declared is { } d ? $" (the server declares {d:N0} bytes)" : string.Empty)}; raise maxBytes to accept it."));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
