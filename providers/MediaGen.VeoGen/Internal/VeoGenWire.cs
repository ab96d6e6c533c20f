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

    /// <summary>
    /// Reads the envelope from an already parsed tree, as <see cref="VeoGenJsonContext"/> would (snake_case names, any
    /// case; unknown members ignored), with its <see cref="JsonElement"/> fields pointing into that tree, not copied.
    /// </summary>
    /// <param name="root">The body's root.</param>
    /// <param name="problem">Why the tree is not an envelope.</param>
    /// <returns>The envelope, or null with <paramref name="problem"/>.</returns>
    public static GenerationEnvelope? From(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = $"the body is a JSON {root.ValueKind}, not an object";
            return null;
        }

        var envelope = new GenerationEnvelope();
        foreach (var member in root.EnumerateObject())
        {
            if (member.NameEquals("data") || member.Name.Equals("data", StringComparison.OrdinalIgnoreCase))
            {
                if (member.Value.ValueKind == JsonValueKind.Null)
                {
                    envelope.Data = null;
                }
                else if (GenerationWire.From(member.Value, out problem) is { } data)
                {
                    envelope.Data = data;
                }
                else
                {
                    return null;
                }
            }
            else if (member.NameEquals("price_usd") || member.Name.Equals("price_usd", StringComparison.OrdinalIgnoreCase))
            {
                envelope.PriceUsd = member.Value;
            }
        }

        return envelope;
    }
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

    /// <summary>Reads the generation object from a parsed tree (see <see cref="GenerationEnvelope.From"/>).</summary>
    /// <param name="element">The <c>data</c> object.</param>
    /// <param name="problem">Why it is not a generation object.</param>
    /// <returns>The generation, or null with <paramref name="problem"/>.</returns>
    public static GenerationWire? From(JsonElement element, out string? problem)
    {
        problem = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = $"'data' is a JSON {element.ValueKind}, not an object";
            return null;
        }

        var wire = new GenerationWire();
        foreach (var member in element.EnumerateObject())
        {
            var value = member.Value;
            switch (Known(member))
            {
                case "id":
                    wire.Id = Text(value, "id", ref problem);
                    break;
                case "status":
                    wire.Status = Text(value, "status", ref problem);
                    break;
                case "model":
                    wire.Model = Text(value, "model", ref problem);
                    break;
                case "type":
                    wire.Type = Text(value, "type", ref problem);
                    break;
                case "prompt":
                    wire.Prompt = Text(value, "prompt", ref problem);
                    break;
                case "parameters":
                    wire.Parameters = value;
                    break;
                case "output":
                    wire.Output = value;
                    break;
                case "error":
                    wire.Error = value;
                    break;
                case "created_at":
                    wire.CreatedAt = value;
                    break;
                case "completed_at":
                    wire.CompletedAt = value;
                    break;
            }

            if (problem is not null)
            {
                return null;
            }
        }

        return wire;
    }

    private static readonly string[] Names = ["id", "status", "model", "type", "prompt", "parameters", "output", "error", "created_at", "completed_at"];

    /// <summary>The member's known name (exact UTF-8 match first, then any case, as the context reads them), or null.</summary>
    private static string? Known(JsonProperty member)
    {
        foreach (var name in Names)
        {
            if (member.NameEquals(name))
            {
                return name;
            }
        }

        foreach (var name in Names)
        {
            if (member.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>A string member (null stays null); any other kind is what the typed read refused.</summary>
    private static string? Text(JsonElement value, string name, ref string? problem)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Null:
                return null;
            default:
                problem = $"'{name}' is a JSON {value.ValueKind}, not a string";
                return null;
        }
    }
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
