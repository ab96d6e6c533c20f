using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGen.Apiframe.Internal;

// Wire DTOs, named after the docs. Types the docs leave unsure (result, creditCost, progress) are JsonElement so a
// surprise never throws inside the serializer; the mappers check them and report what was wrong.

/// <summary>202 body of POST /v2/images|videos/generate: <c>{"jobId","status":"QUEUED"}</c>.</summary>
internal sealed class SubmitResponseDto
{
    public string? JobId { get; set; }

    public string? Status { get; set; }
}

/// <summary>GET /v2/jobs/{id} (A3/B1) and each item of GET /v2/jobs.</summary>
internal sealed class JobDto
{
    public string? Id { get; set; }

    public string? Status { get; set; }

    public string? Model { get; set; }

    public JsonElement Progress { get; set; }

    public JsonElement Result { get; set; }

    public string? Error { get; set; }

    public JsonElement CreditCost { get; set; }

    public string? WebhookStatus { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>GET /v2/jobs (A4): <c>{"jobs":[...],"nextCursor","hasMore"}</c>.</summary>
internal sealed class JobListDto
{
    public List<JobDto?>? Jobs { get; set; }

    public string? NextCursor { get; set; }

    public bool? HasMore { get; set; }
}

/// <summary>GET /v2/me (A7).</summary>
internal sealed class MeDto
{
    public MeUserDto? User { get; set; }

    public MeTeamDto? Team { get; set; }

    public MeApiKeyDto? ApiKey { get; set; }
}

internal sealed class MeUserDto
{
    public string? Id { get; set; }

    public string? Role { get; set; }
}

internal sealed class MeTeamDto
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Plan { get; set; }

    public JsonElement Credits { get; set; }

    public JsonElement MaxConcurrentJobs { get; set; }
}

internal sealed class MeApiKeyDto
{
    public string? Id { get; set; }

    public string? Name { get; set; }
}

/// <summary>A webhook delivery (A5): completed, failed or progress.</summary>
internal sealed class WebhookPayloadDto
{
    public string? Event { get; set; }

    public string? JobId { get; set; }

    public string? Status { get; set; }

    public JsonElement Progress { get; set; }

    public JsonElement Result { get; set; }

    public string? Model { get; set; }

    public JsonElement CreditCost { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubmitResponseDto))]
[JsonSerializable(typeof(JobDto))]
[JsonSerializable(typeof(JobListDto))]
[JsonSerializable(typeof(MeDto))]
[JsonSerializable(typeof(WebhookPayloadDto))]
internal sealed partial class ApiframeJsonContext : JsonSerializerContext;
