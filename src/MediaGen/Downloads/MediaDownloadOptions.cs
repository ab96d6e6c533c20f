using System.Net;

namespace MediaGen;

/// <summary>
/// The rules for downloading an output. Output URLs come from vendor answers and webhook payloads, so by default a
/// download takes <c>https</c> only and refuses loopback, private (RFC 1918, CGNAT <c>100.64.0.0/10</c>, IPv6 ULA
/// <c>fc00::/7</c>), link-local (<c>169.254.0.0/16</c>, including cloud metadata endpoints, <c>fe80::/10</c>),
/// multicast and unspecified targets, IPv4-mapped IPv6 forms included, on every redirect hop.
/// </summary>
/// <remarks>
/// The host name and every redirect are checked before they are requested. Through a client from
/// <see cref="MediaDownloads.CreateHttpClient"/> (or its handler), the address actually connected to is checked as
/// well, after DNS resolution, so a name that resolves (or rebinds) to an internal address is refused too.
/// </remarks>
public sealed record MediaDownloadOptions
{
    /// <summary>The default number of redirects followed: 5.</summary>
    public const int DefaultMaxRedirects = 5;

    /// <summary>Gets the size cap in bytes; reading stops at it.</summary>
    /// <value>The default is <see cref="GenerationOutputExtensions.DefaultMaxBytes"/>.</value>
    public long MaxBytes { get; init; } = GenerationOutputExtensions.DefaultMaxBytes;

    /// <summary>Gets whether plain <c>http</c> URLs (and redirects to them) are fetched.</summary>
    /// <value>The default is <see langword="false"/>: https only.</value>
    public bool AllowHttp { get; init; }

    /// <summary>Gets whether loopback targets (<c>127.0.0.0/8</c>, <c>::1</c>, <c>localhost</c>) are fetched.</summary>
    /// <value>The default is <see langword="false"/>. <see cref="ForJob"/> sets it when the vendor's base address is itself loopback.</value>
    public bool AllowLoopback { get; init; }

    /// <summary>Gets whether private and link-local targets are fetched (RFC 1918, <c>100.64.0.0/10</c>, <c>fc00::/7</c>, <c>169.254.0.0/16</c>, <c>fe80::/10</c>).</summary>
    /// <value>The default is <see langword="false"/>. Multicast and unspecified targets are refused whatever this says.</value>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Gets how many redirects are followed, each one checked like the first URL.</summary>
    /// <value>The default is <see cref="DefaultMaxRedirects"/>; 0 refuses every redirect.</value>
    public int MaxRedirects { get; init; } = DefaultMaxRedirects;

    /// <summary>Gets the job the output belongs to, named (with its vendor) in a refusal so it can be downloaded later.</summary>
    public JobHandle? Job { get; init; }

    /// <summary>
    /// Gets how host names are resolved by a <see cref="MediaDownloads"/> handler before the address is checked and
    /// connected to. The default is <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.
    /// </summary>
    public Func<string, CancellationToken, ValueTask<IPAddress[]>>? ResolveHost { get; init; }

    /// <summary>Opens the connection to a checked address (tests route it to a local server); null connects a socket.</summary>
    internal Func<IPEndPoint, CancellationToken, ValueTask<Stream>>? Connect { get; init; }

    /// <summary>The defaults: https only, public addresses only.</summary>
    public static MediaDownloadOptions Default { get; } = new();

    /// <summary>
    /// The rules for an output of <paramref name="job"/>: the defaults, except that loopback targets and <c>http</c> are
    /// allowed when the vendor's configured base address (<see cref="ProviderMetadata.Endpoint"/>) is itself loopback —
    /// an emulator, the sandbox or a local proxy, whose outputs live on the same machine.
    /// </summary>
    /// <param name="generator">The provider or router that ran the job.</param>
    /// <param name="job">The job.</param>
    /// <returns>The rules, naming the job.</returns>
    public static MediaDownloadOptions ForJob(IMediaGenerator generator, JobHandle job)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(job);
        var endpoint = generator.GetService(typeof(ProviderMetadata), job.Provider) is ProviderMetadata metadata ? metadata.Endpoint : null;
        var local = endpoint is { IsAbsoluteUri: true, IsLoopback: true };
        return new MediaDownloadOptions { Job = job, AllowLoopback = local, AllowHttp = local };
    }
}
