using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace MediaGen.Testing.Internal;

/// <summary>The state one <see cref="EmulatorHost"/> shares between its middleware, its media endpoint and its emulators.</summary>
internal sealed class HostState(TimeProvider timeProvider)
{
    public const string MediaPathPrefix = "_media/";

    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> _media = new(StringComparer.Ordinal);
    private volatile Uri? _baseAddress;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public FaultInjector Faults { get; } = new();

    public BillingLedger Ledger { get; } = new(timeProvider);

    public JobScripts Jobs { get; } = new(timeProvider);

    public Uri? BaseAddress
    {
        get => _baseAddress;
        set => _baseAddress = value;
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public void Record(RecordedRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
        }
    }

    /// <summary>Replaces a recorded request with its completed form (status and duration), if it is still recorded.</summary>
    public void Complete(RecordedRequest recorded, RecordedRequest completed)
    {
        lock (_lock)
        {
            for (int i = _requests.Count - 1; i >= 0; i--)
            {
                if (ReferenceEquals(_requests[i], recorded))
                {
                    _requests[i] = completed;
                    return;
                }
            }
        }
    }

    public void ClearRequests()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }

    public Uri PublishMedia(string name, byte[] bytes, string contentType)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("A media name cannot contain '/'.", nameof(name));
        }

        Uri baseAddress = BaseAddress ?? throw new InvalidOperationException("Media can be published once the emulator host has started.");
        _media[name] = (bytes, contentType);
        return new Uri(baseAddress, MediaPathPrefix + Uri.EscapeDataString(name));
    }

    public async Task ServeMediaAsync(HttpContext context)
    {
        if (context.Request.RouteValues["name"] is not string name || !_media.TryGetValue(name, out var media))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = media.ContentType;
        context.Response.ContentLength = media.Bytes.Length;
        await context.Response.Body.WriteAsync(media.Bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
