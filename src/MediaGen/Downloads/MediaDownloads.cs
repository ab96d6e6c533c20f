using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MediaGen;

/// <summary>
/// HTTP clients for downloading outputs that check the address actually connected to against
/// <see cref="MediaDownloadOptions"/>, after DNS resolution, so no name can resolve or rebind to an internal address.
/// </summary>
public static class MediaDownloads
{
    private static readonly HttpRequestOptionsKey<MediaDownloadOptions> OptionsKey = new("MediaGen.Download");

    /// <summary>
    /// Creates a handler whose connections are checked against the <see cref="MediaDownloadOptions"/> of each
    /// download (the defaults for any other request). It follows no redirects itself (the download follows and checks
    /// each hop) and uses no proxy (a proxy would hide the target's address). Use it with <c>IHttpClientFactory</c>'s
    /// <c>ConfigurePrimaryHttpMessageHandler</c>.
    /// </summary>
    /// <returns>A new handler.</returns>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = ConnectAsync,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    /// <summary>Creates a client over <see cref="CreateHandler"/>.</summary>
    /// <returns>A new client; dispose it when done.</returns>
    public static HttpClient CreateHttpClient() => new(CreateHandler(), disposeHandler: true);

    internal static void Attach(HttpRequestMessage request, MediaDownloadOptions options) => request.Options.Set(OptionsKey, options);

    /// <summary>Why <paramref name="url"/> may not be requested before any connection, or null when it may.</summary>
    internal static string? CheckUrl(Uri url, MediaDownloadOptions options)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return "only http(s) URLs are downloaded";
        }

        if (url.Scheme == Uri.UriSchemeHttp && !options.AllowHttp)
        {
            return "plain http is refused (https only; set MediaDownloadOptions.AllowHttp to allow it)";
        }

        var host = url.IdnHost.TrimEnd('.');
        if (IPAddress.TryParse(url.HostNameType == UriHostNameType.IPv6 ? url.DnsSafeHost : host, out var literal))
        {
            return CheckAddress(literal, options);
        }

        if (url.HostNameType == UriHostNameType.Basic || host.Length == 0)
        {
            return "the URL has no host";
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return options.AllowLoopback ? null : "localhost is a loopback target";
        }

        return null;
    }

    /// <summary>Why <paramref name="address"/> may not be connected to, or null when it may.</summary>
    internal static string? CheckAddress(IPAddress address, MediaDownloadOptions options)
    {
        var shown = address.ToString();
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && IsIPv4Compatible(address, out var embedded))
        {
            address = embedded;
        }

        var kind = Classify(address);
        return kind switch
        {
            TargetKind.Public => null,
            TargetKind.Loopback when options.AllowLoopback => null,
            TargetKind.Private or TargetKind.LinkLocal when options.AllowPrivateNetworks => null,
            TargetKind.Loopback => $"{shown} is a loopback address (set MediaDownloadOptions.AllowLoopback to allow it)",
            TargetKind.Private => $"{shown} is a private-network address (set MediaDownloadOptions.AllowPrivateNetworks to allow it)",
            TargetKind.LinkLocal => $"{shown} is a link-local address, such as a cloud metadata endpoint (set MediaDownloadOptions.AllowPrivateNetworks to allow it)",
            TargetKind.Multicast => $"{shown} is a multicast or broadcast address",
            _ => $"{shown} is an unspecified or reserved address",
        };
    }

    private static TargetKind Classify(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out var length);
        if (address.AddressFamily == AddressFamily.InterNetwork && length == 4)
        {
            return b[0] switch
            {
                0 => TargetKind.Unspecified,
                127 => TargetKind.Loopback,
                10 => TargetKind.Private,
                100 when (b[1] & 0xC0) == 64 => TargetKind.Private,
                169 when b[1] == 254 => TargetKind.LinkLocal,
                172 when (b[1] & 0xF0) == 16 => TargetKind.Private,
                192 when b[1] == 168 => TargetKind.Private,
                >= 224 and < 240 => TargetKind.Multicast,
                255 when b[1] == 255 && b[2] == 255 && b[3] == 255 => TargetKind.Multicast,
                >= 240 => TargetKind.Unspecified,
                _ => TargetKind.Public,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && length == 16)
        {
            if (address.Equals(IPAddress.IPv6Loopback))
            {
                return TargetKind.Loopback;
            }

            if (address.Equals(IPAddress.IPv6Any))
            {
                return TargetKind.Unspecified;
            }

            return b[0] switch
            {
                0xFF => TargetKind.Multicast,
                0xFC or 0xFD => TargetKind.Private,
                0xFE when (b[1] & 0xC0) == 0x80 => TargetKind.LinkLocal,
                0xFE when (b[1] & 0xC0) == 0xC0 => TargetKind.Private, // fec0::/10, the deprecated site-local range
                _ => TargetKind.Public,
            };
        }

        return TargetKind.Unspecified;
    }

    /// <summary>The deprecated IPv4-compatible form <c>::a.b.c.d</c> (other than <c>::</c> and <c>::1</c>).</summary>
    private static bool IsIPv4Compatible(IPAddress address, out IPAddress embedded)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        embedded = IPAddress.None;
        if (b[..12].ContainsAnyExcept((byte)0) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback))
        {
            return false;
        }

        embedded = new IPAddress(b[12..]);
        return true;
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var options = context.InitialRequestMessage.Options.TryGetValue(OptionsKey, out var o) ? o : MediaDownloadOptions.Default;
        var host = context.DnsEndPoint.Host;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            addresses = options.ResolveHost is { } resolve
                ? await resolve(host, cancellationToken).ConfigureAwait(false)
                : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }

        string? refusal = addresses.Length == 0 ? $"{host} resolves to no address" : null;
        var allowed = new List<IPAddress>(addresses.Length);
        foreach (var address in addresses)
        {
            if (CheckAddress(address, options) is { } why)
            {
                refusal ??= string.Create(CultureInfo.InvariantCulture, $"{host} resolves to {why}");
            }
            else
            {
                allowed.Add(address);
            }
        }

        // One forbidden answer refuses the name: a resolver mixing public and internal addresses is an attack, not a CDN.
        if (refusal is not null)
        {
            throw new DownloadTargetRefusedException(refusal);
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var endpoint = new IPEndPoint(address, context.DnsEndPoint.Port);
            try
            {
                if (options.Connect is { } connect)
                {
                    return await connect(endpoint, cancellationToken).ConfigureAwait(false);
                }

                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private enum TargetKind
    {
        Public,
        Loopback,
        Private,
        LinkLocal,
        Multicast,
        Unspecified,
    }
}

/// <summary>Thrown inside the connect callback; the download turns it into a <see cref="MediaDownloadException"/>.</summary>
internal sealed class DownloadTargetRefusedException(string reason) : IOException(reason);
