using System.Buffers;
using System.Diagnostics;
using MediaGen.Telemetry;
using System.Globalization;
using System.Net;

namespace MediaGen;

/// <summary>Streams outputs to a stream or file, never buffering them whole, with a size cap.</summary>
public static class GenerationOutputExtensions
{
    /// <summary>The default size cap: 512 MiB.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary>Streams an output into <paramref name="destination"/> under <see cref="MediaDownloadOptions.Default"/> with <paramref name="maxBytes"/> as the cap.</summary>
    /// <param name="output">The output.</param>
    /// <param name="httpClient">The client to download with; one from <see cref="MediaDownloads.CreateHttpClient"/> also checks the address connected to.</param>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="maxBytes">The size cap.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="MediaDownloadException">The URL is refused, the server failed or the output exceeds <paramref name="maxBytes"/> (reading stops at the cap).</exception>
    public static Task<long> DownloadToAsync(this GenerationOutput output, HttpClient httpClient, Stream destination, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default) =>
        output.DownloadToAsync(httpClient, destination, new MediaDownloadOptions { MaxBytes = maxBytes }, cancellationToken);

    /// <summary>
    /// Streams an output into <paramref name="destination"/> under <paramref name="options"/>: the URL and every
    /// redirect (followed here, at most <see cref="MediaDownloadOptions.MaxRedirects"/>) are checked before they are
    /// requested and, through a <see cref="MediaDownloads"/> client, the address actually connected to as well.
    /// </summary>
    /// <param name="output">The output.</param>
    /// <param name="httpClient">The client to download with; one from <see cref="MediaDownloads.CreateHttpClient"/> also checks the address connected to.</param>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="options">The rules (<see cref="MediaDownloadOptions.ForJob"/> gives the usual ones for a job).</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="MediaDownloadException">The URL is refused (naming the job, which is unaffected), the server failed or the output exceeds the cap (reading stops at the cap).</exception>
    public static async Task<long> DownloadToAsync(this GenerationOutput output, HttpClient httpClient, Stream destination, MediaDownloadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBytes, "options.MaxBytes");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRedirects, "options.MaxRedirects");
        var maxBytes = options.MaxBytes;

        using var activity = MediaGenTelemetry.ActivitySource.StartActivity("download", ActivityKind.Client);
        activity?.SetTag(MediaGenTelemetry.OutputType, output.Kind.ToString().ToLowerInvariant());
        using var response = await GetFollowingRedirectsAsync(output.Url, httpClient, options, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new MediaDownloadException(output.Url, DownloadFailure.HttpError, $"Downloading {output.Url}{Of(options.Job)} failed with HTTP {(int)response.StatusCode}.", options.Job, null);
        }

        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw TooLarge(output.Url, maxBytes, declared, options.Job);
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
                        throw TooLarge(output.Url, maxBytes, null, options.Job);
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
    /// Streams an output into a file under <see cref="MediaDownloadOptions.Default"/> with <paramref name="maxBytes"/>
    /// as the cap. The bytes go to a temporary file beside it that is renamed on success and deleted on any failure, so
    /// a partial file is never left at <paramref name="path"/>.
    /// </summary>
    /// <param name="output">The output.</param>
    /// <param name="httpClient">The client to download with; one from <see cref="MediaDownloads.CreateHttpClient"/> also checks the address connected to.</param>
    /// <param name="path">The file to create (overwritten when it exists).</param>
    /// <param name="maxBytes">The size cap.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    public static Task<long> DownloadToFileAsync(this GenerationOutput output, HttpClient httpClient, string path, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default) =>
        output.DownloadToFileAsync(httpClient, path, new MediaDownloadOptions { MaxBytes = maxBytes }, cancellationToken);

    /// <summary>
    /// Streams an output into a file under <paramref name="options"/> (see
    /// <see cref="DownloadToAsync(GenerationOutput, HttpClient, Stream, MediaDownloadOptions, CancellationToken)"/>). The bytes go to a temporary file beside it that is renamed on success and
    /// deleted on any failure, so a partial file is never left at <paramref name="path"/>.
    /// </summary>
    /// <param name="output">The output.</param>
    /// <param name="httpClient">The client to download with.</param>
    /// <param name="path">The file to create (overwritten when it exists).</param>
    /// <param name="options">The rules (<see cref="MediaDownloadOptions.ForJob"/> gives the usual ones for a job).</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="MediaDownloadException">The URL is refused (naming the job, which is unaffected), the server failed or the output exceeds the cap.</exception>
    public static async Task<long> DownloadToFileAsync(this GenerationOutput output, HttpClient httpClient, string path, MediaDownloadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
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
                written = await output.DownloadToAsync(httpClient, file, options, cancellationToken).ConfigureAwait(false);
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

    private static MediaDownloadException TooLarge(Uri url, long max, long? declared, JobHandle? job) => new(
        url,
        DownloadFailure.TooLarge,
        string.Create(CultureInfo.InvariantCulture, $"{url}{Of(job)} is larger than the {max:N0}-byte download cap{(declared is { } d ? $" (the server declares {d:N0} bytes)" : string.Empty)}; raise maxBytes to accept it."),
        job,
        null);

    private static string Of(JobHandle? job) => job is null ? string.Empty : $" (output of {job.Provider} job {job})";

    private static MediaDownloadException Refused(Uri url, Uri target, string reason, JobHandle? job, Exception? inner)
    {
        var hop = target == url ? string.Empty : $" (redirected to {target})";
        var resume = job is null ? string.Empty : $" The job is unaffected: download it later with other MediaDownloadOptions (mediagen status {job}).";
        var vendor = job is null ? "the vendor" : job.Provider;
        return new MediaDownloadException(
            url,
            DownloadFailure.Refused,
            $"Refused to download {url}{hop}{Of(job)}: {reason}. The URL came from {vendor}'s answer, and downloads do not reach the host's own or internal network unless MediaDownloadOptions allow it.{resume}",
            job,
            inner);
    }

    /// <summary>Sends the GET, following redirects here so each hop is checked before it is requested.</summary>
    private static async Task<HttpResponseMessage> GetFollowingRedirectsAsync(Uri url, HttpClient httpClient, MediaDownloadOptions options, CancellationToken cancellationToken)
    {
        var target = url;
        for (var hops = 0; ; hops++)
        {
            if (MediaDownloads.CheckUrl(target, options) is { } why)
            {
                throw Refused(url, target, why, options.Job, null);
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            MediaDownloads.Attach(request, options);

            // Addresses are checked when a connection opens; one opened under looser rules is never pooled for a later,
            // stricter download to the same host.
            request.Headers.ConnectionClose = options.AllowLoopback || options.AllowPrivateNetworks ? true : null;
            HttpResponseMessage response;
            try
            {
                response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (FindRefusal(ex) is { } refusal)
            {
                throw Refused(url, target, refusal.Message, options.Job, ex);
            }

            // A client that follows redirects itself (not a MediaDownloads one) still has its final hop checked.
            if (response.RequestMessage?.RequestUri is { } final && final != target && MediaDownloads.CheckUrl(final, options) is { } finalWhy)
            {
                response.Dispose();
                throw Refused(url, final, finalWhy, options.Job, null);
            }

            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (hops >= options.MaxRedirects)
            {
                throw Refused(url, target, string.Create(CultureInfo.InvariantCulture, $"more than {options.MaxRedirects} redirects"), options.Job, null);
            }

            target = location.IsAbsoluteUri ? location : new Uri(target, location);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static DownloadTargetRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is DownloadTargetRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

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
