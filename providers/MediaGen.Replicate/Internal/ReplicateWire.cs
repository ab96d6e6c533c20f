using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGen.Replicate.Internal;

// Wire shapes of Replicate's HTTP API (R0 schemas_prediction_response, §1.4). Only id and status are treated as
// required: the webhook example (D6) lacks model, urls and data_removed. Fields whose JSON type is open (input, output,
// error, metrics, the dates) are JsonElement and read tolerantly, so a vendor change never throws out of the client.

/// <summary>The prediction object: the answer of create, get and cancel, each list entry, and each webhook body.</summary>
internal sealed class PredictionWire
{
    public string? Id { get; set; }

    public string? Model { get; set; }

    public string? Version { get; set; }

    public JsonElement Input { get; set; }

    public JsonElement Output { get; set; }

    public JsonElement Error { get; set; }

    public string? Status { get; set; }

    public JsonElement CreatedAt { get; set; }

    public JsonElement StartedAt { get; set; }

    public JsonElement CompletedAt { get; set; }

    public PredictionUrlsWire? Urls { get; set; }

    public JsonElement Metrics { get; set; }

    public bool? DataRemoved { get; set; }

    public string? Source { get; set; }

    public JsonElement Deadline { get; set; }
}

/// <summary><c>urls</c>: <c>get</c>, <c>cancel</c>, <c>web</c>, and <c>stream</c> for streaming models.</summary>
internal sealed class PredictionUrlsWire
{
    public string? Get { get; set; }

    public string? Cancel { get; set; }

    public string? Web { get; set; }

    public string? Stream { get; set; }
}

/// <summary><c>GET /v1/predictions</c>: <c>{"next", "previous", "results": [...]}</c>, newest first, 100 per page.</summary>
internal sealed class PredictionListWire
{
    public string? Next { get; set; }

    public string? Previous { get; set; }

    public List<PredictionWire?>? Results { get; set; }
}

/// <summary><c>GET /v1/webhooks/default/secret</c>: <c>{"key": "whsec_…"}</c>.</summary>
internal sealed class WebhookSecretWire
{
    public string? Key { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PredictionWire))]
[JsonSerializable(typeof(PredictionListWire))]
[JsonSerializable(typeof(WebhookSecretWire))]
internal sealed partial class ReplicateJsonContext : JsonSerializerContext;
