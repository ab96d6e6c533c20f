using System.Net.Sockets;

namespace MediaGen.Providers;

/// <summary>What a failed HTTP exchange means for money: whether the vendor can have received the request.</summary>
public enum TransportFailureKind
{
    /// <summary>The request provably never reached the vendor (name resolution or connection establishment failed).</summary>
    NotSent,

    /// <summary>The request may have reached the vendor (connection dropped, timeout mid-exchange, unreadable response).</summary>
    Ambiguous,
}

/// <summary>Classifies transport exceptions for the paying-once rules.</summary>
public static class TransportFailure
{
    /// <summary>Classifies an exception thrown while sending a request.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>Whether the request can have been received.</returns>
    public static TransportFailureKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is HttpRequestException http)
        {
            if (http.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                && http.InnerException is not IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset } })
            {
                return TransportFailureKind.NotSent;
            }

            if (http.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable })
            {
                return TransportFailureKind.NotSent;
            }
        }

        return TransportFailureKind.Ambiguous;
    }
}
