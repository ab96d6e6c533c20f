using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace MediaGen.Testing.Internal;

/// <summary>Runs in front of every endpoint: records the request, then applies the first matching fault rule.</summary>
internal sealed class EmulatorMiddleware(HostState state, ILogger logger, CancellationToken hostStopping)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        Endpoint? endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<HostEndpointMetadata>() is not null)
        {
            await next(context).ConfigureAwait(false); // the host's own pages (such as a console): neither recorded nor faulted
            return;
        }

        long started = Stopwatch.GetTimestamp();
        RecordedRequest request = await RecordAsync(context).ConfigureAwait(false);
        request = request with { Emulator = endpoint?.Metadata.GetMetadata<EmulatorEndpointMetadata>()?.Name };
        FaultRule? rule = state.Faults.TryConsume(request);
        RecordedRequest recorded = rule is null ? request : request with { Fault = rule.Kind, FaultRule = rule };
        state.Record(recorded);
        EmulatorScope.Current = request.Emulator; // flows into the handler: its charges and jobs name the emulator

        // The record is completed before the client can see anything (when the response starts, or just before a
        // dropped connection is aborted), so a client that got its answer reads a complete record.
        bool drops = rule?.Kind is FaultKind.DropBeforeHandler or FaultKind.DropAfterHandler;
        int completed = 0;
        void Complete(bool dropped)
        {
            if (Interlocked.Exchange(ref completed, 1) == 0)
            {
                state.Complete(recorded, recorded with { StatusCode = dropped ? null : context.Response.StatusCode, Duration = Stopwatch.GetElapsedTime(started) });
            }
        }

        context.Response.OnStarting(() =>
        {
            if (!drops)
            {
                Complete(dropped: false);
            }

            return Task.CompletedTask;
        });
        try
        {
            await ServeAsync(context, next, request, rule, () => Complete(dropped: true)).ConfigureAwait(false);
        }
        finally
        {
            Complete(dropped: drops || context.RequestAborted.IsCancellationRequested);
        }
    }

    private async Task ServeAsync(HttpContext context, RequestDelegate next, RecordedRequest request, FaultRule? rule, Action dropping)
    {
        Log.RequestReceived(logger, request.Method, request.PathAndQuery);
        if (rule is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        Log.FaultInjected(logger, rule.Kind, request.Method, request.PathAndQuery, rule.Description);
        switch (rule.Kind)
        {
            case FaultKind.Respond:
            case FaultKind.WrongContentType:
                await RespondAsync(context, rule).ConfigureAwait(false);
                break;

            case FaultKind.Latency:
                if (await WaitAsync(context, rule).ConfigureAwait(false))
                {
                    await next(context).ConfigureAwait(false);
                }

                break;

            case FaultKind.DropBeforeHandler:
                dropping();
                context.Abort();
                break;

            case FaultKind.DropAfterHandler:
            case FaultKind.MalformedBody:
            case FaultKind.TruncatedBody:
                await RunBufferedAsync(context, next, rule, dropping).ConfigureAwait(false);
                break;

            default:
                throw new InvalidOperationException($"Unknown fault kind {rule.Kind}.");
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        HttpRequest http = context.Request;
        http.EnableBuffering();
        string body;
        using (var reader = new StreamReader(http.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        http.Body.Position = 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in http.Headers)
        {
            headers[header.Key] = string.Join(", ", header.Value.ToArray());
        }

        return new RecordedRequest(http.Method, http.Path.Value ?? string.Empty, http.QueryString.Value ?? string.Empty,
            headers, body, state.TimeProvider.GetUtcNow());
    }

    private static async Task RespondAsync(HttpContext context, FaultRule rule)
    {
        HttpResponse response = context.Response;
        response.StatusCode = rule.StatusCode;
        if (rule.Body is not null)
        {
            response.ContentType = rule.ContentType;
        }

        foreach ((string name, string value) in rule.Headers)
        {
            response.Headers[name] = value;
        }

        if (rule.Body is not null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(rule.Body);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <returns><see langword="false"/> when the wait was cut short because the client left or the host is stopping.</returns>
    private async Task<bool> WaitAsync(HttpContext context, FaultRule rule)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, hostStopping);
        using FakeClock.HeldRequest held = rule.UsesRealTime ? default : FakeClock.HoldRequest(state.TimeProvider);
        try
        {
            await Task.Delay(rule.Latency, rule.UsesRealTime ? TimeProvider.System : state.TimeProvider, cancel.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            context.Abort();
            return false;
        }
    }

    private static async Task RunBufferedAsync(HttpContext context, RequestDelegate next, FaultRule rule, Action dropping)
    {
        // Swap in a memory body so nothing reaches the socket while the handler runs (the ResponseCaching pattern).
        IHttpResponseBodyFeature original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var buffering = new StreamResponseBodyFeature(buffer, original);
        context.Features.Set<IHttpResponseBodyFeature>(buffering);
        try
        {
            await next(context).ConfigureAwait(false);
            await buffering.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(original);
        }

        if (rule.Kind == FaultKind.DropAfterHandler)
        {
            dropping();
            context.Abort();
            return;
        }

        byte[] body = rule.Kind == FaultKind.MalformedBody
            ? Encoding.UTF8.GetBytes(rule.Body ?? FaultRuleBuilder.DefaultMalformedJson)
            : buffer.ToArray()[..(int)(buffer.Length / 2)];
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
