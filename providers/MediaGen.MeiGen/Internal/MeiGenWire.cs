using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGen.MeiGen.Internal;

/// <summary>
/// The generate / status / recovery response (one shape: the POST answer, <c>GET /status/{id}</c> and
/// <c>GET /requests/{key}</c> share their fields). Unknown fields are ignored; uncertain types are read as JSON.
/// </summary>
internal sealed class MeiGenGenerationResponse
{
    public bool? Success { get; set; }

    public string? GenerationId { get; set; }

    public string? JobId { get; set; }

    public string? RequestId { get; set; }

    public string? Status { get; set; }

    public decimal? CreditsUsed { get; set; }

    public string? ModelId { get; set; }

    public MeiGenCredits? Credits { get; set; }

    public bool? Deduped { get; set; }

    public bool? ReusedPrior { get; set; }

    public string? ImageUrl { get; set; }

    public List<string?>? ImageUrls { get; set; }

    public string? VideoUrl { get; set; }

    public string? MediaType { get; set; }

    public string? R2Key { get; set; }

    public JsonElement? Error { get; set; }

    public string? FailureCode { get; set; }

    public JsonElement? CreditsStatus { get; set; }

    public double? PollHintSeconds { get; set; }

    public double? ExpectedWaitSeconds { get; set; }

    public string? AspectRatio { get; set; }

    /// <summary>Gets the job id whichever field carries it.</summary>
    [JsonIgnore]
    public string? Id => !string.IsNullOrWhiteSpace(GenerationId) ? GenerationId : !string.IsNullOrWhiteSpace(JobId) ? JobId : null;
}

/// <summary>The balances after a charge.</summary>
internal sealed class MeiGenCredits
{
    public decimal? Daily { get; set; }

    public decimal? Purchased { get; set; }

    public bool? Unlimited { get; set; }
}

/// <summary>Source-generated JSON metadata for the MeiGen wire types (no reflection; AOT-safe).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(MeiGenGenerationResponse))]
internal sealed partial class MeiGenJsonContext : JsonSerializerContext;
