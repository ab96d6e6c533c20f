using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGen.VeoGen.Internal;

// Wire shapes of the VeoGen Studio API (veogen-create-generation.txt; provider-apis.md §2). Unknown fields are
// ignored; fields whose type the docs leave open (error, output, completed_at, parameters, price_usd) are JsonElement
// and read tolerantly, so a vendor change never throws out of the client.

/// <summary><c>{"data": {Generation}, "price_usd": 0.02}</c> (POST 201) and <c>{"data": {Generation}}</c> (GET).</summary>
internal sealed class GenerationEnvelope
{
    public GenerationWire? Data { get; set; }

    public JsonElement PriceUsd { get; set; }
}

/// <summary>The generation object.</summary>
internal sealed class GenerationWire
{
    public string? Id { get; set; }

    public string? Status { get; set; }

    public string? Model { get; set; }

    public string? Type { get; set; }

    public string? Prompt { get; set; }

    public JsonElement Parameters { get; set; }

    public JsonElement Output { get; set; }

    public JsonElement Error { get; set; }

    public JsonElement CreatedAt { get; set; }

    public JsonElement CompletedAt { get; set; }
}

/// <summary><c>GET /generations</c>: <c>{"data": [...], "meta": {...}}</c>; <c>meta</c> is absent without <c>type</c>.</summary>
internal sealed class GenerationListWire
{
    public List<GenerationWire>? Data { get; set; }

    public ListMetaWire? Meta { get; set; }
}

internal sealed class ListMetaWire
{
    public int? CurrentPage { get; set; }

    public int? LastPage { get; set; }

    public int? PerPage { get; set; }

    public int? Total { get; set; }
}

/// <summary><c>GET /models/{slug}</c>: <c>{"data": {Model}}</c>.</summary>
internal sealed class ModelEnvelope
{
    public ModelWire? Data { get; set; }
}

internal sealed class ModelWire
{
    public string? Slug { get; set; }

    public string? Label { get; set; }

    public string? Type { get; set; }

    public decimal? PriceUsd { get; set; }

    public bool? MultiplyByDuration { get; set; }

    public Dictionary<string, decimal>? ResolutionMultipliers { get; set; }

    public List<string>? SupportedParams { get; set; }

    public List<string>? AspectRatios { get; set; }

    public List<string>? Resolutions { get; set; }

    public List<int>? Durations { get; set; }

    public List<string>? Modes { get; set; }

    public List<string>? Styles { get; set; }

    public string? DocsUrl { get; set; }
}

/// <summary><c>GET /account</c>: <c>{"data": {"name", "email", "usd_balance", "usd_spent"}}</c>.</summary>
internal sealed class AccountEnvelope
{
    public AccountWire? Data { get; set; }
}

internal sealed class AccountWire
{
    public string? Name { get; set; }

    public string? Email { get; set; }

    public decimal? UsdBalance { get; set; }

    public decimal? UsdSpent { get; set; }
}

/// <summary><c>GET /balance</c>: <c>{"remaining_balance": 42.5000, "used_balance": 12.3000}</c>.</summary>
internal sealed class BalanceWire
{
    public decimal? RemainingBalance { get; set; }

    public decimal? UsedBalance { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerationEnvelope))]
[JsonSerializable(typeof(GenerationListWire))]
[JsonSerializable(typeof(ModelEnvelope))]
[JsonSerializable(typeof(AccountEnvelope))]
[JsonSerializable(typeof(BalanceWire))]
internal sealed partial class VeoGenJsonContext : JsonSerializerContext;
