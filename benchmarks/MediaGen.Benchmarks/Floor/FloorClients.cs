using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaGen.Benchmarks.Infrastructure;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;

namespace MediaGen.Benchmarks.Floor;

/// <summary>What the floor gets back: the job id, its final status and the first output URL.</summary>
public readonly record struct FloorResult(string Id, string Status, string? Url);

/// <summary>
/// The floor: a hand-written raw <see cref="HttpClient"/> (one pooled <see cref="SocketsHttpHandler"/>, no
/// resilience, no validation, no pricing, no report) and source-generated System.Text.Json doing exactly the HTTP
/// calls MediaGen makes for one image generation: the submit, then status polls back to back until the job ends.
/// Same paths, headers (Bearer key, <c>Accept: application/json</c>) and JSON bodies, byte for byte the same shape.
/// </summary>
public sealed class FloorClients : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromMinutes(1) };
    private readonly EmulatorEndpoints _endpoints;
    private readonly AuthenticationHeaderValue _meigenAuth = new("Bearer", MediaGenClients.MeiGenKey);
    private readonly AuthenticationHeaderValue _veogenAuth = new("Bearer", VeoGenEmulator.DefaultApiKey);

    public FloorClients(EmulatorEndpoints endpoints) => _endpoints = endpoints;

    public Task<FloorResult> GenerateAsync(Vendor vendor, CancellationToken cancellationToken = default) => vendor switch
    {
        Vendor.MeiGen => MeiGenAsync(cancellationToken),
        Vendor.VeoGen => VeoGenAsync(cancellationToken),
        Vendor.Apiframe => ApiframeAsync(cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };

    public async Task<FloorResult> MeiGenAsync(CancellationToken cancellationToken = default)
    {
        var body = new FloorMeiGenSubmit("a lighthouse at dawn, volumetric light", "nanobanana-2", "16:9", Guid.NewGuid().ToString());
        var submitted = await SendAsync(HttpMethod.Post, new Uri(_endpoints.MeiGen, "generate/v2"), _meigenAuth, body, FloorJson.Default.FloorMeiGenSubmit, FloorJson.Default.FloorMeiGenStatus, cancellationToken).ConfigureAwait(false);
        var id = submitted.GenerationId ?? throw new InvalidOperationException("no generationId");
        var status = new Uri(_endpoints.MeiGen, "generate/v2/status/" + id);
        while (true)
        {
            var polled = await SendAsync<object, FloorMeiGenStatus>(HttpMethod.Get, status, _meigenAuth, null, null, FloorJson.Default.FloorMeiGenStatus, cancellationToken).ConfigureAwait(false);
            if (polled.Status is "completed" or "failed")
            {
                return new FloorResult(id, polled.Status, polled.ImageUrls is [var first, ..] ? first : polled.ImageUrl);
            }
        }
    }

    public async Task<FloorResult> VeoGenAsync(CancellationToken cancellationToken = default)
    {
        var body = new FloorVeoGenSubmit("nano-banana-2", "a lighthouse at dawn, volumetric light", "16:9");
        var submitted = await SendAsync(HttpMethod.Post, new Uri(_endpoints.VeoGen, "generations"), _veogenAuth, body, FloorJson.Default.FloorVeoGenSubmit, FloorJson.Default.FloorVeoGenEnvelope, cancellationToken).ConfigureAwait(false);
        var id = submitted.Data?.Id ?? throw new InvalidOperationException("no id");
        var status = new Uri(_endpoints.VeoGen, "generations/" + id);
        while (true)
        {
            var polled = await SendAsync<object, FloorVeoGenEnvelope>(HttpMethod.Get, status, _veogenAuth, null, null, FloorJson.Default.FloorVeoGenEnvelope, cancellationToken).ConfigureAwait(false);
            if (polled.Data?.Status is "completed" or "failed")
            {
                return new FloorResult(id, polled.Data.Status, polled.Data.Output?.Url);
            }
        }
    }

    public async Task<FloorResult> ApiframeAsync(CancellationToken cancellationToken = default)
    {
        var body = new FloorApiframeSubmit("a lighthouse at dawn, volumetric light", "nano-banana-2", new FloorNanoBananaParams("16:9"));
        var submitted = await SendAsync(HttpMethod.Post, new Uri(_endpoints.Apiframe, "v2/images/generate"), null, body, FloorJson.Default.FloorApiframeSubmit, FloorJson.Default.FloorApiframeJob, cancellationToken, Guid.NewGuid().ToString()).ConfigureAwait(false);
        var id = submitted.JobId ?? throw new InvalidOperationException("no jobId");
        var status = new Uri(_endpoints.Apiframe, "v2/jobs/" + id);
        while (true)
        {
            var polled = await SendAsync<object, FloorApiframeJob>(HttpMethod.Get, status, null, null, null, FloorJson.Default.FloorApiframeJob, cancellationToken).ConfigureAwait(false);
            if (polled.Status is "COMPLETED" or "FAILED")
            {
                return new FloorResult(id, polled.Status == "COMPLETED" ? "completed" : "failed", polled.Result?.Images is [var first, ..] ? first : null);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<TResponse> SendAsync<TBody, TResponse>(
        HttpMethod method,
        Uri uri,
        AuthenticationHeaderValue? auth,
        TBody? body,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TBody>? bodyType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (auth is null)
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", ApiframeEmulatorOptions.DefaultApiKey);
        }
        else
        {
            request.Headers.Authorization = auth;
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        request.Headers.Accept.Add(AcceptJson);
        if (body is not null && bodyType is not null)
        {
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
            request.Content.Headers.ContentType = JsonType;
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("empty body");
    }
}

public sealed record FloorMeiGenSubmit(string Prompt, string ModelId, string AspectRatio, string IdempotencyKey);

public sealed class FloorMeiGenStatus
{
    public string? GenerationId { get; set; }

    public string? Status { get; set; }

    public string? ImageUrl { get; set; }

    public List<string>? ImageUrls { get; set; }
}

public sealed record FloorVeoGenSubmit(string Model, string Prompt, [property: JsonPropertyName("aspect_ratio")] string AspectRatio);

public sealed class FloorVeoGenEnvelope
{
    public FloorVeoGenGeneration? Data { get; set; }
}

public sealed class FloorVeoGenGeneration
{
    public string? Id { get; set; }

    public string? Status { get; set; }

    public FloorVeoGenOutput? Output { get; set; }
}

public sealed class FloorVeoGenOutput
{
    public string? Url { get; set; }
}

public sealed record FloorApiframeSubmit(string Prompt, string Model, FloorNanoBananaParams NanoBananaParams);

public sealed record FloorNanoBananaParams([property: JsonPropertyName("aspect_ratio")] string AspectRatio);

public sealed class FloorApiframeJob
{
    public string? JobId { get; set; }

    public string? Status { get; set; }

    public FloorApiframeResult? Result { get; set; }
}

public sealed class FloorApiframeResult
{
    public List<string>? Images { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FloorMeiGenSubmit))]
[JsonSerializable(typeof(FloorMeiGenStatus))]
[JsonSerializable(typeof(FloorVeoGenSubmit))]
[JsonSerializable(typeof(FloorVeoGenEnvelope))]
[JsonSerializable(typeof(FloorApiframeSubmit))]
[JsonSerializable(typeof(FloorApiframeJob))]
internal sealed partial class FloorJson : JsonSerializerContext;
